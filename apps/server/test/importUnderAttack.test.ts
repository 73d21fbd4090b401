import { readBody, serializeMarkdownBody, serializeResolutionMarkdown } from '@hemicycle/schema'
import { unzipSync, zipSync } from 'fflate'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { parseDocx } from '../src/documents/docxReading.ts'
import { ImportReader } from '../src/documents/importReader.ts'
import { ApiError } from '../src/http/errors.ts'
import { docx, p, r } from './handWrittenDocx.ts'

/** Files to import written to make Hemicycle read something other than what it checks, or shows. */
describe('importing a file written to mislead', () => {
  const bodyOf = async (bytes: Uint8Array, options: { trackedChanges?: 'accept' | 'reject' } = {}) => {
    const parsed = await parseDocx(bytes, 'projet.docx', options)
    return { text: serializeResolutionMarkdown({}, parsed.doc), undecided: parsed.undecided, warnings: parsed.warnings.map((warning) => warning.code) }
  }

  it('reads the document.xml it inspected, not a second one the package names twice', async () => {
    const shown = docx(p(r('Le Conseil décide de renforcer la cohésion.')))
    // A pending deletion and hidden text, which an honest file is asked about and warned of.
    const hiddenBody = `${p(r('Le Conseil décide de '))}<w:p><w:del w:id="1" w:author="X"><w:r><w:delText>ne pas </w:delText></w:r></w:del>${r('renforcer.')}</w:p>${p(r('Caché', '<w:vanish/>'))}`
    const hidden = unzipSync(docx(hiddenBody))['word/document.xml']!
    expect(await bodyOf(zipSync({ ...unzipSync(shown), 'word/document.xml': hidden }))).toMatchObject({ undecided: 1, warnings: ['tracked_changes', 'hidden_text'] })
    // Word, and the inspection, read word/document.xml; mammoth's zip reader read the entry after it, whose name it
    // resolves to the same part: the text imported was the hidden one, its deletion accepted and its hidden text shown,
    // without the question or a warning.
    for (const name of ['word/./document.xml', 'word/media/../document.xml', 'word//document.xml']) {
      const smuggled = zipSync({ ...unzipSync(shown), [name]: hidden })
      expect(await bodyOf(smuggled), name).toEqual({ text: 'Le Conseil décide de renforcer la cohésion.\n', undecided: 0, warnings: [] })
    }
  })

  it('reads the document.xml it inspected, whatever part the package says is its main document', async () => {
    const shown = docx(p(r('Le Conseil décide de renforcer la cohésion.')))
    // A pending insertion in another part, which the package's relationships name as the main document: mammoth read
    // it (Word would too), while the inspection read word/document.xml, so the insertion was taken without the question,
    // and rejecting the changes rewrote the part nobody imported.
    const inserted = unzipSync(docx(`<w:p>${r('Le Conseil décide de ')}<w:ins w:id="1" w:author="X">${r('ne pas ')}</w:ins>${r('renforcer.')}</w:p>`))['word/document.xml']!
    const rels = new TextEncoder().encode(
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/other.xml"/></Relationships>',
    )
    const smuggled = zipSync({ ...unzipSync(shown), 'word/other.xml': inserted, '_rels/.rels': rels })
    const read = { text: 'Le Conseil décide de renforcer la cohésion.\n', undecided: 0, warnings: [] }
    expect(await bodyOf(smuggled)).toEqual(read)
    expect(await bodyOf(smuggled, { trackedChanges: 'reject' })).toEqual(read)
  })

  it('reads a part named __proto__ as any other', async () => {
    // fflate cannot write the name: written as another of its length, renamed in the local header and the central directory.
    const bytes = zipSync({ ...unzipSync(docx(p(r('Le Conseil décide.')))), 'zz_proto_': new Uint8Array([1, 2, 3]) })
    const from = new TextEncoder().encode('zz_proto_')
    for (let at = 0; at + from.length <= bytes.length; at++) {
      if (from.every((byte, index) => bytes[at + index] === byte)) bytes.set(new TextEncoder().encode('__proto__'), at)
    }
    expect((await bodyOf(bytes)).text).toBe('Le Conseil décide.\n')
  })

  describe('previewing the text the import stores', () => {
    const reader = new ImportReader()
    const markdown = (text: string) => ({ format: 'markdown' as const, bytes: new TextEncoder().encode(text), fileName: 'projet.md' })
    const stored = async (text: string) => {
      const doc = new Y.Doc()
      Y.applyUpdate(doc, (await reader.read(markdown(text))).state)
      return serializeMarkdownBody(readBody(doc))
    }

    it('shows the words as stored, composed', { timeout: 30_000 }, async () => {
      // "é" as "e" and a combining accent, as some keyboards and PDFs give it: the import stores it composed.
      const text = '---\ntitle: Projet\n---\n\nLe Conseil de\u0301cide.\n'
      const preview = await reader.preview(markdown(text))
      expect(preview.markdown.endsWith(await stored(text))).toBe(true)
      expect(preview.markdown).toContain('Le Conseil d\u00e9cide.')
    })

    it('refuses what the import refuses, instead of showing a text cut short', { timeout: 30_000 }, async () => {
      // Past the Markdown reader's nesting the words are dropped: the preview showed "> > … <!---->" and "Le Conseil
      // décide." as if that were the text, and the import then refused the file for its depth.
      const text = `${'> '.repeat(150)}Texte perdu.\n\nLe Conseil décide.\n`
      for (const asked of [reader.preview(markdown(text)), reader.read(markdown(text))]) {
        const refusal = await asked.then(
          () => null,
          (error: unknown) => error,
        )
        expect(refusal).toBeInstanceOf(ApiError)
        expect((refusal as ApiError).code).toBe('unsupported_shape')
      }
    })
  })
})

