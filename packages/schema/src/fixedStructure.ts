import { Extension } from '@tiptap/core'
import { Fragment, type Node as PMNode, type Schema, Slice } from '@tiptap/pm/model'
import { PluginKey, type Transaction } from '@tiptap/pm/state'
import { AddMarkStep, RemoveMarkStep, ReplaceStep } from '@tiptap/pm/transform'
import { BLOCK_ID } from './blockId.ts'
import { type RefusalState, refusingPlugin } from './refusals.ts'

/**
 * A text whose blocks are not its own to shape: a language version, whose
 * headings, paragraphs and lists are the original's, each block naming the
 * original's block it translates. Its editor takes words, never structure:
 * a Backspace at a paragraph's start joined it to the one before (its
 * confirmed translation moved under the other §, and the server gave the
 * emptied § back blank), Enter split one (the server folded the half back,
 * with a space in the middle of the word). The server aligns whatever
 * reaches it; this keeps the editor from sending it.
 */


/** A step that only changes the words of one textblock (typing, deleting within it, marks): the structure cannot have moved. */
function wordsOnly(tr: Transaction): boolean {
  return tr.steps.every((step, index) => {
    if (step instanceof AddMarkStep || step instanceof RemoveMarkStep) return true
    if (!(step instanceof ReplaceStep)) return false
    const { slice } = step
    if (slice.openStart !== 0 || slice.openEnd !== 0) return false
    let inline = true
    slice.content.forEach((node) => (inline &&= node.isInline))
    if (!inline) return false
    const doc = tr.docs[index]!
    const $from = doc.resolve(step.from)
    return $from.parent.isTextblock && $from.sameParent(doc.resolve(step.to))
  })
}

/** The blocks of a document, in order, each with its attributes but its own id, and how many children a container holds: its shape without its words. */
export function structureOf(doc: PMNode): string {
  const parts: string[] = []
  const stack: PMNode[] = [doc]
  while (stack.length > 0) {
    const node = stack.pop()!
    const { [BLOCK_ID]: _id, ...attrs } = node.attrs
    parts.push(node.isTextblock ? `${node.type.name}${JSON.stringify(attrs)}` : `${node.type.name}${JSON.stringify(attrs)}/${node.childCount}`)
    if (node.isTextblock) continue
    for (let index = node.childCount - 1; index >= 0; index--) {
      const child = node.child(index)
      if (!child.isInline) stack.push(child)
    }
  }
  return parts.join('\n')
}

/** Whether a change of this editor's own adds, removes, splits, joins, moves or relabels a block (its `sourceId` included). */
export function reshapes(tr: Transaction): boolean {
  if (!tr.docChanged || wordsOnly(tr)) return false
  return structureOf(tr.before) !== structureOf(tr.doc)
}

/**
 * What is pasted or dropped, as words for the block it lands in: the words of
 * its paragraphs one after the other, a space between two, marks kept. Pasted
 * as blocks, it would add paragraphs the version cannot have, and be refused.
 */
export function wordsOfSlice(slice: Slice, schema: Schema): Slice {
  let blocks = false
  slice.content.forEach((node) => (blocks ||= !node.isInline))
  if (!blocks) return slice
  const inline: PMNode[] = []
  slice.content.descendants((node) => {
    if (!node.isTextblock) return true
    if (node.childCount > 0 && inline.length > 0) inline.push(schema.text(' '))
    node.forEach((child) => inline.push(child))
    return false
  })
  return new Slice(Fragment.from(schema.nodes['paragraph']!.create(null, inline)), 1, 1)
}

/**
 * The typing shortcuts such an editor keeps: marks only. The others ("1. "
 * makes an ordered list, "- " a bullet list, "# " a heading, "> " a quote)
 * change the structure, so their change is refused, and the space typed to
 * set them off went with it ("1.Measures"): words silently run together.
 */
export const WORD_INPUT_RULES = ['bold', 'italic']

export const fixedStructureKey = new PluginKey<RefusalState>('fixedStructure')

/** The TipTap extension of a version's editor: its own changes keep the structure (those that would not are counted, to be said), pastes bring words. */
export const FixedStructure = Extension.create({
  name: 'fixedStructure',
  addProseMirrorPlugins() {
    return [refusingPlugin(fixedStructureKey, reshapes, { transformPasted: (slice, view) => wordsOfSlice(slice, view.state.schema) })]
  },
})
