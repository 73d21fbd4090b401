import { strToU8, zipSync } from 'fflate'

/**
 * Minimal .docx files written by hand, for tests of what the import makes
 * of a given piece of WordprocessingML: the body's XML, and optionally the
 * styles and numbering parts.
 */
const NS =
  'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'

export function docx(body: string, { styles, numbering }: { styles?: string; numbering?: string } = {}): Uint8Array {
  const part = (xml: string) => strToU8(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>${xml}`)
  const type = (name: string, kind: string) => `<Override PartName="/word/${name}.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.${kind}+xml"/>`
  const rel = (id: string, kind: string, target: string) => `<Relationship Id="${id}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/${kind}" Target="${target}"/>`
  const files: Record<string, Uint8Array> = {
    '[Content_Types].xml': part(
      `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>${type('document', 'document.main')}${styles ? type('styles', 'styles') : ''}${numbering ? type('numbering', 'numbering') : ''}</Types>`,
    ),
    '_rels/.rels': part(`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rel('rId1', 'officeDocument', 'word/document.xml')}</Relationships>`),
    'word/_rels/document.xml.rels': part(
      `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${styles ? rel('rIdS', 'styles', 'styles.xml') : ''}${numbering ? rel('rIdN', 'numbering', 'numbering.xml') : ''}</Relationships>`,
    ),
    'word/document.xml': part(`<w:document ${NS}><w:body>${body}</w:body></w:document>`),
  }
  if (styles) files['word/styles.xml'] = part(`<w:styles ${NS}>${styles}</w:styles>`)
  if (numbering) files['word/numbering.xml'] = part(`<w:numbering ${NS}>${numbering}</w:numbering>`)
  return zipSync(files)
}

/** A paragraph of runs, with its properties (w:pPr's content). */
export const p = (runs: string, properties = '') => `<w:p>${properties ? `<w:pPr>${properties}</w:pPr>` : ''}${runs}</w:p>`
/** A run of text, with its properties (w:rPr's content). */
export const r = (text: string, properties = '') => `<w:r>${properties ? `<w:rPr>${properties}</w:rPr>` : ''}<w:t xml:space="preserve">${text}</w:t></w:r>`
/** A style of styles.xml: its type, id (also its name) and run properties. */
export const style = (type: 'paragraph' | 'character', id: string, runProperties = '', more = '') =>
  `<w:style w:type="${type}" w:styleId="${id}"><w:name w:val="${id}"/>${more}${runProperties ? `<w:rPr>${runProperties}</w:rPr>` : ''}</w:style>`
