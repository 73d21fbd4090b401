import { randomInt } from 'node:crypto'
import * as Y from 'yjs'
import { type AmendmentKind, applyAmendment, type Candidate, editsBetween, normalizeParagraph, type Rebase, type Rewrite, type Run, tokensOfRuns, wordingsSince, deletionBreaksContainer, longestParagraph, rebaseInText, type Wording, wordingLength } from '@hemicycle/amendments'
import { type Inserted, insertedAt } from '@hemicycle/documents'
import { bodyOf, documentGrownPastLimit, grownPastLimit, MAX_BLOCK_TEXT, MAX_DOCUMENT_TEXT, textsChangedBy, yBodyTextLength } from '@hemicycle/schema'
import type { LiveDocument } from '../collab/liveDocument.ts'
import { type ApiError, conflict, documentTooLong, paragraphTooLong } from '../http/errors.ts'
import { type AmendmentRow, baseOf, wordingOf } from './repository.ts'

/*
 * An amendment's acceptance in the live text: the change it makes, made on
 * a copy before anything is stored, and why the text would refuse it (a
 * conflict, a paragraph or a text past its length, a list item left
 * starting with a list). Plain functions of the text and the amendment's
 * row; the service decides when to ask them, inside the resolution's turn.
 */

/** What reading an amendment against the text needs of the others (`blockedNow`). */
export interface Reading {
  /** The paragraphs earlier acceptances inserted at its place (`insertedAmong`). */
  earlier: ReadonlySet<string>
  /** The resolution's amendments, whose decisions say what its paragraph read since it was tabled. */
  rows: readonly AmendmentRow[]
}

/** The amendment as the merge engine reads it against the text, through what its paragraph read since it was tabled. */
export function candidateOf(row: AmendmentRow, rows: readonly AmendmentRow[]): Candidate {
  const since = row.kind === 'insertAfter' ? [] : wordingsSince(row.block_id, row.created_at.toISOString(), rewritesOf(rows))
  return { id: row.id, kind: row.kind, blockId: row.block_id, base: baseOf(row), wording: wordingOf(row), ...(since.length > 0 ? { since } : {}) }
}

/** The blocks these amendments' acceptances rewrote, as their decisions recorded it (`Proposal.since`). */
export const rewritesOf = (rows: readonly AmendmentRow[]): Rewrite[] =>
  rows.flatMap(({ status, decision }) =>
    (status === 'accepted' || status === 'acceptedModified') && decision?.applied?.kind === 'rewrite'
      ? [{ blockId: decision.applied.blockId, at: decision.at, before: decision.applied.before, after: decision.applied.after }]
      : [],
  )

/** What these amendments' acceptances wrote after their blocks. */
export const insertedOf = (rows: readonly AmendmentRow[]): Inserted[] =>
  rows.flatMap(({ block_id: blockId, decision }) => (decision?.applied && decision.applied.kind !== 'delete' ? [{ blockId, ids: decision.applied.inserted.map((block) => block.blockId) }] : []))

/** The paragraphs these amendments' acceptances inserted after `blockId` (null: at the start). */
export const insertedAmong = (rows: readonly AmendmentRow[], blockId: string | null): Set<string> => insertedAt(insertedOf(rows), blockId)

/** The length of a wording's longest paragraph when it is longer than a block may be (`tooLong`), or null. */
export function overlong(wording: Wording): number | null {
  const length = longestParagraph(wording)
  return length > MAX_BLOCK_TEXT ? length : null
}

/**
 * The length of the text once `rebased` is accepted into it, when that is
 * past `MAX_DOCUMENT_TEXT` and longer than it is (`documentGrownPastLimit`),
 * or null. Measured on a copy, and only when the text's length and the
 * wording's, which bounds what an acceptance adds, could pass it: the
 * acceptance itself measures what it made (`changeWithBasis`).
 */
