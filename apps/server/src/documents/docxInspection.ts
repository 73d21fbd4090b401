import type { ImportWarning } from '@hemicycle/protocol'
import { strFromU8 } from 'fflate'
import { commentsWarning, imagesWarning, plural, quoted, struckWarning, tablesWarning } from './importWarnings.ts'
import type { MainPart } from './docxPreparation.ts'
import { isHidden } from './hiddenText.ts'
import { paragraphs, passages, type WordRun } from './wordRuns.ts'
import { runProperty, type RunSource, type WordStyles } from './wordStyles.ts'
import { attribute, decodeXml, elements, leadingElement, onOff, replaceElements, type XmlElement } from './wordXml.ts'

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

export interface Inspection {
  warnings: ImportWarning[]
  /** Pending insertions and deletions in the text, and who made them. */
  pending: { count: number; authors: string[] }
}

const count = (xml: string, pattern: RegExp) => [...xml.matchAll(pattern)].length
/** The text a part shows: its w:t runs, joined. */
const textOf = (xml: string) => [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((match) => match[1]).join('').trim()

const REVISION = /<w:(ins|del|moveFrom|moveTo)\b[^>]*>/g
/** What may stand after a paragraph's last run and before its end without being text. */
const MARKS_ONLY = /^(?:\s*<w:(?:bookmarkEnd|commentRangeEnd|proofErr|permEnd|moveFromRangeEnd|moveToRangeEnd)\b[^>]*\/>)*\s*$/

/** A paragraph mark's own revision: self-closing, in w:pPr's w:rPr, the paragraph split from the next (inserted) or joined to it (deleted). */
function markRevision(paragraph: XmlElement): { kind: string; tag: string } | undefined {
  const properties = leadingElement(paragraph.inner, 'w:pPr')
  const mark = properties ? elements(properties.inner, 'w:rPr')[0] : undefined
  const revision = mark ? /<w:(ins|del|moveFrom|moveTo)\b[^>]*\/>/.exec(mark.inner) : null
  return revision ? { kind: revision[1]!, tag: revision[0] } : undefined
}

/**
 * The opening tags of the pending revisions: those around runs, and each paragraph mark's own unless the
 * paragraph's last runs are in the same revision (a paragraph inserted or deleted whole is one change).
 */
function pendingRevisions(documentXml: string): string[] {
  const aroundRuns = [...documentXml.matchAll(REVISION)].map((match) => match[0]).filter((tag) => !tag.endsWith('/>'))
  const ofMarks = elements(documentXml, 'w:p').flatMap((paragraph) => {
    const revision = markRevision(paragraph)
    if (!revision) return []
    const last = elements(paragraph.inner, `w:${revision.kind}`).filter((element) => !element.tag.endsWith('/>')).at(-1)
    return last && MARKS_ONLY.test(paragraph.inner.slice(last.end)) ? [] : [revision.tag]
  })
  // Formatting changed under tracking: bold or italic set or taken off a run, a paragraph made a heading or put in a list.
  // (A paragraph mark's own formatting, in w:pPr's w:rPr, shows in no word.)
  const ofRuns = elements(documentXml, 'w:r').flatMap((run) => {
    const properties = leadingElement(run.inner, 'w:rPr')
    return properties ? elements(properties.inner, 'w:rPrChange').map((change) => change.tag) : []
  })
  const ofParagraphs = elements(documentXml, 'w:pPr').flatMap((properties) => elements(properties.inner, 'w:pPrChange').map((change) => change.tag))
  return [...aroundRuns, ...ofMarks, ...ofRuns, ...ofParagraphs]
}

/** Passages struck through (w:strike, w:dstrike), on the runs or by their styles; hidden ones are left out of the text anyway. */
function struckPassages(documentXml: string, styles: WordStyles): number {
  const struck = (source: RunSource) => ['w:strike', 'w:dstrike'].some((name) => runProperty(styles, source, (properties) => onOff(properties, name)) === true)
  const kept = (run: WordRun) => run.text.length > 0 && struck(run.source) && !isHidden(styles, run.source)
  return paragraphs(documentXml).reduce((sum, paragraph) => sum + passages(paragraph.runs, (run) => (kept(run) ? true : undefined)).length, 0)
}

/** `printedByHemicycle`: a file Hemicycle exported, whose page footer is its own printing, not the draft's. */
export function inspectDocx({ xml: document, styles }: MainPart, parts: Record<string, Uint8Array>, trackedChanges: TrackedChanges | undefined, printedByHemicycle: boolean): Inspection {
  const warnings: ImportWarning[] = []

  const tables = count(document, /<w:tbl>/g)
  // A table inside a cell is read into its row's paragraph: the paragraphs are the outermost tables' rows.
  if (tables > 0) warnings.push(tablesWarning(tables, elements(document, 'w:tbl').reduce((rows, table) => rows + elements(table.inner, 'w:tr').length, 0)))

  const revisions = pendingRevisions(document)
  const authors = [...new Set(revisions.map((tag) => attribute(tag, 'w:author') ?? '').filter((author) => author.length > 0))]
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

  const struck = struckPassages(document, styles)
  if (struck > 0) warnings.push(struckWarning(struck))

  const comments = parts['word/comments.xml'] ? count(strFromU8(parts['word/comments.xml']), /<w:comment /g) : count(document, /<w:commentReference /g)
  if (comments > 0) warnings.push(commentsWarning(comments))

  const images = count(document, /<w:drawing>/g) + count(document, /<w:pict>/g)
  if (images > 0) warnings.push(imagesWarning(images))

  // mammoth reads no equation and says nothing: "La hausse de [equation] degrés" came in as "La hausse de degrés".
  const equations = elements(document, 'm:oMath').map((equation) => [...equation.inner.matchAll(/<m:t(?: [^>]*)?>([^<]*)<\/m:t>/g)].map((match) => decodeXml(match[1]!)).join(''))
  if (equations.length > 0) {
    warnings.push({
      code: 'equations',
      count: equations.length,
      message: `${plural(equations.length, 'equation was', 'equations were')} left out (${quoted(equations)}, its symbols as typed, without their layout): write ${equations.length === 1 ? 'it' : 'them'} in the text if ${equations.length === 1 ? 'it belongs' : 'they belong'} there.`,
    })
  }

  // The base of a ruby is kept on the line (`docxPreparation.ts`); the reading printed above it is not.
  const rubies = elements(document, 'w:ruby').map((ruby) => {
    const part = (name: string) => textOf(elements(ruby.inner, name)[0]?.inner ?? '')
    return `"${decodeXml(part('w:rt'))}" above "${decodeXml(part('w:rubyBase'))}"`
  })
  if (rubies.length > 0) {
    warnings.push({
      code: 'ruby',
      count: rubies.length,
      message: `${plural(rubies.length, 'reading printed above words (ruby) was', 'readings printed above words (ruby) were')} left out, the words kept: ${rubies.join(', ')}.`,
    })
  }

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
  const runsRejected = documentXml
    .replace(/<w:(ins|moveTo) [^>]*?[^/]>[\s\S]*?<\/w:\1>/g, '')
    .replace(/<w:(del|moveFrom) [^>]*?[^/]>([\s\S]*?)<\/w:\1>/g, (_, _kind: string, content: string) =>
      content.replace(/<w:delText\b/g, '<w:t').replace(/<\/w:delText>/g, '</w:t>'),
    )
  const formattingRejected = replaceElements(replaceElements(runsRejected, 'w:r', rejectRunFormatting), 'w:pPr', rejectParagraphFormatting)
  const marksRejected = replaceElements(formattingRejected, 'w:pPr', (properties) => replaceElements(properties.xml, 'w:rPr', rejectMark))
  return replaceElements(marksRejected, 'w:trPr', rejectMark)
}

/** A run's formatting as it was before a tracked change of it: the w:rPr its w:rPrChange kept. */
function rejectRunFormatting(run: XmlElement): string {
  return replaceElements(run.xml, 'w:rPr', (properties) => {
    const change = elements(properties.inner, 'w:rPrChange')[0]
    return change ? (elements(change.inner, 'w:rPr')[0]?.xml ?? '') : properties.xml
  })
}

/** A paragraph's properties as they were before a tracked change of them (its style, its list), its mark's formatting and section kept. */
function rejectParagraphFormatting(properties: XmlElement): string {
  const change = elements(properties.inner, 'w:pPrChange')[0]
  if (!change) return properties.xml
  const before = elements(change.inner, 'w:pPr')[0]?.inner ?? ''
  const kept = ['w:rPr', 'w:sectPr'].map((name) => elements(properties.inner.replace(change.xml, ''), name)[0]?.xml ?? '').join('')
  return `<w:pPr>${before}${kept}</w:pPr>`
}

/**
 * The revision of a paragraph mark (in w:pPr's w:rPr) or of a table row (in w:trPr) undone, in the terms
 * mammoth reads, where a deleted mark joins its paragraph to the next and a deleted row is skipped: what
 * was deleted is there again, what was inserted is gone.
 */
const rejectMark = (properties: XmlElement) => properties.xml.replace(/<w:(ins|del)\b([^>]*)\/>/g, (_whole, kind: string, attributes: string) => (kind === 'del' ? '' : `<w:del${attributes}/>`))
