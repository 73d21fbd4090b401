import { Extension } from '@tiptap/core'
import { Plugin, type Selection, TextSelection } from '@tiptap/pm/state'
import type { EditorView } from '@tiptap/pm/view'
import type * as Y from 'yjs'

/**
 * The caret a click has placed in the page and ProseMirror has not read yet.
 *
 * ProseMirror learns where a click put the caret from the browser's
 * `selectionchange` event, a moment after the click. Anything that redraws
 * the text in that moment (a decoration shown anew, someone else's words or
 * caret arriving) writes the caret ProseMirror still holds back into the
 * page, and the words typed next go into the paragraph the person had left
 * (seen: a translator's words written into the paragraph above).
 */
export function caretNotYetRead(view: EditorView): Selection | null {
  // Only a caret or a run of text: a node or whole-document selection is ProseMirror's own, drawn differently in the page.
  if (!view.hasFocus() || view.composing || !(view.state.selection instanceof TextSelection)) return null
  const root = view.root as Document
  const page = typeof root.getSelection === 'function' ? root.getSelection() : null
  if (!page?.anchorNode || !page.focusNode || !view.dom.contains(page.anchorNode) || !view.dom.contains(page.focusNode)) return null
  let anchor: number
  let head: number
  try {
    anchor = view.posAtDOM(page.anchorNode, page.anchorOffset)
    head = view.posAtDOM(page.focusNode, page.focusOffset)
  } catch {
    // Inside a drawing of the editor's own (a margin, a caret's name): ProseMirror keeps its caret there too.
    return null
  }
  const { doc } = view.state
  if (anchor < 0 || head < 0 || anchor > doc.content.size || head > doc.content.size) return null
  const placed = TextSelection.between(doc.resolve(anchor), doc.resolve(head))
  return placed.eq(view.state.selection) ? null : placed
}

/**
 * Takes the page's caret into ProseMirror before anything else redraws the
 * text: into a transaction that changes neither the text nor the caret (a
 * margin, the amendments shown, a translation's rows, someone's caret
 * moving), and before someone else's change is applied, since the binding
 * to Yjs notes ProseMirror's caret as the change begins and puts it back
 * after. Runs ahead of the binding (its plugin comes first, and so does its
 * listener).
 */
export const PageCaret = Extension.create<{ document: Y.Doc | null }>({
  name: 'pageCaret',
  priority: 1001,
  addOptions: () => ({ document: null }),
  dispatchTransaction({ transaction, next }) {
    if (!transaction.docChanged && !transaction.selectionSet) {
      const placed = caretNotYetRead(this.editor.view)
      if (placed) transaction.setSelection(placed)
    }
    next(transaction)
  },
  addProseMirrorPlugins() {
    const doc = this.options.document
    if (!doc) return []
    return [
      new Plugin({
        view(view) {
          const beforeChange = () => {
            // A change of this page's own is made from ProseMirror's state, which has read the page by then.
            if (doc._transaction?.local !== false || view.isDestroyed) return
            const placed = caretNotYetRead(view)
            if (placed) view.dispatch(view.state.tr.setSelection(placed))
          }
          doc.on('beforeAllTransactions', beforeChange)
          return { destroy: () => doc.off('beforeAllTransactions', beforeChange) }
        },
      }),
    ]
  },
})
