import * as encoding from 'lib0/encoding'
import type * as Y from 'yjs'

/*
 * What a delegate's hand-written client builds and no editor makes: a long
 * chain of deleted items between two neighbouring characters, and items
 * whose neighbours enclose it (Yjs walks the whole chain to place each).
 */

export type ID = [client: number, clock: number]

/**
 * A v1 update of deleted items, by client: each hung after `origin` with
 * `right` as its right neighbour. Written byte by byte, as an attacker does:
 * no Yjs document can make these.
 */
export function deletedItems(byClient: Map<number, Array<{ origin: ID; right: ID }>>, start: Map<number, number> = new Map()): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, byClient.size)
  for (const [client, items] of byClient) {
    encoding.writeVarUint(encoder, items.length)
    encoding.writeVarUint(encoder, client)
    encoding.writeVarUint(encoder, start.get(client) ?? 0)
    for (const { origin, right } of items) {
      // Has an origin, has a right origin, content: deleted (1).
      encoding.writeUint8(encoder, 0x80 | 0x40 | 1)
      encoding.writeVarUint(encoder, origin[0])
      encoding.writeVarUint(encoder, origin[1])
      encoding.writeVarUint(encoder, right[0])
      encoding.writeVarUint(encoder, right[1])
      encoding.writeVarUint(encoder, 1)
    }
  }
  encoding.writeVarUint(encoder, 0)
  return encoding.toUint8Array(encoder)
}

/** Two neighbouring characters of a paragraph of `doc`: X, and R right after it. */
export function neighboursIn(doc: Y.Doc, paragraph: number): { X: ID; R: ID } {
  const text = (doc.getXmlFragment('body').get(paragraph) as Y.XmlElement).get(0) as Y.XmlText
  for (let item = text._start; item; item = item.right) {
    if (!item.deleted && item.length >= 2) return { X: [item.id.client, item.id.clock], R: [item.id.client, item.id.clock + 1] }
  }
  throw new Error('no two neighbouring characters')
}

/** `length` deleted items between X and R, each after the one before, alternating two ids so Yjs cannot merge them. */
export function chain(X: ID, R: ID, length: number, [first, second]: [number, number]) {
  const byClient = new Map<number, Array<{ origin: ID; right: ID }>>([
    [first, []],
    [second, []],
  ])
  let previous = X
  for (let index = 0; index < length; index++) {
    const client = index % 2 === 0 ? first : second
    byClient.get(client)!.push({ origin: previous, right: R })
    previous = [client, Math.floor(index / 2)]
  }
  return { byClient, last: previous }
}
