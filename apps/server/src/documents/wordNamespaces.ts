import { decodeXml, escapeXml } from './wordXml.ts'

/**
 * A Word part's XML with Word's namespaces under the prefixes Word writes
 * (w:, r:, m:, v:, mc:…). XML lets any prefix stand for a namespace
 * (<x:p xmlns:x="…wordprocessingml…">), and mammoth reads namespaces, but
 * every check of the import reads the prefix "w:": a paragraph written
 * otherwise came in with its hidden words and without a warning for the
 * words mammoth left out. Word and LibreOffice write the usual prefixes, so
 * an ordinary part is recognised from its declarations and left as it is.
 */

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main'

/** The prefix each namespace the import reads is written with (the strict format's beside the transitional). */
const PREFIXES: Record<string, string> = {
  [W]: 'w',
  'http://purl.oclc.org/ooxml/wordprocessingml/main': 'w',
  'http://schemas.openxmlformats.org/officeDocument/2006/relationships': 'r',
  'http://purl.oclc.org/ooxml/officeDocument/relationships': 'r',
  'http://schemas.openxmlformats.org/officeDocument/2006/math': 'm',
  'http://purl.oclc.org/ooxml/officeDocument/math': 'm',
  'http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing': 'wp',
  'http://purl.oclc.org/ooxml/drawingml/wordprocessingDrawing': 'wp',
  'http://schemas.openxmlformats.org/drawingml/2006/main': 'a',
  'http://purl.oclc.org/ooxml/drawingml/main': 'a',
  'http://schemas.openxmlformats.org/drawingml/2006/picture': 'pic',
  'http://purl.oclc.org/ooxml/drawingml/picture': 'pic',
  'http://schemas.openxmlformats.org/markup-compatibility/2006': 'mc',
  'urn:schemas-microsoft-com:vml': 'v',
  'urn:schemas-microsoft-com:office:office': 'o',
  'urn:schemas-microsoft-com:office:word': 'w10',
  'http://schemas.microsoft.com/office/word/2010/wordml': 'w14',
  'http://schemas.microsoft.com/office/word/2010/wordprocessingShape': 'wps',
  'http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes': 'vt',
  'http://purl.oclc.org/ooxml/officeDocument/docPropsVTypes': 'vt',
  'http://purl.org/dc/elements/1.1/': 'dc',
}
const CANONICAL = new Set(Object.values(PREFIXES))
const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace'
const MC = 'http://schemas.openxmlformats.org/markup-compatibility/2006'

