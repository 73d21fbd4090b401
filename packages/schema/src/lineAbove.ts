import { Extension } from '@tiptap/core'
import type { Command } from '@tiptap/pm/state'

/**
 * Enter with the caret at the very start of a textblock that holds
 * something opens a blank line above it. A split there looks the same, but
 * the editor's binding (y-tiptap) pairs the shared document's elements with
 * the new blocks by position: the paragraph's element became the blank first
 * half and its words were written anew into a new element, so they lost their
 * Yjs items, which late-typing watches and the redline's attribution follow.
 * Inserting an empty block before the untouched one leaves its node as it was,
 * and the binding keeps its element, its id and its words.
 */
export const openLineAbove: Command = (state, dispatch) => {
  const { selection } = state
  const { $from } = selection
  if (!selection.empty || !$from.parent.isTextblock || $from.parentOffset !== 0 || $from.parent.content.size === 0 || $from.depth < 1) {
    return false
  }
  const { paragraph, listItem } = state.schema.nodes
  // In a list item, Enter splits the item, and the binding already keeps the item with the words: that is left to it.
  if (!paragraph || $from.node(-1).type === listItem) return false
  const container = $from.node(-1)
  const index = $from.index(-1)
  if (!container.canReplaceWith(index, index, paragraph)) return false
  if (dispatch) {
    const tr = state.tr.insert($from.before(), paragraph.create())
    if (state.storedMarks) tr.setStoredMarks(state.storedMarks)
    dispatch(tr.scrollIntoView())
  }
  return true
}

export const LineAbove = Extension.create({
  name: 'lineAbove',
  // Before the editor's own Enter (splitting the block, or the list item), which both come at the default priority.
  priority: 1000,
  addKeyboardShortcuts() {
    return { Enter: () => this.editor.commands.command(({ state, dispatch }) => openLineAbove(state, dispatch)) }
  },
})
