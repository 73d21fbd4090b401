import { blockRuns, type Run } from '@hemicycle/amendments'
import { candidateOf, readAgainstText } from '@hemicycle/documents'
import type { Amendment } from '@hemicycle/protocol'
import { useMemo, useState } from 'react'
import type * as Y from 'yjs'
import { useDocumentChanges } from '../../editor/useDocumentChanges.ts'

/** One paragraph's amendments as last read, and the words they were read against. */
interface Reading {
  words: string
  amendments: readonly Amendment[]
  read: Amendment[]
}

/**
 * Amendments read paragraph by paragraph against `currentOf` (a block's runs,
 * null when gone), reusing `previous` readings of paragraphs whose words and
 * amendments are as they were: a keystroke reads one paragraph again, not
 * every amendment. Collisions are between amendments to the same block only,
 * so reading block by block is reading them all. Returns the amendments in
 * their order and the readings to hand in next time.
 */
export function readByParagraph(
  amendments: readonly Amendment[],
  currentOf: (blockId: string) => Run[] | null,
  previous: ReadonlyMap<string, Reading> = new Map(),
): { amendments: Amendment[]; readings: Map<string, Reading> } {
  const byBlock = new Map<string, Amendment[]>()
  for (const amendment of amendments) {
    const key = amendment.blockId ?? ''
    byBlock.set(key, [...(byBlock.get(key) ?? []), amendment])
  }
  const readings = new Map<string, Reading>()
  const read = new Map<string, Amendment>()
  for (const [blockId, list] of byBlock) {
    const words = JSON.stringify(blockId === '' ? [] : currentOf(blockId))
    const before = previous.get(blockId)
    const same = before !== undefined && before.words === words && before.amendments.length === list.length && before.amendments.every((amendment, index) => amendment === list[index])
    const reading = same ? before : { words, amendments: list, read: readAgainstText(list, list.filter((amendment) => amendment.status === 'tabled').map(candidateOf), currentOf) }
    readings.set(blockId, reading)
    for (const amendment of reading.read) read.set(amendment.id, amendment)
  }
  return { amendments: amendments.map((amendment) => read.get(amendment.id)!), readings }
}

/**
 * The amendments as they read against the text as this page holds it, read
 * again as it changes: whether each is in conflict, obsolete, or collides
 * with another, as the server would say on accepting. The server's own
 * reading was made when an amendment last changed, and typing since (which
 * announces nothing) can make or undo a conflict or a collision.
 */
export function useAmendmentsAsTextStands(amendments: readonly Amendment[], doc: Y.Doc | null): readonly Amendment[] {
  const changes = useDocumentChanges(doc)
  const [reader] = useState(() => new ParagraphReader())
  return useMemo(
    () => (doc ? reader.read(amendments, (blockId) => blockRuns(doc, blockId)) : amendments),
    // `changes` is what tells the text moved on.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [amendments, doc, changes, reader],
  )
}

/** `readByParagraph` with the last readings kept: a cache each reading draws on, never state a page draws. */
class ParagraphReader {
  private last = new Map<string, Reading>()

  read(amendments: readonly Amendment[], currentOf: (blockId: string) => Run[] | null): Amendment[] {
    const next = readByParagraph(amendments, currentOf, this.last)
    this.last = next.readings
    return next.amendments
  }
}
