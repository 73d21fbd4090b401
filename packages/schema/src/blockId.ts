import { Extension } from '@tiptap/core'
import { Fragment, type Node as PMNode } from '@tiptap/pm/model'
import { Plugin, PluginKey } from '@tiptap/pm/state'
import { Mapping, type Transform } from '@tiptap/pm/transform'
import { eachDescendant } from './walk.ts'

/**
 * Every textblock (paragraph, heading, and the paragraphs inside lists and
 * blockquotes) carries a stable `id`. Amendments, § numbers and attribution
 * all point at blocks by this id, so it must survive edits, reloads and
 * collaboration, and must never be shared by two blocks.
 */
export const BLOCK_ID = 'id'

/**
 * In a language version of a resolution, every textblock also names the
 * block of the original it translates: § numbers, status and alignment all
 * follow it. Blocks of the original carry none.
 */
export const SOURCE_ID = 'sourceId'

const random = new Uint8Array(16 * 256)
let randomAt = random.length

/** A random UUID v4. `crypto.randomUUID` exists only in secure contexts, `getRandomValues` everywhere. */
export function newBlockId(): string {
  // Random bytes drawn 256 ids at a time: a call per id was about half the time of building a long resolution’s version.
  if (randomAt + 16 > random.length) {
    crypto.getRandomValues(random)
    randomAt = 0
  }
  const bytes = random.slice(randomAt, randomAt + 16)
  randomAt += 16
  bytes[6] = (bytes[6]! & 0x0f) | 0x40
  bytes[8] = (bytes[8]! & 0x3f) | 0x80
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

export function blockIdOf(node: PMNode): string | null {
  const id: unknown = node.attrs[BLOCK_ID]
  return typeof id === 'string' && id.length > 0 ? id : null
}

/** The original's block a version's block translates, or null (a block of the original, or one that lost its link). */
export function sourceIdOf(node: PMNode): string | null {
  const id: unknown = node.attrs[SOURCE_ID]
  return typeof id === 'string' && id.length > 0 ? id : null
}

/**
 * Of textblocks sharing an id, the one that keeps it when nothing says which
 * held it before (a remote change, a load): the first that holds anything,
 * else the first. A paragraph split at its very start by a client without
 * the editor's plugin is a blank line then its words, and the words are the
 * paragraph. The server's repair (`repairYBlockIds`) decides the same: a
 * client and the server repairing one remote change must rename the same
 * block, or both would be renamed and the id lost to both.
 */
export function keeperOf<T>(sharing: readonly T[], holdsAnything: (block: T) => boolean): T {
  return sharing.find(holdsAnything) ?? sharing[0]!
}

/**
 * Gives a fresh id to every textblock of `tr.doc` that has none or shares one.
 * Of blocks sharing an id, the one that held it before the transaction keeps
 * it while it still holds anything (so pasting a copy above the original
 * renames the copy, and a split keeps the id on its first half); a split at
 * the very start leaves that one a blank line, and the id goes with the
 * words. Without that history, `keeperOf` decides. Returns whether anything changed.
 */
export function repairBlockIds(
  tr: Transform,
  before?: { doc: PMNode; mapping: Mapping },
  generate: () => string = newBlockId,
): boolean {
  const holder = new Map<string, number>()
  if (before) {
    eachDescendant(before.doc, (node, pos) => {
      const id = node.isTextblock ? blockIdOf(node) : null
      if (id !== null) {
        const mapped = before.mapping.mapResult(pos, 1)
        if (!mapped.deletedAfter) holder.set(id, mapped.pos)
      }
      return !node.isTextblock
    })
  }

  const positions = new Map<string, number[]>()
  const missing: number[] = []
  eachDescendant(tr.doc, (node, pos) => {
    if (!node.isTextblock) return true
    const id = blockIdOf(node)
    if (id === null) missing.push(pos)
    else if (positions.has(id)) positions.get(id)!.push(pos)
    else positions.set(id, [pos])
    return false
  })

  const holdsAnything = (pos: number) => tr.doc.nodeAt(pos)!.content.size > 0
  const renamed = [...missing]
  for (const [id, at] of positions) {
    if (at.length < 2) continue
    const held = holder.get(id)
    const keeper = held !== undefined && at.includes(held) && (holdsAnything(held) || !at.some(holdsAnything)) ? held : keeperOf(at, holdsAnything)
    renamed.push(...at.filter((pos) => pos !== keeper))
  }
  for (const pos of renamed) tr.setNodeAttribute(pos, BLOCK_ID, generate())
  return renamed.length > 0
}

export const blockIdPluginKey = new PluginKey('blockId')

export function blockIdPlugin(generate: () => string = newBlockId): Plugin {
  return new Plugin({
    key: blockIdPluginKey,
    appendTransaction(transactions, oldState, newState) {
      if (!transactions.some((t) => t.docChanged)) return null
      const mapping = new Mapping()
      for (const t of transactions) mapping.appendMapping(t.mapping)
      const tr = newState.tr
      if (!repairBlockIds(tr, { doc: oldState.doc, mapping }, generate)) return null
      // The repair belongs to the change that called for it: undone with a person's Enter or paste, and kept out of
      // their history with a change that is not theirs (a remote one, an undo). The live editor's binding writes
      // both as one Yjs transaction, whose history is that of the last: a repair kept out of history had kept
      // every Enter and paste out of Ctrl+Z.
      return transactions.some((t) => t.docChanged && t.getMeta('addToHistory') === false) ? tr.setMeta('addToHistory', false) : tr
    },
  })
}

/** The TipTap extension: the `id` attribute on every textblock, and the plugin that keeps it unique. */
export const BlockId = Extension.create({
  name: 'blockId',
  addGlobalAttributes() {
    return [
      {
        types: ['paragraph', 'heading'],
        attributes: {
          [BLOCK_ID]: {
            default: null,
            keepOnSplit: false,
            parseHTML: (element) => element.getAttribute('data-block-id'),
            renderHTML: (attributes) => {
              const id: unknown = attributes[BLOCK_ID]
              return typeof id === 'string' ? { 'data-block-id': id } : {}
            },
          },
          [SOURCE_ID]: {
            default: null,
            // Half of a split translates nothing of its own: the server folds it back into the block it came from.
            keepOnSplit: false,
            parseHTML: (element) => element.getAttribute('data-source-id'),
            renderHTML: (attributes) => {
              const id: unknown = attributes[SOURCE_ID]
              return typeof id === 'string' ? { 'data-source-id': id } : {}
            },
          },
        },
      },
    ]
  },
  addProseMirrorPlugins() {
    return [blockIdPlugin()]
  },
})

/**
 * A copy of `doc` in which every textblock has a unique id: those without
 * one, and all but the keeper (`keeperOf`) of those sharing one, get fresh
 * ids, in that order (as `repairBlockIds` gives them). Built in one copy of the tree: a
 * step per block, as a transaction takes them, cost time and memory in the
 * square of the blocks (an import of 50,000 lines ran the server out of memory).
 */
export function withBlockIds(doc: PMNode, generate: () => string = newBlockId): PMNode {
  const blocks: PMNode[] = []
  eachDescendant(doc, (node) => {
    if (node.isTextblock) blocks.push(node)
    return !node.isTextblock
  })
  // Each id, in the order ids first appear, with the later blocks that share it: renamed id by id, as repairBlockIds does.
  const sharing = new Map<string, number[]>()
  const missing: number[] = []
  blocks.forEach((block, index) => {
    const id = blockIdOf(block)
    if (id === null) missing.push(index)
    else if (sharing.has(id)) sharing.get(id)!.push(index)
    else sharing.set(id, [index])
  })
  const holdsAnything = (index: number) => blocks[index]!.content.size > 0
  const renamed = [...missing]
  for (const at of sharing.values()) {
    if (at.length < 2) continue
    const keeper = keeperOf(at, holdsAnything)
    renamed.push(...at.filter((index) => index !== keeper))
  }
  if (renamed.length === 0) return doc
  const fresh = new Map(renamed.map((index) => [index, generate()]))

  let next = 0
  const copy = (node: PMNode): PMNode => {
    if (node.isTextblock) {
      const id = fresh.get(next++)
      return id === undefined ? node : node.type.create({ ...node.attrs, [BLOCK_ID]: id }, node.content, node.marks)
    }
    if (node.isLeaf) return node
    const children: PMNode[] = []
    node.forEach((child) => void children.push(copy(child)))
    return node.copy(Fragment.fromArray(children))
  }
  return copy(doc)
}
