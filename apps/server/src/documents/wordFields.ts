import { attribute, elements, escapeXml } from './wordXml.ts'

/**
 * Complex fields (w:fldChar begin, code, separate, result, end) as Word
 * shows them: the result, never the code. mammoth reads every w:t whatever
 * field it sits in, which is right for a field's result and wrong for its
 * code, where the only w:t are those of another field's result nested in it
 * (IF { MERGEFIELD pays } = "Ghana" "oui" "non" shows "oui", and "Ghana"
 * came in beside it). And a legacy drop-down form field shows the entry
 * chosen, which Word stores in the field's begin character only: mammoth
 * read no word of it.
 */

/**
 * A field character (with its ffData, for a drop-down), or what a run shows where a field's code may hold it: a w:t,
 * a tab, a break, a symbol, a hyphen (a tab without attributes: a paragraph's tab stops are w:tab too, with them).
 * A field character's content ends before the next one's tag: searched to the part's end for each one left open (a
 * damaged or hostile file), it cost time quadratic in the part's size.
 */
const FIELD_OR_SHOWN =
  /<w:fldChar\b(?:[^>"']|"[^"]*"|'[^']*')*?(?:\/>|>(?:(?!<\/?w:fldChar\b)[\s\S])*?<\/w:fldChar>)|<w:t(?=[\s/>])(?:[^>"']|"[^"]*"|'[^']*')*?(?:\/>|>[^<]*<\/w:t>)|<w:(?:tab|cr|noBreakHyphen|softHyphen)\s*\/>|<w:(?:br|sym)\b[^>]*\/>/g

interface OpenField {
  inCode: boolean
  /** A legacy drop-down's shown entry, and whether its result already shows words. */
  dropDown?: { entry: string; shown: boolean }
}

/** The entry a legacy drop-down (w:ffData's w:ddList) shows: the one its result names, else its default, else the first. */
export function dropDownEntry(fieldCharacter: string): string | undefined {
  const list = elements(fieldCharacter, 'w:ddList')[0]
  if (!list) return undefined
  const entries = elements(list.inner, 'w:listEntry').map((entry) => attribute(entry.tag, 'w:val') ?? '')
  const index = (name: string) => {
    const element = elements(list.inner, name)[0]
    const value = element ? Number(attribute(element.tag, 'w:val')) : Number.NaN
    return Number.isInteger(value) && value >= 0 && value < entries.length ? value : undefined
  }
  return entries[index('w:result') ?? index('w:default') ?? 0]
}

/** document.xml with what stands in fields' codes taken out and each legacy drop-down's entry written as its result. */
export function withFieldsAsShown(documentXml: string): string {
  if (!documentXml.includes('<w:fldChar')) return documentXml
  const open: OpenField[] = []
  const shown = documentXml.replace(FIELD_OR_SHOWN, (found) => {
    if (!found.startsWith('<w:fldChar')) {
      if (open.some((field) => field.inCode)) return ''
      if (found.startsWith('<w:t')) for (const field of open) if (field.dropDown) field.dropDown.shown = true
      return found
    }
    const kind = attribute(/^<w:fldChar\b(?:[^>"']|"[^"]*"|'[^']*')*/.exec(found)![0], 'w:fldCharType')
    if (kind === 'begin') {
      const entry = dropDownEntry(found)
      open.push({ inCode: true, ...(entry !== undefined ? { dropDown: { entry, shown: false } } : {}) })
    } else if (kind === 'separate') {
      const field = open.at(-1)
      if (field) field.inCode = false
    } else if (kind === 'end') {
      const field = open.pop()
      // A drop-down's entry stands where its result would, in the run that ends it, unless a result already shows it.
      if (field?.dropDown && !field.dropDown.shown && !open.some((outer) => outer.inCode)) {
        return `<w:t xml:space="preserve">${escapeXml(field.dropDown.entry)}</w:t>${found}`
      }
    }
    return found
  })
  // A field that never ends (a damaged file) would take every word after its begin for code: the words are read as they are.
  return open.length === 0 ? shown : documentXml
}
