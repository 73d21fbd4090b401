import { BLOCK_ID, bodyOf } from '@hemicycle/schema'
import * as Y from 'yjs'

/** Where a block stands: its element, its parent and its index among the parent's children. */
export interface BlockLocation {
  element: Y.XmlElement
  parent: Y.XmlFragment | Y.XmlElement
  index: number
}

interface Frame {
  parent: Y.XmlFragment | Y.XmlElement
  children: Array<Y.XmlElement | Y.XmlText | Y.XmlHook>
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

  constructor(doc: Y.Doc) {
    this.enter(bodyOf(doc))
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
      const location = { element: child, parent: top.parent, index }
      this.found.set(id, location)
      if (id === blockId) return location
    }
    return null
  }
}

/** Each document's index, dropped as any change begins: a change, local or from a replica, is always a transaction. */
const indexes = new WeakMap<Y.Doc, { current: BlockIndex | null }>()

export function findBlock(doc: Y.Doc, blockId: string): BlockLocation | null {
  // Within a transaction the text may already differ from what any index saw: a walk of its own.
  if (doc._transaction !== null) return new BlockIndex(doc).find(blockId)
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
  return held.current.find(blockId)
}
