import { inTextOrder, numberedPlaces } from '@hemicycle/documents'
import type { Amendment } from '@hemicycle/protocol'
import type { NumberedBlock } from '@hemicycle/schema'

/** A place the panel files amendments at: the start of the text, a block as it stands now, or paragraphs no longer in the text. */
export type PanelPlace = { key: string; kind: 'start' | 'gone'; block: null } | { key: string; kind: 'block'; block: NumberedBlock }

export interface PanelOrder {
  /** In the order of the text as it stands (those at the start first, those whose paragraph is gone last). */
  amendments: Amendment[]
  /** The places those amendments are at, in that order, each once: the paragraph filter's choices. */
  places: PanelPlace[]
  /** The key of the place an amendment is at; null while the numbers in force are not known. */
  placeOf: (amendment: Amendment) => string | null
  /** A block of the text as numbered, by id; undefined for one not there, or while the numbers are not known. */
  blockOf: (blockId: string) => NumberedBlock | undefined
}

// Block ids are chosen by clients: a block's key cannot be taken for "start" or "gone".
const blockKey = (blockId: string) => `block:${blockId}`

/**
 * The panel's amendments and paragraph filter by where each paragraph stands
 * now, as the cards, the desk and the booklet cite it. Filed by the § each
 * was tabled at, two paragraphs shared one "§5" once amendments had been
 * reopened and numbers frozen afresh. `blocks`: the text numbered as
 * cited (`numberBlocks`), null until the numbers in force are known, when
 * the amendments stand as tabled and there is nothing to filter by.
 */
export function panelPlaces(amendments: readonly Amendment[], blocks: readonly NumberedBlock[] | null): PanelOrder {
  if (blocks === null) return { amendments: inTextOrder(amendments), places: [], placeOf: () => null, blockOf: () => undefined }
  const byId = new Map(blocks.flatMap((block) => (block.blockId ? [[block.blockId, block] as const] : [])))
  const placeOf = (amendment: Amendment) => (amendment.blockId === null ? 'start' : byId.has(amendment.blockId) ? blockKey(amendment.blockId) : 'gone')
  const ordered = inTextOrder(amendments, numberedPlaces(blocks))
  const places = new Map<string, PanelPlace>()
  for (const amendment of ordered) {
    const key = placeOf(amendment)
    if (places.has(key)) continue
    const block = amendment.blockId === null ? undefined : byId.get(amendment.blockId)
    places.set(key, block ? { key, kind: 'block', block } : { key, kind: key === 'start' ? 'start' : 'gone', block: null })
  }
  return { amendments: ordered, places: [...places.values()], placeOf, blockOf: (blockId) => byId.get(blockId) }
}
