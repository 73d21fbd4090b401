import type { ImportPreview, ImportWarning } from '@hemicycle/protocol'
import { numberBlocks, type ParsedResolution, serializeResolutionMarkdown } from '@hemicycle/schema'
import { unprocessable } from '../http/errors.ts'

/** What an import would create: the resolution's heading, its size, the file it would be made from. */
export function importPreview(parsed: ParsedResolution, warnings: ImportWarning[], name: string): ImportPreview {
  if (parsed.doc.textContent.trim().length === 0) throw unprocessable('empty_document', `${name} has no text.`)
  const blocks = numberBlocks(parsed.doc)
  const field = (key: string) => (typeof parsed.frontMatter[key] === 'string' ? (parsed.frontMatter[key] as string) : null)
  return {
    title: field('title') ?? '',
    language: field('language') ?? 'fr',
    stamp: { label: field('status') ?? '', date: field('draft_date') },
    event: field('event') ?? '',
    paragraphs: blocks.filter((block) => block.numbered).length,
    lines: blocks.at(-1)?.lastLine ?? 0,
    markdown: serializeResolutionMarkdown(parsed.frontMatter, parsed.doc),
    warnings,
  }
}
