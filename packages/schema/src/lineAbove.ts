import { Extension } from '@tiptap/core'
import type { Command } from '@tiptap/pm/state'
import { BLOCK_ID, SOURCE_ID } from './blockId.ts'

/**
 * Enter with the caret at the very start of a textblock that holds
 * something opens a blank line above it. A split there looks the same, but
 * the editor's binding (y-tiptap) pairs the shared document's elements with
 * the new blocks by position: the paragraph's element became the blank first
 * half and its words were written anew into a new element, so they lost their
 * Yjs items, which late-typing watches and the redline's attribution follow.
 * Inserting an empty block of its kind before the untouched one leaves its
 * node as it was, and the binding keeps its element, its id and its words.
 */
export const openLineAbove: Command = (state, dispatch) => {
  const { selection } = state
  const { $from } = selection
  if (!selection.empty || !$from.parent.isTextblock || $from.parentOffset !== 0 || $from.parent.content.size === 0 || $from.depth < 1) {
    return false
  }
  const block = $from.parent
  // In a list item, Enter splits the item, and the binding already keeps the item with the words: that is left to it.
  if ($from.node(-1).type === state.schema.nodes['listItem']) return false
  const container = $from.node(-1)
  const index = $from.index(-1)
  if (!container.canReplaceWith(index, index, block.type)) return false
  if (dispatch) {
    // The line a split would have left above: the same kind of block (a heading of the same level), with no id of its own yet.
    const tr = state.tr.insert($from.before(), block.type.create({ ...block.attrs, [BLOCK_ID]: null, [SOURCE_ID]: null }))
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
