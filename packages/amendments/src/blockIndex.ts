import { BLOCK_ID, bodyOf } from '@hemicycle/schema'
import * as Y from 'yjs'

type Child = Y.XmlElement | Y.XmlText | Y.XmlHook

/** Where a block stands: its element, its parent and its index among the parent's children. */
export interface BlockLocation {
  element: Y.XmlElement
  parent: Y.XmlFragment | Y.XmlElement
  index: number
  /**
   * The parent's children as the index read them (this state of the
   * document; read, never changed): what follows the block, without a
   * `toArray` of a long parent for each lookup.
   */
  siblings: readonly Child[]
}

interface Frame {
  parent: Y.XmlFragment | Y.XmlElement
  children: Child[]
  index: number
}

/**
 * The blocks of one state of a document, found by a single depth-first walk
 * in document order that goes only as far as a lookup needs and that the
 * next lookup resumes. Listing or tabling amendments looks up every tabled
 * amendment's block: a walk from the start for each made that amendments ×
 * blocks on the event loop. A block id held twice is found where a walk
 * from the start meets it first. With a stack of its own: a document may
 * be deep.
 */
class BlockIndex {
  private readonly found = new Map<string, BlockLocation>()
  private readonly stack: Frame[] = []
  /** The body's children, as the walk read them. */
  readonly top: readonly Child[]

  constructor(doc: Y.Doc) {
    this.enter(bodyOf(doc))
    this.top = this.stack[0]!.children
  }

  private enter(parent: Y.XmlFragment | Y.XmlElement): void {
    this.stack.push({ parent, children: parent.toArray(), index: 0 })
  }

  find(blockId: string): BlockLocation | null {
    const known = this.found.get(blockId)
    if (known) return known
    while (this.stack.length > 0) {
      const top = this.stack[this.stack.length - 1]!
      if (top.index >= top.children.length) {
        this.stack.pop()
        continue
      }
      const index = top.index++
      const child = top.children[index]
      if (!(child instanceof Y.XmlElement)) continue
      // Entered before answering, so that the next lookup resumes the walk in document order.
      this.enter(child)
      const id = child.getAttribute(BLOCK_ID)
      if (typeof id !== 'string' || this.found.has(id)) continue
      const location = { element: child, parent: top.parent, index, siblings: top.children }
      this.found.set(id, location)
      if (id === blockId) return location
    }
    return null
  }
}

/** Each document's index, dropped as any change begins: a change, local or from a replica, is always a transaction. */
const indexes = new WeakMap<Y.Doc, { current: BlockIndex | null }>()

export function findBlock(doc: Y.Doc, blockId: string): BlockLocation | null {
  return indexOf(doc).find(blockId)
}

/** The body's top-level children in this state of the document (read, never changed). */
export function bodyChildren(doc: Y.Doc): readonly Child[] {
  return indexOf(doc).top
}

function indexOf(doc: Y.Doc): BlockIndex {
  // Within a transaction the text may already differ from what any index saw: a walk of its own.
  if (doc._transaction !== null) return new BlockIndex(doc)
  let held = indexes.get(doc)
  if (!held) {
    const entry: { current: BlockIndex | null } = { current: null }
    doc.on('beforeTransaction', () => {
      entry.current = null
    })
    indexes.set(doc, entry)
    held = entry
  }
  held.current ??= new BlockIndex(doc)
  return held.current
}
