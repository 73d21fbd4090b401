/**
 * What a paste from a word processor or a web page brings that a reader of
 * the source did not see, or saw struck out. Word puts hidden text
 * (`mso-hide`, `display:none`) and tracked deletions (`<del>`) on the
 * clipboard beside the visible words; read as plain text they reversed a
 * sentence ("Le Conseil ne soutient pas …" pasted from "Le Conseil soutient
 * …"). Hidden text and tracked deletions are left out, as the import leaves
 * out hidden text; struck words, which the source shows, are kept as words,
 * and counted for the editor to say so; a table row becomes one paragraph,
 * its cells separated by " | " (as the import does), not a numbered § per cell.
 */
export interface PastedHtml {
  html: string
  /** Hidden runs and tracked deletions left out. */
  leftOut: number
  /** Struck-through runs kept as ordinary words. */
  struck: number
}

/** What of the browser's DOM this reads (the package is built without the DOM's types: the server compiles it too). */
interface PastedElement {
  readonly tagName: string
  readonly isConnected: boolean
  textContent: string | null
  readonly children: ArrayLike<PastedElement>
  readonly parentNode: { insertBefore(node: PastedElement, before: PastedElement): unknown } | null
  hasAttribute(name: string): boolean
  getAttribute(name: string): string | null
  remove(): void
  closest(selector: string): PastedElement | null
}
interface PastedDocument {
  readonly body: PastedElement & { innerHTML: string; querySelectorAll(selector: string): ArrayLike<PastedElement> }
  createElement(tag: string): PastedElement
}
type Parse = (html: string) => PastedDocument

const browserParse: Parse = (html) => new (globalThis as unknown as { DOMParser: new () => { parseFromString(html: string, type: string): PastedDocument } }).DOMParser().parseFromString(html, 'text/html')

const HIDDEN_STYLE = /(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden|mso-hide\s*:\s*all)\s*(?:;|$)/i
const STRUCK_STYLE = /text-decoration(?:-line)?\s*:[^;]*line-through/i

function hidden(element: PastedElement): boolean {
  return element.hasAttribute('hidden') || element.tagName === 'DEL' || HIDDEN_STYLE.test(element.getAttribute('style') ?? '')
}

function struck(element: PastedElement): boolean {
  return element.tagName === 'S' || element.tagName === 'STRIKE' || STRUCK_STYLE.test(element.getAttribute('style') ?? '')
}

/** `html` as pasted, cleaned as above; `parse` reads HTML into a document (the browser's DOMParser). */
export function cleanPastedHtml(html: string, parse: Parse = browserParse): PastedHtml {
  const doc = parse(html)
  let leftOut = 0
  let struckRuns = 0
  for (const element of Array.from(doc.body.querySelectorAll('*'))) {
    if (!element.isConnected) continue
    if (hidden(element)) {
      if ((element.textContent ?? '').trim() !== '') leftOut += 1
      element.remove()
    } else if (struck(element) && (element.textContent ?? '').trim() !== '') struckRuns += 1
  }
  for (const row of Array.from(doc.body.querySelectorAll('tr'))) {
    const cells = Array.from(row.children).filter((cell) => cell.tagName === 'TD' || cell.tagName === 'TH')
    const paragraph = doc.createElement('p')
    paragraph.textContent = cells.map((cell) => (cell.textContent ?? '').replace(/\s+/g, ' ').trim()).join(' | ')
    const table = row.closest('table')
    table?.parentNode?.insertBefore(paragraph, table)
  }
  for (const table of Array.from(doc.body.querySelectorAll('table'))) table.remove()
  return { html: doc.body.innerHTML, leftOut, struck: struckRuns }
}
