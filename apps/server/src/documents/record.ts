import { buildDocumentModel, colon, type PendingTranslations, VOCABULARY } from '@hemicycle/documents'
import { type DocumentNode, serializeMarkdownBody } from '@hemicycle/schema'
import type { StoredResolution } from '../resolutions/repository.ts'
import { metaAt, type Translation } from './exportModel.ts'
import { drawResolution } from './pdf.ts'
import { INK, PdfWriter } from './pdfWriter.ts'
import { RECORD_ATTACHMENT, RECORD_NAMESPACE } from './recordFormat.ts'

const xml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

export interface RecordFacts {
  resolutionId: string
  stage: string
  sha256: string
  adoptedBy: string | null
  adoptedAt: string | null
  adoptionEvent: string | null
  /** Where anyone checks the hash: the verify route's path. */
  verify: string
}

const PROPERTIES: Array<[keyof RecordFacts, string]> = [
  ['resolutionId', 'The resolution’s id in Hemicycle'],
  ['stage', 'The stage of the procedure the text was at when the record was made: final (locked) or adopted'],
  ['sha256', 'SHA-256 (hex) of the text’s canonical Markdown, as recorded at the lock; the attached text.md hashes to it'],
  ['adoptedBy', 'The body that adopted the resolution'],
  ['adoptedAt', 'The date of adoption'],
  ['adoptionEvent', 'The meeting at which it was adopted'],
  ['verify', 'The public route that says whether the stored text still has this hash'],
]

/** The XMP for the record: its properties, and the PDF/A extension schema that declares them (PDF/A admits no undeclared property). */
function recordXmp(facts: RecordFacts): string {
  const declared = PROPERTIES.map(
    ([name, description]) =>
      `<rdf:li rdf:parseType="Resource"><pdfaProperty:name>${name}</pdfaProperty:name><pdfaProperty:valueType>Text</pdfaProperty:valueType><pdfaProperty:category>external</pdfaProperty:category><pdfaProperty:description>${xml(description)}</pdfaProperty:description></rdf:li>`,
  ).join('')
  const values = PROPERTIES.flatMap(([name]) => (facts[name] === null ? [] : [`<hemicycle:${name}>${xml(String(facts[name]))}</hemicycle:${name}>`])).join('')
  return `<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#"><pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource"><pdfaSchema:schema>Hemicycle resolution record</pdfaSchema:schema><pdfaSchema:namespaceURI>${RECORD_NAMESPACE}</pdfaSchema:namespaceURI><pdfaSchema:prefix>hemicycle</pdfaSchema:prefix><pdfaSchema:property><rdf:Seq>${declared}</rdf:Seq></pdfaSchema:property></rdf:li></rdf:Bag></pdfaExtension:schemas></rdf:Description>
<rdf:Description rdf:about="" xmlns:hemicycle="${RECORD_NAMESPACE}">${values}</rdf:Description>`
}

/**
 * The archival record: the locked or adopted text as PDF/A-3b (every font
 * embedded, XMP metadata, an sRGB output intent), carrying in its metadata
 * the resolution's id, its stage, the adoption (by whom, when, where) and
 * the SHA-256 recorded at the lock; and, attached, the very bytes that hash
 * is taken of: the canonical Markdown of the text. Whoever holds the file
 * can take the attachment out (`pdfdetach -saveall`), hash it
 * (`sha256sum text.md`), compare with the metadata, and ask
 * `GET /api/resolutions/<id>/verify` whether the alliance's stored text still
 * has that hash.
 */
export async function renderRecord(
  resolution: StoredResolution,
  body: DocumentNode,
  facts: RecordFacts,
  { lineNumbers, translation = null, pending = null }: { lineNumbers: boolean; translation?: Translation | null; pending?: PendingTranslations | null },
): Promise<Buffer> {
  // The pages mark a version's paragraphs locked with their translation outstanding; the attached Markdown, which is hashed, stays the text alone.
  const model = buildDocumentModel(body, metaAt(resolution, facts.stage, translation), pending)
  // The bytes the lock hashed: the canonical Markdown of the rule it hashed under.
  const markdown = Buffer.from(serializeMarkdownBody(body, resolution.hashRule), 'utf8')
  const writer = new PdfWriter({
    title: model.title,
    subject: model.stamp,
    language: model.language,
    archival: {
      xmp: recordXmp(facts),
      attachments: [{ name: RECORD_ATTACHMENT, data: markdown, type: 'text/markdown', description: `The text’s canonical Markdown; its SHA-256 is ${facts.sha256}` }],
    },
  })
  drawResolution(writer, model, { lineNumbers })
  writer.gap(12)
  writer.flow(`SHA-256${colon(model.language)}${facts.sha256}`, { style: 'sans', size: 7.5, color: INK.muted })
  const page = VOCABULARY[model.language].page
  return writer.finish((current, pages) => `${model.title} — ${model.stamp} — ${page} ${current}/${pages}`)
}
