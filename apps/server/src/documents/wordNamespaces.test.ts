import { describe, expect, it } from 'vitest'
import { withUsualPrefixes } from './wordNamespaces.ts'

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main'
const MC = 'http://schemas.openxmlformats.org/markup-compatibility/2006'
const W14 = 'http://schemas.microsoft.com/office/word/2010/wordml'

describe('Word’s namespaces under the prefixes Word writes', () => {
  it('leaves a part written with the usual prefixes as it is, the very string', () => {
    const xml = `<?xml version="1.0"?><w:document xmlns:w="${W}" xmlns:mc="${MC}" xmlns:w14="${W14}" xmlns:cx="urn:other" mc:Ignorable="w14"><w:body><w:p><w:r><w:t>Texte</w:t></w:r></w:p></w:body></w:document>`
    expect(withUsualPrefixes(xml)).toBe(xml)
  })

  it('writes another prefix, or the default namespace, bound to Word’s as w:, declared once on the root', () => {
    expect(withUsualPrefixes(`<x:document xmlns:x="${W}"><x:body><p xmlns="${W}"><x:r><t xml:space="preserve">Le </t></x:r></p></x:body></x:document>`)).toBe(
      `<w:document xmlns:w="${W}"><w:body><w:p><w:r><w:t xml:space="preserve">Le </w:t></w:r></w:p></w:body></w:document>`,
    )
  })

  it('keeps another namespace as written, renaming it only where it had a usual prefix, and follows the prefixes that mc:Ignorable and Requires name', () => {
    const xml =
      `<x:document xmlns:x="${W}" xmlns:w="urn:other" xmlns:m2="${MC}" xmlns:n="${W14}" xmlns:cx="urn:cx" m2:Ignorable="n cx">` +
      `<w:thing x:val="1"/><m2:AlternateContent><m2:Choice Requires="n"><cx:shape/></m2:Choice></m2:AlternateContent></x:document>`
    expect(withUsualPrefixes(xml)).toBe(
      `<w:document xmlns:w="${W}" xmlns:w14="${W14}" xmlns:mc="${MC}" xmlns:hemicycle0="urn:other" xmlns:cx="urn:cx" mc:Ignorable="w14 cx">` +
        `<hemicycle0:thing w:val="1"/><mc:AlternateContent><mc:Choice Requires="w14"><cx:shape/></mc:Choice></mc:AlternateContent></w:document>`,
    )
  })

  it('writes a stray closing tag as it is, for the XML reader after it to refuse, instead of failing on it', () => {
    expect(withUsualPrefixes(`<x:a xmlns:x="${W}"></x:a></x:b><x:c/>`)).toBe(`<w:a xmlns:w="${W}"></w:a></x:b><x:c/>`)
  })
  it('rewrites a part nesting thousands of elements that each declare a prefix in time and memory linear in its size', () => {
    // Each declaring tag copied every binding above it: 8,000 levels (180 KB, a few KB zipped, in any .xml part) took
    // 5 s and 1.2 GB, and a little more ended the import thread on its memory limit after holding it for seconds.
    const levels = 8000
    const xml = `<x:document xmlns:x="${W}">${Array.from({ length: levels }, (_, i) => `<a xmlns:p${i}="urn:p">`).join('')}<x:t/>${'</a>'.repeat(levels)}</x:document>`
    const started = performance.now()
    const rewritten = withUsualPrefixes(xml)
    expect(performance.now() - started).toBeLessThan(1000)
    expect(rewritten.startsWith(`<w:document xmlns:w="${W}"><a xmlns:p0="urn:p">`)).toBe(true)
    expect(rewritten).toContain('<w:t/></a>')
  })
})
