import { findBlock, insertionPlace, readRuns } from '@hemicycle/amendments'
import { candidateOf, type Inserted, insertedAt, insertedBy, readAgainstText } from '@hemicycle/documents'
import type { Amendment } from '@hemicycle/protocol'
import { useEffect, useMemo, useState } from 'react'
import * as Y from 'yjs'
import { useStore } from 'zustand'
import type { Room } from '../../editor/room.ts'
import { useDocumentChanges } from '../../editor/useDocumentChanges.ts'

/** One paragraph's amendments as last read, and what of the text they were read against (`wordsRead`). */
interface Reading {
  words: WordsRead
  amendments: readonly Amendment[]
  read: Amendment[]
}

/** An element's kind and exact words (`readRuns`, formatting included): what a reading of it depends on. */
export type WordsOf = (element: Y.XmlElement) => string

const wordsOfElement: WordsOf = (element) => `${element.nodeName}:${JSON.stringify(readRuns(element))}`

interface WordsRead {
  own: string | null
  at: number | undefined
  after: readonly (string | null)[]
}

/**
 * What reading a block's amendments looks at: the block's words and, for
 * the paragraphs they add, those already standing where they would go
 * (`insertedAlready`: from right after the block to as many past the
 * paragraphs acceptances put there as the longest wording has).
 */
function wordsRead(doc: Y.Doc, blockId: string | null, amendments: readonly Amendment[], inserted: readonly Inserted[], wordsOf: WordsOf): WordsRead {
  const block = blockId === null ? null : findBlock(doc, blockId)
  const own = block ? wordsOf(block.element) : null
  const adding = Math.max(0, ...amendments.filter((amendment) => amendment.status === 'tabled' && amendment.kind !== 'delete').map((amendment) => amendment.wording.length))
  const place = adding > 0 ? insertionPlace(doc, blockId, insertedAt(inserted, blockId)) : null
  const after: (string | null)[] = []
  if (place) for (let index = place.after; index < Math.min(place.at + adding, place.siblings.length); index++) {
    const sibling = place.siblings[index]
    after.push(sibling instanceof Y.XmlElement ? wordsOf(sibling) : null)
  }
  return { own, at: place?.at, after }
}

// Compared entry by entry: the cached strings of unchanged paragraphs are the same strings, so this costs no reading of words.
const sameWords = (a: WordsRead, b: WordsRead) => a.own === b.own && a.at === b.at && a.after.length === b.after.length && a.after.every((words, index) => words === b.after[index])

/**
 * Amendments read paragraph by paragraph against the text `doc` holds,
 * reusing `previous` readings of paragraphs whose words and amendments are
 * as they were: a keystroke reads one paragraph again, not every amendment.
 * Collisions are between amendments to the same block only, and what
 * acceptances wrote after a block only matters to the others there, so
 * reading block by block is reading them all. Returns the amendments in
 * their order and the readings to hand in next time.
 */
export function readByParagraph(
  amendments: readonly Amendment[],
  doc: Y.Doc,
  previous: ReadonlyMap<string, Reading> = new Map(),
  wordsOf: WordsOf = wordsOfElement,
): { amendments: Amendment[]; readings: Map<string, Reading> } {
  const byBlock = new Map<string, Amendment[]>()
  for (const amendment of amendments) {
    const key = amendment.blockId ?? ''
    byBlock.set(key, [...(byBlock.get(key) ?? []), amendment])
  }
  const inserted = insertedBy(amendments)
  const readings = new Map<string, Reading>()
  const read = new Map<string, Amendment>()
  for (const [key, list] of byBlock) {
    const words = wordsRead(doc, key === '' ? null : key, list, inserted, wordsOf)
    const before = previous.get(key)
    const same = before !== undefined && sameWords(before.words, words) && before.amendments.length === list.length && before.amendments.every((amendment, index) => amendment === list[index])
    const reading = same ? before : { words, amendments: list, read: readAgainstText(list, list.filter((amendment) => amendment.status === 'tabled').map((amendment) => candidateOf(amendment, list)), doc, inserted) }
    readings.set(key, reading)
    for (const amendment of reading.read) read.set(amendment.id, amendment)
  }
  return { amendments: amendments.map((amendment) => read.get(amendment.id)!), readings }
}

/** The amendments listed obsolete whose paragraph the text holds (again). */
export const obsoleteWithBlock = (amendments: readonly Amendment[], doc: Y.Doc): string[] =>
  amendments.filter((amendment) => amendment.status === 'obsolete' && amendment.blockId !== null && findBlock(doc, amendment.blockId) !== null).map((amendment) => amendment.id)

/**
 * The amendments as they read against the text as this page holds it, read
 * again as it changes: whether each is in conflict, obsolete, already in the
 * text, or collides with another, as the server would say on accepting. The server's own
 * reading was made when an amendment last changed, and typing since (which
 * announces nothing) can make or undo a conflict or a collision. One listed
 * obsolete whose paragraph comes back is asked of the server again.
 */
export function useAmendmentsAsTextStands(room: Room, doc: Y.Doc | null): readonly Amendment[] {
  const amendments = useStore(room.store, (state) => state.amendments)
  const changes = useDocumentChanges(doc)
  const [reader] = useState(() => new ParagraphReader())
  useEffect(() => () => reader.dispose(), [reader])
  useEffect(() => {
    if (doc) room.readAgainWhenBack(obsoleteWithBlock(amendments, doc))
    // `changes` is what tells the text moved on.
  }, [room, amendments, doc, changes])
  return useMemo(
    () => (doc ? reader.read(amendments, doc) : amendments),
    // `changes` is what tells the text moved on.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [amendments, doc, changes, reader],
  )
}

/**
 * `readByParagraph` with the last readings kept, and each paragraph's words
 * read once until a transaction changes it: with hundreds of insertions,
 * each looking at up to 200 paragraphs after its block, reading those
 * paragraphs' words on every keystroke took a second. A cache each reading
 * draws on, never state a page draws.
 */
export class ParagraphReader {
  private last = new Map<string, Reading>()
  private words = new WeakMap<Y.XmlElement, string>()
  private doc: Y.Doc | null = null

  /** Forgets the words of every element a transaction changed, and of the elements holding it. */
  private readonly forget = (transaction: Y.Transaction) => {
    for (const type of transaction.changed.keys()) {
      for (let at: unknown = type; at instanceof Y.AbstractType; at = at.parent) if (at instanceof Y.XmlElement) this.words.delete(at)
    }
  }

  private readonly wordsOf: WordsOf = (element) => {
    let words = this.words.get(element)
    if (words === undefined) this.words.set(element, (words = wordsOfElement(element)))
    return words
  }

  read(amendments: readonly Amendment[], doc: Y.Doc): Amendment[] {
    if (doc !== this.doc) {
      this.dispose()
      this.doc = doc
      doc.on('afterTransaction', this.forget)
    }
    const next = readByParagraph(amendments, doc, this.last, this.wordsOf)
    this.last = next.readings
    return next.amendments
  }

  dispose(): void {
    this.doc?.off('afterTransaction', this.forget)
    this.doc = null
    this.last = new Map()
    this.words = new WeakMap()
  }
}
