import { readFileSync } from 'node:fs'
import { BODY, encodeBody, parseMarkdownBody, withBlockIds } from '@hemicycle/schema'
import * as Y from 'yjs'

/** The Kuala Lumpur draft's Markdown body, as Hemicycle's demo holds it. */
export const DEMO_MARKDOWN = readFileSync(new URL('../../fixtures/cohesion-sociale-et-progres.fr.md', import.meta.url), 'utf8').replace(/^---[\s\S]*?---\n/, '')

/** A body of `count` paragraphs of ordinary length. */
export function paragraphsMarkdown(count: number): string {
  const sentences = DEMO_MARKDOWN.split(/\n\n+/).filter((block) => block.length > 100)
  return Array.from({ length: count }, (_, index) => sentences[index % sentences.length]!).join('\n\n')
}

/** Fills an empty document with a Markdown body, as Hemicycle's import would (the peers start empty). */
export function seed(doc: Y.Doc, markdown: string): void {
  if (doc.getXmlFragment(BODY).length > 0) return
  Y.applyUpdate(doc, encodeBody(withBlockIds(parseMarkdownBody(markdown))))
}

/** The text of the `index`-th top-level block. */
export function textOf(doc: Y.Doc, index: number): Y.XmlText {
  const body = doc.getXmlFragment(BODY)
  return (body.get(index % body.length) as Y.XmlElement).get(0) as Y.XmlText
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const started = performance.now()
  while (!check()) {
    if (performance.now() - started > timeoutMs) throw new Error(`timed out: ${what}`)
    await sleep(10)
  }
}

export const percentile = (values: readonly number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? Number.NaN
}
