import { Extension } from '@tiptap/core'
import { EditorState, Plugin, Selection, TextSelection } from '@tiptap/pm/state'
import type { EditorView } from '@tiptap/pm/view'
import { getRelativeSelection, type ProsemirrorBinding, ySyncPluginKey } from '@tiptap/y-tiptap'
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
 *
 * Only a click into editable text is followed: from its mouse-down until
 * the browser next reports a caret (ProseMirror reads it then), a key is
 * pressed or the editor loses focus. A caret the browser sets by itself (at the start of the text when
 * focus comes back by Tab or from a button) is ProseMirror's to put back, as
 * it does; one inside a drawing of the editor's own (the margin, an
 * amendment shown) is one ProseMirror ignores, and so is it here.
 */
const clicked = new WeakSet<EditorView>()

/** The caret ProseMirror held when the focus came back by other means than a click, until the browser reports its own. */
const refocused = new WeakMap<EditorView, { caret: Selection; doc: EditorState['doc']; at: number }>()

export function caretNotYetRead(view: EditorView): Selection | null {
  // Only a caret or a run of text: a node or whole-document selection is ProseMirror's own, drawn differently in the page.
  if (!clicked.has(view) || !view.hasFocus() || view.composing || !(view.state.selection instanceof TextSelection)) return null
  const root = view.root as Document
  const page = typeof root.getSelection === 'function' ? root.getSelection() : null
  if (!page?.anchorNode || !page.focusNode || !inText(view, page.anchorNode) || !inText(view, page.focusNode)) return null
  // Read as ProseMirror reads a caret from the page (biased forward).
  const anchor = view.posAtDOM(page.anchorNode, page.anchorOffset, 1)
  const head = view.posAtDOM(page.focusNode, page.focusOffset, 1)
  const { doc } = view.state
  if (anchor < 0 || head < 0 || anchor > doc.content.size || head > doc.content.size) return null
  const placed = TextSelection.between(doc.resolve(anchor), doc.resolve(head))
  return placed.eq(view.state.selection) ? null : placed
}

/** Inside the editable text, not inside something drawn into it that cannot be edited. */
function inText(view: EditorView, node: Node): boolean {
  const element = node instanceof Element ? node : node.parentElement
  if (!element || !view.dom.contains(element)) return false
  const fixed = element.closest('[contenteditable="false"]')
  return !fixed || !view.dom.contains(fixed)
}

/**
 * Takes a clicked caret into ProseMirror before anything else redraws the
 * text: into a transaction that changes neither the text nor the caret (a
 * margin, the amendments shown, a translation's rows, someone's caret
 * moving), and into the caret the binding to Yjs notes as someone else's
 * change begins and puts back after it.
 */
export const PageCaret = Extension.create<{ document: Y.Doc | null }>({
  name: 'pageCaret',
  addOptions: () => ({ document: null }),
  dispatchTransaction({ transaction, next }) {
    // Focus and blur are announced as they happen, before the browser has put its caret where it goes.
    if (!transaction.docChanged && !transaction.selectionSet && !transaction.getMeta('focus') && !transaction.getMeta('blur')) {
      const placed = caretNotYetRead(this.editor.view)
      if (placed) transaction.setSelection(placed)
    }
    next(transaction)
  },
  addProseMirrorPlugins() {
    const doc = this.options.document
    return [
      new Plugin({
        props: {
          handleDOMEvents: {
            mousedown: (view) => {
              // A click into read-only text is read by nobody: left marked, it would act on the caret Chrome sets at the
              // start once the text becomes editable and takes the focus.
              if (view.editable) clicked.add(view)
              return false
            },
            keydown: (view) => {
              clicked.delete(view)
              refocused.delete(view)
              return false
            },
            blur: (view) => {
              clicked.delete(view)
              refocused.delete(view)
              return false
            },
            focus: (view) => {
              // Not by a click: the caret it had is the one to keep (see `refocused`).
              if (!clicked.has(view)) refocused.set(view, { caret: view.state.selection, doc: view.state.doc, at: Date.now() })
              return false
            },
          },
        },
        view(view) {
          const beforeChange = () => {
            // A change of this page's own is made from ProseMirror's state, which has read the page by then.
            if (!doc || doc._transaction?.local !== false || view.isDestroyed) return
            // Yjs has opened its transaction already: a throw here would leave the document unable to take any change.
            try {
              const placed = caretNotYetRead(view)
              const binding = (ySyncPluginKey.getState(view.state) as { binding?: ProsemirrorBinding } | undefined)?.binding
              if (!placed || !binding) return
              // Noted as the binding would note it, from a state holding the page's caret; nothing is dispatched mid-change.
              binding.beforeTransactionSelection = getRelativeSelection(binding, EditorState.create({ doc: view.state.doc, selection: placed }))
            } catch {
              // The binding's own note stands: the old caret, as without this.
            }
          }
          // Reported: ProseMirror reads it (its listener comes first), and a click at the caret it holds changes nothing.
          const reported = () => {
            clicked.delete(view)
            const back = refocused.get(view)
            if (!back) return
            refocused.delete(view)
            // Once every listener has had the report: ProseMirror, taking the focus, listens again after this one.
            setTimeout(() => {
              if (view.isDestroyed || !view.hasFocus() || Date.now() - back.at > 1000 || view.state.doc !== back.doc) return
              // ProseMirror has read the caret the browser set as the focus came back. At the start of the text where it
              // was elsewhere, it is the browser's own, not the person's: ProseMirror puts its caret back only when this
              // comes within 200 ms of the focus, which a busy page misses (seen: words typed into § 1 after Tab).
              const start = Selection.near(view.state.doc.resolve(0), 1)
              if (view.state.selection.eq(start) && !back.caret.eq(start)) view.dispatch(view.state.tr.setSelection(back.caret))
            }, 0)
          }
          const page = view.dom.ownerDocument
          doc?.on('beforeAllTransactions', beforeChange)
          page.addEventListener('selectionchange', reported)
          return {
            update(view, previous) {
              if (!view.state.selection.eq(previous.selection)) clicked.delete(view)
            },
            destroy: () => {
              doc?.off('beforeAllTransactions', beforeChange)
              page.removeEventListener('selectionchange', reported)
            },
          }
        },
      }),
    ]
  },
})
