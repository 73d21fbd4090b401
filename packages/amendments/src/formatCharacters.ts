import DiffMatchPatch from 'diff-match-patch'
import { plainText, type Run } from './inline.ts'
import { normalizeParagraph, type Wording } from './wording.ts'

/**
 * Unicode format characters (category Cf): joiners inside an emoji
 * ("👩‍⚖️") or a Persian word, soft hyphens, zero-width spaces, the tags of a
 * flag. A wording comes in without them (the protocol takes them out: an
 * amendment of invisible characters could look like no change at all), but
 * the paragraph it rewrites may hold them.
 */
const FORMAT = /^\p{Cf}$/u

const dmp = new DiffMatchPatch()
dmp.Diff_Timeout = 0

/** Between paragraphs: a character no text holds, so no diff matches it. */
const SEPARATOR = '\u0000'

/**
 * The wording with the format characters of `base` (the paragraph it
 * rewrites) put back where the words around them are unchanged. Without
 * them, accepting an amendment to any word of a paragraph holding "👩‍⚖️" or
 * a soft hyphen would take those characters out too, a change nobody
 * proposed and nobody could see. Where a character stood beside a change
 * (the word it was in was rewritten), it goes with that change. What the
 * wording shows is never changed: only invisible characters are added.
 */
export function keepFormatCharacters(wording: Wording, base: readonly Run[]): Wording {
  // `before[k]`: the format characters right before the k-th visible code unit of the base (the last: at its end).
  const before: string[] = ['']
  let visible = ''
  let any = false
  for (const character of plainText(base)) {
    if (FORMAT.test(character)) {
      before[before.length - 1] += character
      any = true
    } else {
      visible += character
      for (let unit = 0; unit < character.length; unit++) before.push('')
    }
  }
  if (!any) return wording
  const written = wording.map((runs) => plainText(runs)).join(SEPARATOR)
  // Where each kept character goes in the wording's text: before the code unit at that position.
  const kept = new Map<number, string>()
  let at = 0
  let to = 0
  const diffs = dmp.diff_main(visible, written, false)
  // Whole words rather than letters that happen to match ("internationale" → "mondiale" keeps no "ale").
  dmp.diff_cleanupSemantic(diffs)
  for (const [op, text] of diffs) {
    if (op === 0) {
      // Only between two unchanged characters, or at an end of the paragraph that ends a paragraph of the wording too.
      for (let k = at; k <= at + text.length; k++) {
        const between = (k > at || (k === 0 && to === 0)) && (k < at + text.length || (k === visible.length && (written[to + text.length] ?? SEPARATOR) === SEPARATOR))
        if (between && before[k]) kept.set(to + (k - at), before[k]!)
      }
      at += text.length
      to += text.length
    } else if (op === -1) at += text.length
    else to += text.length
  }
  if (kept.size === 0) return wording
  let position = 0
  return wording.map((runs, index) => {
    if (index > 0) position += SEPARATOR.length
    const out = runs.map((run) => {
      let text = ''
      for (let unit = 0; unit < run.text.length; unit++, position++) text += (kept.get(position) ?? '') + run.text[unit]
      return { ...run, text }
    })
    // What stood at the end of this paragraph: after its last run.
    const end = kept.get(position)
    if (end) out.push({ ...(out.at(-1) ?? {}), text: end })
    return normalizeParagraph(out)
  })
}
