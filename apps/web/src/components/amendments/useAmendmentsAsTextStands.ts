import { blockRuns, insertionPlace, paragraphAsRead, readRuns } from '@hemicycle/amendments'
import { candidateOf, type Inserted, insertedAt, insertedBy, readAgainstText } from '@hemicycle/documents'
import type { Amendment } from '@hemicycle/protocol'
import { useMemo, useState } from 'react'
import * as Y from 'yjs'
import { useDocumentChanges } from '../../editor/useDocumentChanges.ts'

/** One paragraph's amendments as last read, and the words they were read against. */
interface Reading {
  words: string
  amendments: readonly Amendment[]
  read: Amendment[]
}

/**
 * What reading a block's amendments looks at: the block's words and, for
 * the paragraphs they add, those already standing where they would go
 * (`insertedAlready`: from right after the block to as many past the
 * paragraphs acceptances put there as the longest wording has).
 */
function wordsRead(doc: Y.Doc, blockId: string | null, amendments: readonly Amendment[], inserted: readonly Inserted[]): string {
  const own = blockId === null ? [] : blockRuns(doc, blockId)
  const adding = Math.max(0, ...amendments.filter((amendment) => amendment.status === 'tabled' && amendment.kind !== 'delete').map((amendment) => amendment.wording.length))
  const place = adding > 0 ? insertionPlace(doc, blockId, insertedAt(inserted, blockId)) : null
  const after = place
    ? place.parent
        .toArray()
        .slice(place.after, place.at + adding)
        .map((sibling) => (sibling instanceof Y.XmlElement ? `${sibling.nodeName}:${paragraphAsRead(readRuns(sibling))}` : null))
    : []
  return JSON.stringify([own, place?.at, after])
}

/**
 * Amendments read paragraph by paragraph against the text `doc` holds,
 * reusing `previous` readings of paragraphs whose words and amendments are
 * as they were: a keystroke reads one paragraph again, not every amendment.
 * Collisions are between amendments to the same block only, and what
 * acceptances wrote after a block only matters to the others there, so
 * reading block by block is reading them all. Returns the amendments in
 * their order and the readings to hand in next time.
 */
export function readByParagraph(amendments: readonly Amendment[], doc: Y.Doc, previous: ReadonlyMap<string, Reading> = new Map()): { amendments: Amendment[]; readings: Map<string, Reading> } {
  const byBlock = new Map<string, Amendment[]>()
  for (const amendment of amendments) {
    const key = amendment.blockId ?? ''
    byBlock.set(key, [...(byBlock.get(key) ?? []), amendment])
  }
  const inserted = insertedBy(amendments)
  const readings = new Map<string, Reading>()
  const read = new Map<string, Amendment>()
  for (const [key, list] of byBlock) {
    const words = wordsRead(doc, key === '' ? null : key, list, inserted)
    const before = previous.get(key)
    const same = before !== undefined && before.words === words && before.amendments.length === list.length && before.amendments.every((amendment, index) => amendment === list[index])
    const reading = same ? before : { words, amendments: list, read: readAgainstText(list, list.filter((amendment) => amendment.status === 'tabled').map(candidateOf), doc, inserted) }
    readings.set(key, reading)
    for (const amendment of reading.read) read.set(amendment.id, amendment)
  }
  return { amendments: amendments.map((amendment) => read.get(amendment.id)!), readings }
}

/**
 * The amendments as they read against the text as this page holds it, read
 * again as it changes: whether each is in conflict, obsolete, already in the
 * text, or collides with another, as the server would say on accepting. The server's own
 * reading was made when an amendment last changed, and typing since (which
 * announces nothing) can make or undo a conflict or a collision.
 */
export function useAmendmentsAsTextStands(amendments: readonly Amendment[], doc: Y.Doc | null): readonly Amendment[] {
  const changes = useDocumentChanges(doc)
  const [reader] = useState(() => new ParagraphReader())
  return useMemo(
    () => (doc ? reader.read(amendments, doc) : amendments),
    // `changes` is what tells the text moved on.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [amendments, doc, changes, reader],
  )
}

/** `readByParagraph` with the last readings kept: a cache each reading draws on, never state a page draws. */
class ParagraphReader {
  private last = new Map<string, Reading>()

  read(amendments: readonly Amendment[], doc: Y.Doc): Amendment[] {
    const next = readByParagraph(amendments, doc, this.last)
    this.last = next.readings
    return next.amendments
  }
}
