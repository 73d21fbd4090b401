import { blindTo, type DecisionTrace, type DeleteRanges, deletesDecided, deletesUnseen, traceOf, WatchedDecisions } from '@hemicycle/amendments'
import * as Y from 'yjs'
import type { Logger } from '../../logger.ts'
import type { Extension } from '../extension.ts'
import type { LiveDocument } from '../liveDocument.ts'
import type { StoredDecision } from '../storage.ts'
import { type UpdateOrigin, watchedDecision } from '../origin.ts'

/** Typing in a decision's words by someone who had not seen it, for the record: which decision, on which document, by whom. */
export interface LateTyping {
  resolutionId: string
  amendmentId: string
  personId: string
  /** Set when the decision was taken back (a reset): who took it back, the acceptance's record being cleared. */
  resetBy?: string
}

/**
 * Decisions watched per document at most, the newest: far more than a
 * resolution's amendments, a bound on what accepting and resetting the
 * same amendment over and over could pile up.
 */
export const MAX_WATCHED_DECISIONS = 4_096
/**
 * Deletions connections sent lately, kept per document with who sent them,
 * for a decision being stored meanwhile to read once it is applied: its
 * change as applied leaves out what they deleted already. The last few, for
 * as long as a decision may take to be stored.
 */
export const RECENT_DELETIONS = 64
export const RECENT_DELETIONS_MS = 60_000

interface Deletion {
  ds: DeleteRanges
  personId: string
  at: number
}

/**
 * How long after reporting a person's typing in a decision's words the same person's is reported again. The record
 * notes each person once until a chair checks the paragraph (`noteLateTyping`); a report after that is news again, and
 * the check is made on any instance, so each asks again now and then rather than being told of it.
 */
export const TELL_AGAIN_AFTER_MS = 1_000

interface Watched extends StoredDecision {
  /** When each person's typing in its words was last reported: at most once a `TELL_AGAIN_AFTER_MS`, whatever a client sends. */
  told: Map<string, number>
}

/**
 * Whether a client that announced the state vector `announced` lacked the
 * decision: it held none of the items written under the decision's client
 * id, used for nothing else. Unknown (no state announced, one that cannot
 * be read, a decision that only deleted) counts as having it: no warning
 * without a reason.
 */
function lacked(trace: DecisionTrace, announced: Uint8Array | null): boolean {
  if (!announced || trace.client < 0) return false
  try {
    return (Y.decodeStateVector(announced).get(trace.client) ?? 0) === 0
  } catch {
    return false
  }
}

/** Whether the text holds anything beyond `basis` (a state vector) but what `client` wrote: a comparison of clocks, no encoding. */
function tookSince(document: LiveDocument, basis: Uint8Array, client: number): boolean {
  const before = Y.decodeStateVector(basis)
  for (const [other, clock] of Y.decodeStateVector(Y.encodeStateVector(document.doc))) if (other !== client && clock > (before.get(other) ?? 0)) return true
  return false
}

/**
 * Watches each acceptance's words (and checks what the text took while it
 * was being stored, after it was made from the text), and reports typing
 * that lands in them made by someone whose editor had not received it (see
 * `typedBlind` in the amendments package): Yjs merges both, and the
 * paragraph then differs from the decision. The typing is not refused (a
 * stock client whose update is refused diverges from the server); it is
 * reported, once per decision and person, for the record and the people
 * concerned to be told (`report`). So are deletions of what the decision
 * deleted (see `deletesDecided`), which only the update as the client sent
 * it shows (`onReceive`): "agir vite " deleted without "rapidement", a
 * paragraph joined, moved or split without it.
 *
 * However late: a tab cut off overnight sends its typing when it comes
 * back, long after the text was unloaded or the server restarted. Each
 * decision's row in the log keeps its trace (`doc_updates.watch`), and a
 * text that loads watches every decision its log holds (`stored`), besides
 * those it takes while loaded.
 *
 * Every instance holding the text watches the decision: the one that took
 * it, and the others, to which it travels with the change (origin `remote`
 * with `decision`, see `sharing`); each checks its own connections' updates
 * as sent, deletions included, which only it sees (its change to the others
 * leaves out what the text had deleted already, the decision's deletions
 * among it). Typing made through another instance is checked here too, its
 * typist being the owner of its client id. What two instances both see is
 * recorded once (`report` is deduplicated in the database). Memory: at most
 * `MAX_WATCHED_DECISIONS` traces per document, and the last
 * `RECENT_DELETIONS` deletions connections sent, all dropped when the
 * document unloads. Cost: one query when a document loads; none per update
 * for a text no decision changed words of; otherwise one decoding of each
 * typed update, and a lookup and a binary search per item and per range
 * it deletes, however many decisions are watched (`WatchedDecisions`).
 */
