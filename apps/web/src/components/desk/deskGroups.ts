import type { Amendment } from '@hemicycle/protocol'
import type { NumberedBlock } from '@hemicycle/schema'

/**
 * The amendments to one place in the text: a block (with what follows it),
 * the start of the text, or blocks no longer in it. `clusters` puts the
 * amendments that collide with one another together (as the server found
 * them, `collidesWith`), the others each on their own, in number order.
 */
export interface DeskGroup {
  key: string
  place: 'start' | 'block' | 'gone'
  block: NumberedBlock | null
  clusters: Amendment[][]
}

const byNumber = (a: Amendment, b: Amendment) => Number(a.number.slice(1)) - Number(b.number.slice(1))

/** Colliding amendments joined into clusters (a collides with b, b with c: one cluster), those first, then the rest one by one. */
export function collisionClusters(amendments: readonly Amendment[]): Amendment[][] {
  const here = new Map(amendments.map((amendment) => [amendment.id, amendment]))
  const root = new Map(amendments.map((amendment) => [amendment.id, amendment.id]))
  const find = (id: string): string => {
    const parent = root.get(id)!
    if (parent === id) return id
    const top = find(parent)
    root.set(id, top)
    return top
  }
  for (const amendment of amendments) for (const other of amendment.collidesWith) if (here.has(other)) root.set(find(other), find(amendment.id))
  const clusters = new Map<string, Amendment[]>()
  for (const amendment of [...amendments].sort(byNumber)) clusters.set(find(amendment.id), [...(clusters.get(find(amendment.id)) ?? []), amendment])
  const all = [...clusters.values()]
  return [...all.filter((cluster) => cluster.length > 1), ...all.filter((cluster) => cluster.length === 1)]
}

/** The desk's groups in the order of the live text, only where there are amendments. */
export function deskGroups(blocks: readonly NumberedBlock[], amendments: readonly Amendment[]): DeskGroup[] {
  const known = new Set(blocks.flatMap((block) => (block.blockId ? [block.blockId] : [])))
  const group = (key: string, place: DeskGroup['place'], block: NumberedBlock | null, list: Amendment[]): DeskGroup[] =>
    list.length === 0 ? [] : [{ key, place, block, clusters: collisionClusters(list) }]
  return [
    ...group('start', 'start', null, amendments.filter((amendment) => amendment.blockId === null)),
    // Block ids are chosen by clients: a block's key cannot be taken for "start" or "gone".
    ...blocks.flatMap((block) => (block.blockId ? group(`block:${block.blockId}`, 'block', block, amendments.filter((amendment) => amendment.blockId === block.blockId)) : [])),
    ...group('gone', 'gone', null, amendments.filter((amendment) => amendment.blockId !== null && !known.has(amendment.blockId))),
  ]
}
