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
  readonly parentNode: { insertBefore(node: PastedElement, before: PastedElement | null): unknown } | null
  readonly nextSibling: PastedElement | null
  hasAttribute(name: string): boolean
  getAttribute(name: string): string | null
  remove(): void
  closest(selector: string): PastedElement | null
  querySelectorAll(selector: string): ArrayLike<PastedElement>
  cloneNode(deep: boolean): PastedElement
  after(text: string): void
}
interface PastedDocument {
  readonly body: PastedElement & { innerHTML: string }
  querySelectorAll(selector: string): ArrayLike<PastedElement>
  createElement(tag: string): PastedElement
}
type Parse = (html: string) => PastedDocument

const browserParse: Parse = (html) => new (globalThis as unknown as { DOMParser: new () => { parseFromString(html: string, type: string): PastedDocument } }).DOMParser().parseFromString(html, 'text/html')

/** Declarations that hide what they style, `!important` or not: no display, no visibility, Word's hidden text, no size, no opacity. */
const HIDING = /(?:^|[;{])\s*(?:display\s*:\s*none|visibility\s*:\s*(?:hidden|collapse)|mso-hide\s*:\s*all|font-size\s*:\s*0(?:\.0*)?(?:px|pt|em|rem|%)?|opacity\s*:\s*0(?:\.0*)?)\s*(?:!\s*important\s*)?(?=;|}|$)/i
const STRUCK_STYLE = /text-decoration(?:-line)?\s*:[^;]*line-through/i

/**
 * The elements a `<style>` block of the paste hides through a class or another selector (Word writes its hidden
 * character style so: `span.MasqueChar {display:none; mso-hide:all}`), read rule by rule.
 */
function hiddenByStyleSheets(doc: PastedDocument): Set<PastedElement> {
  const found = new Set<PastedElement>()
  for (const sheet of Array.from(doc.querySelectorAll('style'))) {
    const css = (sheet.textContent ?? '').replace(/<!--|-->/g, ' ').replace(/\/\*[\s\S]*?\*\//g, ' ')
    for (const [, selectors, declarations] of css.matchAll(/([^{}@]+)\{([^{}]*)\}/g)) {
      if (!HIDING.test(declarations!)) continue
      for (const selector of selectors!.split(',')) {
        try {
          for (const element of Array.from(doc.body.querySelectorAll(selector.trim()))) found.add(element)
        } catch {
          // A selector the browser does not read selects nothing here either.
        }
      }
    }
  }
  return found
}

function hidden(element: PastedElement, bySheet: ReadonlySet<PastedElement>): boolean {
  return element.hasAttribute('hidden') || element.tagName === 'DEL' || bySheet.has(element) || HIDING.test(element.getAttribute('style') ?? '')
}

function struck(element: PastedElement): boolean {
  return element.tagName === 'S' || element.tagName === 'STRIKE' || STRUCK_STYLE.test(element.getAttribute('style') ?? '')
}

/** An element's words as a reader sees them: its paragraphs, lines, items and cells apart, not run together. */
function wordsOf(element: PastedElement): string {
  const copy = element.cloneNode(true)
  for (const inner of Array.from(copy.querySelectorAll('p, div, li, br, td, th, tr, table, h1, h2, h3, h4, h5, h6, blockquote, caption'))) inner.after(' ')
  return (copy.textContent ?? '').replace(/\s+/g, ' ').trim()
}

/** `html` as pasted, cleaned as above; `parse` reads HTML into a document (the browser's DOMParser). */
export function cleanPastedHtml(html: string, parse: Parse = browserParse): PastedHtml {
  const doc = parse(html)
  const bySheet = hiddenByStyleSheets(doc)
  let leftOut = 0
  let struckRuns = 0
  // A closed <details> shows its summary alone.
  for (const details of Array.from(doc.body.querySelectorAll('details:not([open])'))) {
    for (const child of Array.from(details.children)) {
      if (child.tagName === 'SUMMARY') continue
      if ((child.textContent ?? '').trim() !== '') leftOut += 1
      child.remove()
    }
  }
  for (const element of Array.from(doc.body.querySelectorAll('*'))) {
    if (!element.isConnected) continue
    if (hidden(element, bySheet)) {
      if ((element.textContent ?? '').trim() !== '') leftOut += 1
      element.remove()
    } else if (struck(element) && (element.textContent ?? '').trim() !== '') struckRuns += 1
  }
  // Innermost tables first: a table in a cell is read as that cell's words.
  for (const table of Array.from(doc.body.querySelectorAll('table')).reverse()) {
    const lines: string[] = []
    for (const caption of Array.from(table.children).filter((child) => child.tagName === 'CAPTION')) lines.push(wordsOf(caption))
    for (const row of Array.from(table.querySelectorAll('tr')).filter((candidate) => candidate.closest('table') === table)) {
      lines.push(
        Array.from(row.children)
          .filter((cell) => cell.tagName === 'TD' || cell.tagName === 'TH')
          .map(wordsOf)
          .join(' | '),
      )
    }
    for (const line of lines.filter((text) => text !== '')) {
      const paragraph = doc.createElement('p')
      paragraph.textContent = line
      table.parentNode?.insertBefore(paragraph, table)
    }
    table.remove()
  }
  return { html: doc.body.innerHTML, leftOut, struck: struckRuns }
}
