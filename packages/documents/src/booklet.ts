import type { Run } from '@hemicycle/amendments'
import type { Amendment, Delegation, Language } from '@hemicycle/protocol'
import type { NumberedBlock } from '@hemicycle/schema'
import { type MarkedRun, sideBySide } from './changes.ts'
import { delegationName } from './countries.ts'
import { dayIn, formatDate } from './dates.ts'
import { type DocumentMeta } from './documentModel.ts'
import { letterhead, stampText } from './letterhead.ts'
import { pendingNote, type PendingTranslation } from './pendingTranslation.ts'
import { votedOn } from './record.ts'
import { colon, VOCABULARY } from './vocabulary.ts'

/**
 * The amendments booklet ("cahier des amendements") a meeting works from:
 * every amendment in the order of the text, with where it applies, who
 * tabled and co-signed it, the two wordings side by side with the changed
 * words marked, the justification and what became of it.
 */
export interface BookletEntry {
  id: string
  number: string
  /** "A3 · §7, ligne 23". */
  heading: string
  /** "Remplacer", "Insérer après", … */
  action: string
  compromise: boolean
  tabledBy: string
  cosponsors: string
  original: MarkedRun[][]
  proposed: MarkedRun[][]
  justification: string
  /** "adopté — Ingrid Johansson, 24 novembre 2026", "adopté — par vote, 24 novembre 2026 (24 voix pour, 2 contre, 3 abstentions)", or the status while undecided. */
  decision: string
  /** The reason for a rejection, or the wording adopted when modified. */
  decisionDetail: { label: string; runs: Run[][] } | null
  /**
   * The amendment's paragraph as a language version has it now ("Texte en
   * espagnol"), when asked for, and under each paragraph the version's note
   * when that translation is not confirmed against the original as it reads
   * (`pendingNote`): old or absent words are not printed as the version's.
   * For an insertion, the paragraphs it wrote once accepted, and nothing
   * before: the paragraph it follows is not its translation.
   */
  beside: { label: string; language: Language; paragraphs: BesideParagraph[] } | null
}

export interface BesideParagraph {
  runs: Run[]
  note: string | null
}

/** A language version's block translating an original's block, as printed beside its amendments. */
export interface BesideBlock {
  runs: Run[]
  pending: PendingTranslation | null
  /** False for a heading, whose note cites no §. */
  numbered: boolean
  /** The § it belongs to now, as cited: an inserted paragraph's own, which no amendment was headed with ("2a" while numbers are frozen). */
  section: string
}

/** A language version's text of each block, to print beside the amendments tabled against the original. */
export interface BesideText {
  language: Language
  blockOf: (blockId: string) => BesideBlock | null
}

function besideEntry(
  beside: BesideText,
  { kind, blockId, paragraph, decision }: Pick<Amendment, 'kind' | 'blockId' | 'paragraph' | 'decision'>,
  label: string,
): BookletEntry['beside'] {
  const noteOf = (block: BesideBlock, cited: string) =>
    pendingNote({ pending: block.pending, kind: block.numbered ? 'paragraph' : 'heading', section: cited }, beside.language)
  if (kind === 'insertAfter') {
    // Its own paragraphs, each with the § it holds now: the § the entry is headed with is the one it follows.
    const written = (decision?.inserted ?? []).flatMap((id) => {
      const block = beside.blockOf(id)
      return block ? [{ runs: block.runs, note: noteOf(block, block.section) }] : []
    })
    return written.length > 0 ? { label, language: beside.language, paragraphs: written } : null
  }
  const block = blockId ? beside.blockOf(blockId) : null
  if (!block) return null
  // The § the entry is headed with, as frozen when amendments opened: the one the text has now may differ once an
  // insertion before it was accepted, and one entry would name two paragraphs for one.
  return { label, language: beside.language, paragraphs: [{ runs: block.runs, note: noteOf(block, String(paragraph)) }] }
}

export interface BookletModel {
  letterhead: string
  heading: string
  title: string
  stamp: string
  event: string
  language: DocumentMeta['language']
  /** "Statut : adopté · Délégation : Parti progressiste (France)", or null when unfiltered. */
  filters: string | null
  summary: string
  entries: BookletEntry[]
}


/**
 * Where each block of the text is cited now (its § and first line under the numbers in force) and its place in the
 * text, by block id; null for a block no longer there.
 */
export type BookletPlaces = (blockId: string) => { paragraph: string; line: string; order: number } | null

/** The places of a text's blocks, given in its order with the § each belongs to and its lines as cited (a `ModelBlock`, a printed block). */
export function bookletPlaces(blocks: ReadonlyArray<{ id: string | null; section: string; lineLabels: readonly string[] }>): BookletPlaces {
  const places = new Map(blocks.flatMap((block, order) => (block.id ? [[block.id, { paragraph: block.section, line: block.lineLabels[0] ?? '', order }] as const] : [])))
  return (blockId) => places.get(blockId) ?? null
}

/** The places of a text numbered as cited (`numberBlocks`): each block under the § it belongs to, from its first line. */
export function numberedPlaces(blocks: readonly NumberedBlock[]): BookletPlaces {
  return bookletPlaces(blocks.map(({ blockId, label, lineLabels }) => ({ id: blockId, section: label, lineLabels })))
}

