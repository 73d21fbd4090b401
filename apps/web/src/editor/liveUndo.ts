import { ySyncPluginKey } from '@tiptap/y-tiptap'
import * as Y from 'yjs'

/** Whether a paragraph holds anything someone wrote: a character, or an inline element. */
const holdsAnything = (paragraph: Y.XmlElement) => paragraph.toArray().some((child) => !(child instanceof Y.XmlText) || child.length > 0)

/**
 * The undo history of this tab's own edits to a live text: y-tiptap's, but
 * for which paragraphs an undo may delete. y-tiptap's never deletes a
 * paragraph that is not empty, so that undoing the paragraph one opened
 * never takes away words someone else typed into it since; but the server
 * gives every new paragraph an empty text at once (so that everyone fills
 * the same one), after which no paragraph is ever empty, and Ctrl+Z after
 * Enter left the blank line in place. Here a paragraph is kept only if it
 * holds something; texts are kept as y-tiptap keeps them.
 */
export function liveUndoManager(body: Y.XmlFragment): Y.UndoManager {
  return new Y.UndoManager(body, {
    trackedOrigins: new Set([ySyncPluginKey]),
    captureTransaction: (transaction) => transaction.meta.get('addToHistory') !== false,
    deleteFilter: (item) => {
      if (!(item.content instanceof Y.ContentType)) return true
      const type = item.content.type
      if (type instanceof Y.Text) return type.length === 0
      if (type instanceof Y.XmlElement && type.nodeName === 'paragraph') return !holdsAnything(type)
      return true
    },
  })
}