export function lateTyping({
  report,
  stored,
  now = Date.now,
  logger,
}: {
  report: (typing: LateTyping) => Promise<void>
  /** The decisions a document's log holds, oldest first (`readDecisionWatch`). */
  stored: (name: string) => Promise<StoredDecision[]>
  now?: () => number
  logger: Pick<Logger, 'error'>
}): Extension {
  const watched = new Map<LiveDocument, WatchedDecisions<Watched>>()
  const mayTell = (entry: Watched, personId: string) => (entry.told.get(personId) ?? Number.NEGATIVE_INFINITY) <= now() - TELL_AGAIN_AFTER_MS
  const deletions = new Map<LiveDocument, Deletion[]>()
  /** What a connection's update deleted once applied, while decisions are watched, for `onReceive` to compare with what it sent. */
  const applied = new Map<LiveDocument, { origin: UpdateOrigin; ds: DeleteRanges }>()

  /**
   * Watches more decisions; one already watched (the same change, read from the log and heard live) is kept once,
   * known by the client it wrote under: decisions that only deleted wrote under none (-1), and are each kept.
   */
  const add = (document: LiveDocument, entries: Watched[], { older = false } = {}) => {
    const current = watched.get(document)?.list ?? []
    const clients = new Set(entries.flatMap((entry) => (entry.trace.client >= 0 ? [entry.trace.client] : [])))
    const kept = current.filter((entry) => !clients.has(entry.trace.client))
    watched.set(document, new WatchedDecisions((older ? [...entries, ...kept] : [...kept, ...entries]).slice(-MAX_WATCHED_DECISIONS)))
  }

  /** The person who owns an item's client id, if a person does. */
  const ownerOf = (document: LiveDocument, item: Y.Item): string | null => {
    const owner = document.gate.clients.owner(item.id.client)
    return owner?.kind === 'person' ? owner.personId : null
  }

  /** Who typed an item: the connection's person, or for another instance's update, whoever owns the item's client id. */
  const typist = (document: LiveDocument, origin: UpdateOrigin, item: Y.Item): string | null => (origin.kind === 'connection' ? origin.person.id : ownerOf(document, item))

  const tell = (document: LiveDocument, blindTo: Watched, personId: string | null) => {
    // An acceptance taken back since: typing blind to it, from someone who received neither, lands beside the words the
    // reset put back, and is the reset's to report (the acceptance's record is cleared).
    const list = watched.get(document)?.list ?? []
    const after = list.indexOf(blindTo)
    const entry = (blindTo.resetBy === undefined && after >= 0 && list.slice(after + 1).findLast((later) => later.amendmentId === blindTo.amendmentId && later.resetBy !== undefined)) || blindTo
    if (personId === null || !mayTell(entry, personId)) return
    entry.told.set(personId, now())
    report({ resolutionId: document.resolutionId, amendmentId: entry.amendmentId, personId, ...(entry.resetBy ? { resetBy: entry.resetBy } : {}) }).catch((error: unknown) =>
      logger.error('typing in the words of a decision could not be recorded', { resolutionId: document.resolutionId, amendmentId: entry.amendmentId, error }),
    )
  }

  const watch = (document: LiveDocument, amendmentId: string, update: Uint8Array, basis: Uint8Array | undefined, made: Uint8Array | undefined, resetBy?: string) => {
    const trace = traceOf(update)
    if (!trace) return
    const entry: Watched = { trace, amendmentId, ...(resetBy ? { resetBy } : {}), told: new Map<string, number>() }
    add(document, [entry])
    // Deletions that reached the text while the decision was being stored, of what it deleted: alive when it was made
    // (it deleted them), so deleted since, without it. The change as made names them; the one applied does not.
    const asMade = basis && made ? traceOf(made) : null
    if (asMade) for (const { ds, personId, at } of deletions.get(document) ?? []) if (at > now() - RECENT_DELETIONS_MS && deletesDecided(asMade, ds)) tell(document, entry, personId)
    // Typing the text took while the decision was being stored, after it was made from the text: as blind to it as any
    // that comes later, and already merged in.
    if (!basis || !tookSince(document, basis, trace.client)) return
    for (const struct of Y.decodeUpdate(Y.encodeStateAsUpdate(document.doc, basis)).structs) {
      if (struct instanceof Y.Item && struct.id.client !== trace.client && blindTo(trace, struct)) tell(document, entry, ownerOf(document, struct))
    }
  }

  return {
    name: 'lateTyping',
    async onLoadDocument({ document }) {
      const decisions = await stored(document.name)
      if (decisions.length > 0) add(document, decisions.map((decision) => ({ ...decision, told: new Map<string, number>() })), { older: true })
    },
    onChange({ document, update, origin }) {
      // Taking a decision back rewrites its words as much as making it did; made here or on another instance, alike.
      const decision = watchedDecision(origin)
      if (decision) {
        watch(document, decision.amendmentId, update, decision.basis, decision.made, decision.resetBy)
        return
      }
      if (origin.kind !== 'connection' && origin.kind !== 'remote') return
      const found = watched.get(document)
      if (!found) return
      const decoded = Y.decodeUpdate(update)
      if (origin.kind === 'connection') applied.set(document, { origin, ds: decoded.ds })
      for (const struct of decoded.structs) {
        if (!(struct instanceof Y.Item)) continue
        for (const entry of found.blindTo(struct)) tell(document, entry, typist(document, origin, struct))
      }
    },
    onReceive({ document, decoded, origin, relayed, announced }) {
      // This update's, or none: an update that changed nothing made no change for `onChange` to see.
      const took = applied.get(document)?.origin === origin ? applied.get(document)!.ds : null
      applied.delete(document)
      if (decoded.ds.clients.size === 0) return
      const recent = deletions.get(document) ?? []
      recent.push({ ds: decoded.ds, personId: origin.person.id, at: now() })
      if (recent.length > RECENT_DELETIONS) recent.shift()
      deletions.set(document, recent)
      const found = watched.get(document)
      if (!found) return
      // A sync answer carries every deletion its client holds, the decision's too once it had it: news only from one without it.
      for (const entry of found.deletedAgain(decoded.ds)) if (mayTell(entry, origin.person.id) && (!relayed || lacked(entry.trace, announced))) tell(document, entry, origin.person.id)
      for (const client of took?.clients.keys() ?? []) {
        const entry = found.writtenBy(client)
        if (entry && mayTell(entry, origin.person.id) && deletesUnseen(entry.trace, decoded.ds, took!)) tell(document, entry, origin.person.id)
      }
    },
    async onUnloadDocument({ document }) {
      watched.delete(document)
      deletions.delete(document)
      applied.delete(document)
    },
  }
}