const DECLARATION = /\sxmlns(?::([^\s=]+))?\s*=\s*(?:"([^"]*)"|'([^']*)')/g
const TOKEN = /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<[?!][\s\S]*?>|<(\/?)([^\s/>]+)((?:[^>"']|"[^"]*"|'[^']*')*?)(\/?)>/g
/** Where the root's declarations go: a character XML text cannot hold. */
const ROOT = '\u0001'
const ATTRIBUTE = /([^\s=]+)\s*=\s*("[^"]*"|'[^']*')/g

/** Whether every declaration binds a namespace read here to its usual prefix, and a usual prefix to nothing else. */
function usual(xml: string): boolean {
  for (const [, prefix, double, single] of xml.matchAll(DECLARATION)) {
    // A namespace is its value as XML reads it: "http:&#47;&#47;…" is Word's, for mammoth as for any reader.
    const uri = decodeXml(double ?? single ?? '')
    const expected = PREFIXES[uri]
    if (prefix === undefined ? expected !== undefined : expected !== undefined ? expected !== prefix : CANONICAL.has(prefix)) return false
  }
  return true
}

const split = (name: string): [string, string] => {
  const colon = name.indexOf(':')
  return colon < 0 ? ['', name] : [name.slice(0, colon), name.slice(colon + 1)]
}

/** `xml` with the namespaces read here under their usual prefixes, declared once on its root; other namespaces kept as written. */
export function withUsualPrefixes(xml: string): string {
  if (!xml.includes('xmlns') || usual(xml)) return xml
  /** Prefixes written on the root: the usual ones used, and new ones for another namespace that had a usual prefix. */
  const declared = new Map<string, string>()
  const renamed = new Map<string, string>()
  /**
   * Each prefix's bindings, innermost last, and the open elements with the prefixes each declared: a tag's declarations are
   * undone as it closes. Copying a scope for each declaring tag cost as much as the bindings above it (quadratic in depth).
   */
  const bindings = new Map<string, string[]>([['xml', [XML_NAMESPACE]]])
  const open: Array<{ name: string; declares: string[] }> = []
  const uriOf = (prefix: string) => bindings.get(prefix)?.at(-1)
  const undeclare = (prefixes: readonly string[]) => {
    for (const prefix of prefixes) bindings.get(prefix)?.pop()
  }
  /** The prefix a name bound as it is here is written with. */
  const prefixFor = (prefix: string): string => {
    const uri = uriOf(prefix)
    if (uri === undefined || uri === XML_NAMESPACE) return prefix
    const known = PREFIXES[uri]
    if (known !== undefined) {
      if (!declared.has(known)) declared.set(known, uri)
      return known
    }
    if (prefix === '' || !CANONICAL.has(prefix)) return prefix
    let other = renamed.get(uri)
    if (other === undefined) {
      other = `hemicycle${renamed.size}`
      renamed.set(uri, other)
      declared.set(other, uri)
    }
    return other
  }
  const qualified = (name: string, element: boolean) => {
    const [prefix, local] = split(name)
    // An attribute without a prefix is in no namespace, whatever the default.
    if (!element && prefix === '') return name
    const written = prefixFor(prefix)
    return written === '' ? local : `${written}:${local}`
  }
  /** mc:Ignorable, mc:Choice's Requires…: prefixes in a value, written as the names they qualify are. */
  const prefixList = (value: string) =>
    value.replace(/[^\s:]+(?=:|\s|$)/g, (prefix, at: number) => (at > 0 && value[at - 1] === ':' ? prefix : uriOf(prefix) !== undefined ? prefixFor(prefix) : prefix))

  let atRoot = true
  const out = xml.replace(TOKEN, (whole, closing: string | undefined, name: string | undefined, attributes: string, selfClosing: string) => {
    if (name === undefined) return whole
    if (closing) {
      // A stray closing tag closes nothing (the XML reader refuses the part after).
      const element = open.pop()
      if (element) undeclare(element.declares)
      return `</${element?.name ?? name}>`
    }
    const declares: string[] = []
    const kept: string[] = []
    const others: Array<[string, string]> = []
    for (const [, attribute, quotedValue] of attributes.matchAll(ATTRIBUTE)) {
      const value = decodeXml(quotedValue!.slice(1, -1))
      if (attribute === 'xmlns' || attribute!.startsWith('xmlns:')) {
        const prefix = attribute === 'xmlns' ? '' : attribute!.slice(6)
        const bound = bindings.get(prefix)
        if (bound) bound.push(value)
        else bindings.set(prefix, [value])
        declares.push(prefix)
        // Kept where it binds a namespace not read here under a prefix not usual here; the others are declared on the root.
        if (PREFIXES[value] === undefined && !CANONICAL.has(prefix)) kept.push(` ${attribute}=${quotedValue}`)
      } else others.push([attribute!, quotedValue!])
    }
    const element = qualified(name, true)
    const listsPrefixes = (attribute: string) => (element === 'mc:Choice' && attribute === 'Requires') || (split(attribute)[0] !== '' && uriOf(split(attribute)[0]) === MC)
    const written = others.map(([attribute, quotedValue]) => {
      const value = listsPrefixes(attribute) ? `${quotedValue[0]}${prefixList(quotedValue.slice(1, -1))}${quotedValue[0]}` : quotedValue
      return ` ${qualified(attribute, false)}=${value}`
    })
    if (selfClosing) undeclare(declares)
    else open.push({ name: element, declares })
    const root = atRoot ? ROOT : ''
    atRoot = false
    return `<${element}${root}${kept.join('')}${written.join('')}${selfClosing ? '/' : ''}>`
  })
  // Known once every name is: which usual prefixes the part uses.
  return out.replace(ROOT, () => [...declared].map(([prefix, uri]) => ` xmlns:${prefix}="${escapeXml(uri).replace(/"/g, '&quot;')}"`).join(''))
}