export function passesDocumentLimit(doc: Y.Doc, row: AmendmentRow, rebased: Wording, earlier: ReadonlySet<string>): number | null {
  const before = yBodyTextLength(bodyOf(doc))
  if (before + wordingLength(rebased) <= MAX_DOCUMENT_TEXT) return null
  const copy = new Y.Doc()
  try {
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc))
    applyAmendment(copy, row.kind, row.block_id, rebased, earlier)
    const after = yBodyTextLength(bodyOf(copy))
    return documentGrownPastLimit(after, before) ? after : null
  } finally {
    copy.destroy()
  }
}

/**
 * Whether an accepted amendment's words are in `doc`'s text as they are:
 * accepting it again would change nothing. Its paragraphs added after a
 * block count, as they stand among those accepted amendments (`accepted`)
 * put there.
 */
export function holdsWords(row: AmendmentRow, doc: Y.Doc, accepted: readonly AmendmentRow[]): boolean {
  return holds(acceptedReading(row, doc, accepted))
}

/** What accepting an accepted amendment again would do to `doc` (see `holdsWords`); null for what has no words to hold. */
export function acceptedReading(row: AmendmentRow, doc: Y.Doc, accepted: readonly AmendmentRow[]): Rebase | null {
  // A deletion accepted as modified wrote its paragraph's new wording, as a replacement does (a hostile review: read as a
  // deletion, its words were never looked for, and taking back another decision took them).
  const kind = row.kind === 'delete' && row.decision?.wording !== undefined ? 'replace' : row.kind
  if (kind === 'delete' || (row.block_id === null && kind !== 'insertAfter')) return null
  const wording = row.decision?.wording ?? wordingOf(row)
  return rebaseInText(doc, { ...candidateOf(row, accepted), kind }, wording, insertedAmong(accepted, row.block_id))
}

/** Letters or digits: a word, not a space or a mark. */
const WORD = /[\p{L}\p{N}]/u

/** The words, by their letters (case aside), a change from `before` to `after` takes out and writes. */
function wordsChanged(before: readonly Run[], after: readonly Run[]): { out: Set<string>; written: Set<string> } {
  const from = tokensOfRuns(normalizeParagraph(before))
  const out = new Set<string>()
  const written = new Set<string>()
  for (const edit of editsBetween(from, tokensOfRuns(normalizeParagraph(after)))) {
    for (const token of from.slice(edit.from, edit.to)) if (WORD.test(token.text)) out.add(token.text.toLowerCase())
    for (const token of edit.insert) if (WORD.test(token.text)) written.add(token.text.toLowerCase())
  }
  return { out, written }
}

/**
 * Whether a change of an accepted amendment's paragraph from `before` to
 * `after` takes out a word the amendment wrote, or writes one it took out:
 * by the words' letters, wherever they stand, so a word the same as one of
 * its own counts (a person decides).
 */
export function touchesWordsOf(row: AmendmentRow, before: readonly Run[], after: readonly Run[]): boolean {
  const own = wordsChanged(baseOf(row), (row.decision?.wording ?? wordingOf(row))[0] ?? [])
  const change = wordsChanged(before, after)
  return [...change.out].some((word) => own.written.has(word)) || [...change.written].some((word) => own.out.has(word))
}

/** Whether a reading (`acceptedReading`) says the words are there: accepting again would change nothing. */
export const holds = (reading: Rebase | null): boolean => reading === null || (reading.state === 'clean' && reading.unchanged)

/**
 * A change to the text as a Yjs update (`change`, null when `mutate`
 * changed nothing), made by `mutate` on a copy of the live text under a
 * client id of its own (the server may be writing under its usual one
 * meanwhile), so nothing reaches the live text, or anyone's screen,
 * before it is stored; with the live text's state vector it was made
 * from (`basis`). `grownPast`: the length of a block the change made longer than it was
 * and longer than `MAX_BLOCK_TEXT`, if it did (a revert restoring words
 * beside what was typed since): the caller refuses it, as the live
 * document refuses such an update from anyone else. `documentPast`, the
 * same for the whole text against `MAX_DOCUMENT_TEXT`.
 */