/**
 * The order of the text: by §, then line, then as tabled. With `places`, by
 * where each amendment's paragraph stands now: once amendments were reopened
 * and numbers frozen afresh, two amendments tabled at "§5" in two rounds can
 * be two paragraphs. Those whose paragraph is gone come last, as tabled.
 */
export function inTextOrder(amendments: readonly Amendment[], places: BookletPlaces | null = null): Amendment[] {
  const number = (amendment: Amendment) => Number(amendment.number.replace(/\D/g, '')) || 0
  const byNumbers = (a: Amendment, b: Amendment) => a.paragraph - b.paragraph || a.line - b.line || number(a) - number(b)
  if (places === null) return [...amendments].sort(byNumbers)
  // The start of the text comes first, a paragraph gone last.
  const order = (amendment: Amendment) => (amendment.blockId === null ? -1 : (places(amendment.blockId)?.order ?? Infinity))
  return [...amendments].sort((a, b) => order(a) - order(b) || byNumbers(a, b))
}

export interface BookletFilters {
  status?: string | undefined
  delegation?: Delegation | undefined
}

/**
 * The amendments a booklet prints under its filters: those with the status, and
 * those the delegation tabled or co-sponsors (the booklet a delegation takes
 * to the meeting). The screen and the files filter the same way.
 */
export function bookletAmendments<T extends Pick<Amendment, 'status' | 'delegation' | 'cosponsors'>>(
  amendments: readonly T[],
  { status, delegationId }: { status?: string | undefined; delegationId?: string | undefined },
): T[] {
  return amendments.filter(
    (amendment) =>
      (!status || amendment.status === status) &&
      (!delegationId || amendment.delegation?.id === delegationId || amendment.cosponsors.some((cosponsor) => cosponsor.id === delegationId)),
  )
}

/**
 * The day a decision was taken where it was taken: a vote's, the day it closed
 * in its meeting's time zone, as the adoption it may sit beside is dated; a
 * chair's, in the resolution's. Read in UTC, a vote at a sitting's end in
 * Kuala Lumpur was dated the day before its adoption.
 */
function decidedOn(decision: NonNullable<Amendment['decision']>, meta: DocumentMeta): string {
  return decision.day ?? dayIn(decision.at, meta.timeZone ?? 'UTC')
}

/** `places`: where each paragraph stands and is cited now, when known (`BookletPlaces`). */
export function buildBooklet(amendments: readonly Amendment[], meta: DocumentMeta, filters: BookletFilters = {}, beside: BesideText | null = null, places: BookletPlaces | null = null): BookletModel {
  const words = VOCABULARY[meta.language]
  const entries = inTextOrder(amendments, places).map((amendment): BookletEntry => {
    const tabled = `§${amendment.paragraph}, ${words.line} ${amendment.line}`
    const now = amendment.blockId === null ? null : places?.(amendment.blockId)
    const where =
      amendment.blockId === null ? words.startOfText : now && now.paragraph !== String(amendment.paragraph) ? `§${now.paragraph}, ${words.line} ${now.line} (${words.tabledAt(tabled)})` : tabled
    const base = amendment.kind === 'insertAfter' ? [] : [amendment.baseWording]
    const proposal = amendment.kind === 'delete' ? [] : amendment.wording
    const { before, after } = sideBySide(base, proposal)
    const decided = amendment.decision
    const statusWord = words.statuses[amendment.status]
    const decision = decided?.result
      ? `${statusWord} — ${votedOn(decidedOn(decided, meta), decided.result, meta.language)}`
      : decided
        ? `${statusWord} — ${decided.by.name}, ${formatDate(decidedOn(decided, meta), meta.language)}`
      : amendment.status === 'tabled'
        ? `${statusWord}, ${words.awaiting}`
        : statusWord
    const detail =
      decided?.reason !== undefined
        ? { label: words.reason, runs: [[{ text: decided.reason }]] }
        : decided?.wording !== undefined
          ? { label: words.wordingAdopted, runs: decided.wording }
          : null
    const tabler = amendment.delegation ? `${delegationName(amendment.delegation, meta.language)} — ${amendment.tabledBy.name}` : amendment.tabledBy.name
    return {
      id: amendment.id,
      number: amendment.number,
      heading: `${amendment.number} · ${where}`,
      action: amendment.blockId === null ? words.insertAtStart : words.kinds[amendment.kind],
      compromise: amendment.compromise,
      tabledBy: tabler,
      cosponsors: amendment.cosponsors.length > 0 ? amendment.cosponsors.map((delegation) => delegationName(delegation, meta.language)).join(', ') : words.none,
      original: before,
      proposed: after,
      justification: amendment.justification,
      decision,
      decisionDetail: detail,
      beside: beside ? besideEntry(beside, amendment, words.textIn(beside.language)) : null,
    }
  })
  const sep = colon(meta.language)
  const applied = [
    ...(filters.status ? [`${words.status}${sep}${words.statuses[filters.status as Amendment['status']] ?? filters.status}`] : []),
    ...(filters.delegation ? [`${words.delegation}${sep}${delegationName(filters.delegation, meta.language)}`] : []),
  ]
  return {
    letterhead: letterhead(meta.organisation),
    heading: words.booklet,
    title: meta.title,
    stamp: stampText(meta.stamp, meta.language),
    event: meta.event,
    language: meta.language,
    filters: applied.length > 0 ? applied.join(' · ') : null,
    summary: words.amendments(entries.length),
    entries,
  }
}
