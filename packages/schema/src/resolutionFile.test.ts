import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { blockIdOf } from './blockId.ts'
import { FrontMatterError, splitResolutionFile } from './frontMatter.ts'
import { readImportedMarkdown } from './importedMarkdown.ts'
import { parseMarkdownBody, serializeMarkdownBody } from './markdown.ts'
import { parseResolutionMarkdown, serializeResolutionMarkdown } from './resolutionFile.ts'

const fixture = readFileSync(new URL('../../../fixtures/cohesion-sociale-et-progres.fr.md', import.meta.url), 'utf8')

describe('resolution Markdown files', () => {
  it('read the fixture’s metadata and every paragraph, with unique ids', () => {
    const { frontMatter, doc } = parseResolutionMarkdown(fixture)
    expect(frontMatter).toEqual({
      title: 'Résolution : cohésion sociale et progrès',
      status: 'PROJET',
      draft_date: '2019-07-03',
      event: '30-31 août 2019, Kuala Lumpur, Malaisie',
      organisation: 'Progressive Alliance / Alliance progressiste / Alianza Progresista',
      language: 'fr',
    })
    expect(doc.childCount).toBe(15)
    expect(doc.child(0).textContent).toMatch(/^Nous vivons une époque de changements rapides\./)
    const bold = doc.child(5)
    expect(bold.textContent).toBe('L’Alliance progressiste offre une vision d’un avenir meilleur pour tous.'.replace(/’/g, "'"))
    expect(bold.firstChild?.marks.map((mark) => mark.type.name)).toEqual(['bold'])
    const ids = new Set<string | null>()
    doc.forEach((node) => ids.add(blockIdOf(node)))
    expect(ids.size).toBe(15)
    expect(ids.has(null)).toBe(false)
  })

  it('write the fixture back byte for byte', () => {
    const { frontMatter, doc } = parseResolutionMarkdown(fixture)
    expect(serializeResolutionMarkdown(frontMatter, doc)).toBe(fixture)
  })

  it('keep unknown front-matter keys and their order', () => {
    const text = '---\ntitle: "A B"\nsession: 12\ntags:\n  - x\n  - y\nstatus: DRAFT\n---\n\nBody.\n'
    const { frontMatter, doc } = parseResolutionMarkdown(text)
    expect(Object.keys(frontMatter)).toEqual(['title', 'session', 'tags', 'status'])
    expect(serializeResolutionMarkdown(frontMatter, doc)).toBe(text)
  })

  it('round-trip headings, lists, blockquotes, bold and italic', () => {
    const body = '# Title\n\nA *b* **c** ***d***.\n\n- one\n- two\n\n1. first\n2. second\n\n> quoted text\n'
    expect(serializeMarkdownBody(parseMarkdownBody(body))).toBe(body)
  })

  it('read Markdown outside the schema as plain text instead of failing', () => {
    const doc = parseMarkdownBody('Some `code` and [a link](http://x) <b>html</b>\n\n    indented\n\n---\n')
    expect(doc.textContent).toContain('Some `code` and [a link](http://x) <b>html</b>')
    expect(doc.textContent).toContain('indented')
  })

  it('escape characters that would change meaning', () => {
    const doc = parseMarkdownBody('1\\. not a list and a \\*star\\*\n')
    expect(doc.textContent).toBe('1. not a list and a *star*')
    expect(serializeMarkdownBody(doc)).toBe('1\\. not a list and a \\*star\\*\n')
  })

  it('read a block of YAML comments between two rules as the text it is, not as front matter', () => {
    // "# …" lines are comments to YAML: the title between the rules was taken for an empty front matter and dropped.
    const { frontMatter, body } = splitResolutionFile('---\n# Résolution sur le climat\n---\n\nLe Conseil décide.\n')
    expect(frontMatter).toEqual({})
    expect(body).toBe('---\n# Résolution sur le climat\n---\n\nLe Conseil décide.\n')
    // An import reads the title as the heading it is, and says the two rules were left out.
    const imported = readImportedMarkdown('---\n# Résolution sur le climat\n---\n\nLe Conseil décide.\n')
    expect(imported.doc.child(0).type.name).toBe('heading')
    expect(imported.doc.textContent).toBe('Résolution sur le climatLe Conseil décide.')
    expect(imported.found.breaks).toBe(2)
    // An empty front matter is still one.
    expect(splitResolutionFile('---\n\n---\n\nLe Conseil décide.\n').body.trim()).toBe('Le Conseil décide.')
  })

  it('refuse front matter that is not a mapping, with a clear message', () => {
    expect(() => splitResolutionFile('---\n- a\n- b\n---\nBody')).toThrow(FrontMatterError)
    expect(() => splitResolutionFile('---\ntitle: "unclosed\n---\nBody')).toThrow(/not valid YAML/)
  })

  it('write keys and values through the YAML serialiser, so an imported key cannot add a paragraph to the body', () => {
    const frontMatter = { title: 'T', 'x\n---\n\nInjected paragraph.\n\ny': 'v', 'yes': 'no', note: 'a "quoted"\nline' }
    const written = serializeResolutionMarkdown(frontMatter, parseMarkdownBody('Body.\n'))
    const read = parseResolutionMarkdown(written)
    expect(read.frontMatter).toEqual(frontMatter)
    expect(read.doc.childCount).toBe(1)
    expect(read.doc.textContent).toBe('Body.')
    expect(written).toContain('"yes": "no"')
  })

  it('accept a file without front matter', () => {
    const { frontMatter, doc } = parseResolutionMarkdown('Just a paragraph.\n')
    expect(frontMatter).toEqual({})
    expect(doc.textContent).toBe('Just a paragraph.')
  })
})