export function changeWithBasis(
  document: LiveDocument,
  mutate: (copy: Y.Doc) => void,
): { change: Uint8Array | null; basis: Uint8Array; grownPast: number | null; documentPast: number | null; grownBy: number } {
  const copy = new Y.Doc()
  try {
    const basis = Y.encodeStateVector(document.doc)
    Y.applyUpdate(copy, document.wholeState())
    do copy.clientID = randomInt(1, 2 ** 32)
    while (Y.getState(document.doc.store, copy.clientID) > 0 || document.gate.clients.owner(copy.clientID) !== undefined)
    // The server's from now on: no participant can write under it, before or after the change lands.
    document.gate.clients.claimForServer(copy.clientID)
    // The transaction's own update: its new structs and only the deletions it made (a state diff would carry every deletion ever made).
    let change: Uint8Array | null = null
    copy.on('update', (update: Uint8Array) => (change = update))
    let grownPast: number | null = null
    copy.on('afterTransaction', (transaction: Y.Transaction) => {
      for (const text of textsChangedBy(transaction)) {
        const length = text.parent instanceof Y.XmlElement ? grownPastLimit(text.parent, document.doc) : null
        if (length !== null) grownPast = Math.max(grownPast ?? 0, length)
      }
    })
    copy.transact(() => mutate(copy))
    const length = yBodyTextLength(bodyOf(copy))
    const before = yBodyTextLength(bodyOf(document.doc))
    const documentPast = documentGrownPastLimit(length, before) ? length : null
    return { change, basis, grownPast, documentPast, grownBy: length - before }
  } finally {
    copy.destroy()
  }
}

/**
 * A wording fits a block (`wording` checks that), but merged with what
 * was written in its paragraph since it was tabled, or with another
 * amendment accepted there, it may not: the text would then hold a
 * paragraph no editor could type into, which the live document refuses.
 */
export function tooLong(row: AmendmentRow, rebased: Wording): ApiError | null {
  const length = overlong(rebased)
  return length === null ? null : paragraphTooLong(`Accepted, A${row.number} would make § ${row.paragraph} ${length} characters long, merged with the paragraph as it now reads`, row.paragraph)
}

export function breaksContainer(row: AmendmentRow, doc: Y.Doc, kind: AmendmentKind): ApiError | null {
  if (kind !== 'delete' || row.block_id === null || !deletionBreaksContainer(doc, row.block_id)) return null
  return conflict(
    'conflict',
    `Deleting § ${row.paragraph} would leave its list item starting with a list or a heading, which no editor can show (it would be deleted, and what is under it): accept A${row.number} as modified, or change the list item by hand first.`,
  )
}

/**
 * Why accepting a tabled amendment as tabled would be refused at this
 * moment of the text, whatever a vote's ballots say: its words conflict
 * with the text, a list item would start with a list, a paragraph would
 * pass the length limit; null when it would apply, or when its paragraph
 * is gone (`obsolete`: a close records the result as not applied). A
 * vote asks it before it opens, as it closes (inside the resolution's
 * turn, for a result either way: refused only when the vote would pass,
 * the refusal told the closer the result while delegations could still
 * change their ballots) and before it is voided.
 */
export function blockedNow(row: AmendmentRow, document: LiveDocument, { earlier, rows }: Reading): ApiError | null {
  const broken = breaksContainer(row, document.doc, row.kind)
  if (broken) return broken
  const rebased = rebaseInText(document.doc, candidateOf(row, rows), wordingOf(row), earlier)
  if (rebased.state === 'conflict') return conflict('conflict', `A${row.number} conflicts with changes made to the same words since it was tabled; resolve it first.`)
  if (rebased.state !== 'clean') return null
  const past = passesDocumentLimit(document.doc, row, rebased.wording, earlier)
  return past === null ? tooLong(row, rebased.wording) : documentTooLong(`Accepted, A${row.number} would make the text too long`, past)
}
