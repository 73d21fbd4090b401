import { type Selection, TextSelection, type Transaction } from '@tiptap/pm/state'
import type { EditorView } from '@tiptap/pm/view'

/**
 * Dispatches a transaction that only redraws decorations (the margin, the
 * amendments shown in the text, the rows beside a translation).
 *
 * ProseMirror learns where a click put the caret from the browser's
 * `selectionchange` event, a moment after the click. A redraw dispatched in
 * that moment (someone's confirmation or amendment arriving) writes the
 * caret ProseMirror still holds back into the page, and the words typed next
 * go into the paragraph the person had left. The redraw carries the page's
 * caret instead, as ProseMirror would have read it.
 */
export function redraw(view: EditorView, tr: Transaction): void {
  const placed = caretNotYetRead(view)
  view.dispatch(placed ? tr.setSelection(placed) : tr)
}

function caretNotYetRead(view: EditorView): Selection | null {
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
