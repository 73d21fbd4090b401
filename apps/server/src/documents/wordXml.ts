/**
 * Word's XML (document.xml, styles.xml, numbering.xml) read and rewritten
 * without a DOM. Elements are found by name, outermost first, their nesting
 * counted: a run inside a text box inside a run does not end the outer one,
 * and the former properties a revision keeps (w:rPrChange holds a w:rPr)
 * are not taken for the current ones. Word writes well-formed XML without
 * CDATA, so its tags can be found by pattern; a quoted attribute value may
 * hold a ">".
 */
export interface XmlElement {
  /** Where the element starts and ends in the text it was found in. */
  start: number
  end: number
  /** The opening tag, attributes included (the whole element when self-closing). */
  tag: string
  /** What lies between the opening and the closing tag; '' when self-closing. */
  inner: string
  xml: string
}

const patterns = new Map<string, { tag: RegExp; leading: RegExp }>()
/** The opening, closing or self-closing tags of an element name, and whether one opens a text (compiled once per name). */
function patternsOf(name: string) {
  let found = patterns.get(name)
  if (!found) {
    found = { tag: new RegExp(`<(/?)${name}(?=[\\s/>])(?:[^>"']|"[^"]*"|'[^']*')*?(/?)>`, 'g'), leading: new RegExp(`^\\s*<${name}(?=[\\s/>])`) }
    patterns.set(name, found)
  }
  return found
}

/** The outermost elements named `name` (e.g. "w:r"), in order. */
export function elements(xml: string, name: string): XmlElement[] {
  const found: XmlElement[] = []
  let depth = 0
  let start = 0
  let tag = ''
  for (const match of xml.matchAll(patternsOf(name).tag)) {
    const [whole, closing, selfClosing] = match
    const at = match.index
    if (closing) {
      // A stray closing tag closes nothing.
      if (depth === 0) continue
      depth--
      if (depth === 0) found.push({ start, end: at + whole.length, tag, inner: xml.slice(start + tag.length, at), xml: xml.slice(start, at + whole.length) })
    } else if (selfClosing) {
      if (depth === 0) found.push({ start: at, end: at + whole.length, tag: whole, inner: '', xml: whole })
    } else {
      if (depth === 0) {
        start = at
        tag = whole
      }
      depth++
    }
  }
  return found
}

/** `xml` with each outermost element named `name` replaced by what `replace` makes of it. */
export function replaceElements(xml: string, name: string, replace: (element: XmlElement) => string): string {
  let out = ''
  let at = 0
  for (const element of elements(xml, name)) {
    out += xml.slice(at, element.start) + replace(element)
    at = element.end
  }
  return at === 0 ? xml : out + xml.slice(at)
}

/** The element named `name` that opens `inner` (as w:rPr opens a run, w:pPr a paragraph), if it does. */
export function leadingElement(inner: string, name: string): XmlElement | undefined {
  if (!patternsOf(name).leading.test(inner)) return undefined
  return elements(inner, name)[0]
}

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }

export const decodeXml = (text: string) =>
  text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] !== '#') return XML_ENTITIES[name] ?? whole
    const code = name[1]?.toLowerCase() === 'x' ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10)
    // A reference to no character at all is left as written rather than thrown on.
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole
  })

export const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

/** An attribute of an opening tag, decoded. */
export function attribute(tag: string, name: string): string | undefined {
  const match = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`).exec(tag)
  return match ? decodeXml(match[1] ?? match[2]!) : undefined
}

/** The `w:val` of the first element named `name` among `properties`, or undefined when there is none. */
export function propertyValue(properties: string, name: string): string | undefined {
  const element = elements(properties, name)[0]
  return element ? (attribute(element.tag, 'w:val') ?? '') : undefined
}

/** A Word on/off property (w:vanish, w:strike, w:caps…): set unless its value says off; undefined when the properties do not say. */
export function onOff(properties: string, name: string): boolean | undefined {
  const value = propertyValue(properties, name)
  return value === undefined ? undefined : !['false', '0', 'off'].includes(value)
}
