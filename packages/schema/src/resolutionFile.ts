import type { Node as PMNode } from '@tiptap/pm/model'
import { withBlockIds } from './blockId.ts'
import { type FrontMatter, joinResolutionFile, splitResolutionFile } from './frontMatter.ts'
import { type MarkdownRule, parseMarkdownBody, serializeMarkdownBody } from './markdown.ts'

/** A resolution as the alliance writes it down: front matter and a Markdown body. */
export interface ParsedResolution {
  frontMatter: FrontMatter
  /** The body, every textblock with a fresh unique id. */
  doc: PMNode
}

export function parseResolutionMarkdown(text: string): ParsedResolution {
  const { frontMatter, body } = splitResolutionFile(text)
  return { frontMatter, doc: withBlockIds(parseMarkdownBody(body)) }
}

/** `rule`: the canonical Markdown the body is written in (see `serializeMarkdownBody`). */
export function serializeResolutionMarkdown(frontMatter: FrontMatter, doc: PMNode, rule?: MarkdownRule | null): string {
  return joinResolutionFile({ frontMatter, body: serializeMarkdownBody(doc, rule) })
}
