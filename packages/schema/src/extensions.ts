import type { Extensions } from '@tiptap/core'
import { getSchema } from '@tiptap/core'
import Blockquote from '@tiptap/extension-blockquote'
import Bold from '@tiptap/extension-bold'
import Document from '@tiptap/extension-document'
import Heading from '@tiptap/extension-heading'
import Italic from '@tiptap/extension-italic'
import { BulletList, ListItem, OrderedList } from '@tiptap/extension-list'
import Paragraph from '@tiptap/extension-paragraph'
import Text from '@tiptap/extension-text'
import { BlockId } from './blockId.ts'
import { BlockLength } from './blockLength.ts'
import { LineAbove } from './lineAbove.ts'
import { ComposedText } from './unicode.ts'
import { PasteCleaning } from './pasteCleaning.ts'

/**
 * The resolution's schema, shared by the browser editor and the server:
 * headings, paragraphs, bold, italic, ordered and bullet lists, blockquote,
 * a stable id on every textblock (kept by the words when Enter opens a line
 * above them), and pasting that leaves out characters a resolution cannot hold.
 */
/**
 * Numbered lists number: TipTap's list style (`type`: a., i., …, which
 * pasting "a) …" sets) is left out, since no print, no Markdown and so no
 * hash could say it; the editor shows the numbers every print shows.
 */
const NumberedList = OrderedList.extend({
  addAttributes() {
    const { type: _style, ...attributes } = (this.parent?.() ?? {}) as Record<string, unknown>
    return attributes
  },
})

export const resolutionExtensions: Extensions = [
  Document,
  Paragraph,
  Text,
  Heading.configure({ levels: [1, 2, 3] }),
  Bold,
  Italic,
  BulletList,
  NumberedList,
  ListItem,
  Blockquote,
  BlockId,
  LineAbove,
  ComposedText,
  PasteCleaning,
  BlockLength,
]

export const schema = getSchema(resolutionExtensions)

/** The small rich-text schema of an amendment's wording: paragraphs, bold and italic. */
export const wordingExtensions: Extensions = [Document, Paragraph, Text, Bold, Italic, ComposedText, PasteCleaning]
