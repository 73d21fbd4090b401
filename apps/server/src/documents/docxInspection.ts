import type { ImportWarning } from '@hemicycle/protocol'
import { strFromU8 } from 'fflate'
import { commentsWarning, imagesWarning, plural, struckWarning, tablesWarning } from './importWarnings.ts'

/**
 * What a Word draft holds that a resolution's text cannot: tables, pending
 * tracked changes, struck-through words, comments, images, page headers
 * and footers, footnotes and endnotes. The import keeps what the schema can
 * hold and says, for each of these, what became of it, so the secretariat
 * reads it before the resolution is created instead of finding out later.
 * Pending tracked changes are not decided silently: the import asks
 * whether to accept or reject them.
 */
export type TrackedChanges = 'accept' | 'reject'

/** The package parts the inspection reads. */
export const INSPECTED = (name: string) =>
  name === 'word/document.xml' || name === 'word/comments.xml' || /^word\/(header|footer)\d*\.xml$/.test(name)

export interface Inspection {
  warnings: ImportWarning[]
  /** Pending insertions and deletions in the text, and who made them. */
  pending: { count: number; authors: string[] }
}

const count = (xml: string, pattern: RegExp) => [...xml.matchAll(pattern)].length
/** The text a part shows: its w:t runs, joined. */
const textOf = (xml: string) => [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((match) => match[1]).join('').trim()

/** `printedByHemicycle`: a file Hemicycle exported, whose page footer is its own printing, not the draft's. */
export function inspectDocx(parts: Record<string, Uint8Array>, trackedChanges: TrackedChanges | undefined, printedByHemicycle: boolean): Inspection {
  const document = parts['word/document.xml'] ? strFromU8(parts['word/document.xml']) : ''
  const warnings: ImportWarning[] = []

  const tables = count(document, /<w:tbl>/g)
  if (tables > 0) warnings.push(tablesWarning(tables, count(document, /<w:tr[ >]/g)))

  // Revisions around runs (w:ins, w:del, and moves); a paragraph mark's own revision is self-closing and goes with its runs.
  const revisions = [...document.matchAll(/<w:(ins|del|moveFrom|moveTo) ([^>]*?)(\/?)>/g)].filter((match) => match[3] !== '/')
  const authors = [...new Set(revisions.map((match) => /w:author="([^"]*)"/.exec(match[2]!)?.[1] ?? '').filter((author) => author.length > 0))]
  if (revisions.length > 0) {
    const by = authors.length > 0 ? ` by ${authors.join(', ')}` : ''
    warnings.push({
      code: 'tracked_changes',
      count: revisions.length,
      message:
        trackedChanges === undefined
          ? `${plural(revisions.length, 'pending tracked change', 'pending tracked changes')}${by}: choose whether to accept them (trackedChanges=accept) or reject them (trackedChanges=reject) before importing.`
          : `${plural(revisions.length, 'pending tracked change', 'pending tracked changes')}${by} ${trackedChanges === 'accept' ? 'were accepted' : 'were rejected'}, as asked.`,
      ...(trackedChanges === undefined ? { choices: ['accept', 'reject'] as const } : {}),
    })
  }

  const struck = count(document, /<w:(d?strike)(?: w:val="(?:true|1|on)")?\/>/g)
  if (struck > 0) warnings.push(struckWarning(struck))

  const comments = parts['word/comments.xml'] ? count(strFromU8(parts['word/comments.xml']), /<w:comment /g) : count(document, /<w:commentReference /g)
  if (comments > 0) warnings.push(commentsWarning(comments))

  const images = count(document, /<w:drawing>/g) + count(document, /<w:pict>/g)
  if (images > 0) warnings.push(imagesWarning(images))

  const margins = Object.entries(parts)
    .filter(([name]) => !printedByHemicycle && /^word\/(header|footer)\d*\.xml$/.test(name))
    .map(([, xml]) => textOf(strFromU8(xml)))
    .filter((text) => text.length > 0)
  if (margins.length > 0) {
    warnings.push({
      code: 'headers_footers',
      count: margins.length,
      message: `The page headers and footers were left out (${margins.map((text) => `"${text.slice(0, 60)}"`).join(', ')}): Hemicycle prints its own.`,
    })
  }

  const notes = count(document, /<w:(footnote|endnote)Reference /g)
  if (notes > 0) {
    warnings.push({
      code: 'notes',
      count: notes,
      message: `${plural(notes, 'footnote or endnote was', 'footnotes and endnotes were')} left out, with ${notes === 1 ? 'its mark' : 'their marks'}: put what they say into the text if it belongs there.`,
    })
  }
  return { warnings, pending: { count: revisions.length, authors } }
}

/**
 * The document as it read before its pending changes: insertions and
 * moved-to text dropped, deletions and moved-from text put back. (Accepting
 * needs no rewrite: mammoth reads inserted text and skips deleted text.)
 */
export function rejectTrackedChanges(documentXml: string): string {
  return documentXml
    .replace(/<w:(ins|moveTo) [^>]*?[^/]>[\s\S]*?<\/w:\1>/g, '')
    .replace(/<w:(del|moveFrom) [^>]*?[^/]>([\s\S]*?)<\/w:\1>/g, (_, _kind: string, content: string) =>
      content.replace(/<w:delText\b/g, '<w:t').replace(/<\/w:delText>/g, '</w:t>'),
    )
}
