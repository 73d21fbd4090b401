import { currentProperties, type RunSource, styleOf } from './wordStyles.ts'
import { decodeXml, elements, escapeXml, leadingElement, replaceElements, type XmlElement } from './wordXml.ts'

/**
 * A Word document's paragraphs (w:p) and, in each, its runs (w:r), however
 * deep in links, revisions, fields or content controls they sit, each with
 * what its formatting comes from. A paragraph inside a text box is part of
 * the run that holds the box.
 */
export interface WordParagraph {
  element: XmlElement
  style: string | undefined
  /** Its w:pPr content, without the former properties of a revision. */
  properties: string
  /** What its paragraph mark's formatting comes from (w:pPr's w:rPr). */
  mark: RunSource
  runs: WordRun[]
}

export interface WordRun {
  /** Where the run is in its paragraph's `element.inner`. */
  element: XmlElement
  source: RunSource
  /** What the run shows: its w:t (or w:delText, if deleted) decoded. */
  text: string
}

const propertiesOf = (inner: string, name: string) => currentProperties(leadingElement(inner, name)?.inner ?? '')

function readParagraph(element: XmlElement): WordParagraph {
  const properties = propertiesOf(element.inner, 'w:pPr')
  const style = styleOf(properties, 'w:pStyle')
  const markProperties = currentProperties(elements(properties, 'w:rPr')[0]?.inner ?? '')
  const runs = elements(element.inner, 'w:r').map((run): WordRun => {
    const own = propertiesOf(run.inner, 'w:rPr')
    return { element: run, source: { paragraphStyle: style, runStyle: styleOf(own, 'w:rStyle'), properties: own }, text: runText(run.inner) }
  })
  return { element, style, properties, mark: { paragraphStyle: style, runStyle: styleOf(markProperties, 'w:rStyle'), properties: markProperties }, runs }
}

const runText = (inner: string) => [...inner.matchAll(/<w:(?:t|delText)(?:\s[^>]*)?>([^<]*)<\/w:(?:t|delText)>/g)].map((match) => decodeXml(match[1]!)).join('')

/** The document's paragraphs, read. */
export const paragraphs = (documentXml: string): WordParagraph[] => elements(documentXml, 'w:p').map(readParagraph)

/** The document with each paragraph replaced by what `rewrite` makes of it. */
export const rewriteParagraphs = (documentXml: string, rewrite: (paragraph: WordParagraph) => string): string =>
  replaceElements(documentXml, 'w:p', (element) => rewrite(readParagraph(element)))

/** A paragraph's XML with a run of `text` as its first run, after its properties. */
export function withLeadingRun(paragraph: WordParagraph, text: string): string {
  const { tag, inner } = paragraph.element
  const at = leadingElement(inner, 'w:pPr')?.end ?? 0
  return `${tag}${inner.slice(0, at)}<w:r><w:t xml:space="preserve">${escapeXml(text)}</w:t></w:r>${inner.slice(at)}</w:p>`
}

/** A paragraph's XML with each of its runs replaced by what `rewrite` makes of it (the run's XML, unchanged, when it returns undefined). */
export function rewriteRuns(paragraph: WordParagraph, rewrite: (run: WordRun) => string | undefined): string {
  const { element } = paragraph
  let inner = ''
  let at = 0
  for (const run of paragraph.runs) {
    inner += element.inner.slice(at, run.element.start) + (rewrite(run) ?? run.element.xml)
    at = run.element.end
  }
  inner += element.inner.slice(at)
  return element.tag.endsWith('/>') ? element.xml : `${element.tag}${inner}</w:p>`
}

/** The runs that follow one another with the same answer to `group` (undefined: none), as passages: "ne " hidden, then " pas" hidden again further on, are two. */
export function passages<T>(runs: readonly WordRun[], group: (run: WordRun) => T | undefined): Array<{ key: T; runs: WordRun[]; text: string }> {
  const found: Array<{ key: T; runs: WordRun[]; text: string }> = []
  let current: (typeof found)[number] | null = null
  for (const run of runs) {
    const key = group(run)
    if (key === undefined) {
      // A run that shows nothing (a field's code, a bookmark) does not part two passages.
      if (run.text.length > 0) current = null
      continue
    }
    if (current && current.key === key) {
      current.runs.push(run)
      current.text += run.text
    } else {
      current = { key, runs: [run], text: run.text }
      found.push(current)
    }
  }
  return found
}
