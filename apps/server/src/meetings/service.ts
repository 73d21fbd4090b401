import { randomUUID } from 'node:crypto'
import { amendmentLabel } from '@hemicycle/amendments'
import type {
  AmendmentStatus,
  AttendanceChange,
  Ballot,
  Meeting,
  MeetingEvent,
  MeetingObserver,
  NewBallot,
  NewMeeting,
  NewVote,
  ObserversChange,
  Person,
  RollChange,
  RollEntry,
  Stage,
  Vote,
  VoidVote,
  VoteNotApplied,
  VoteResult,
} from '@hemicycle/protocol'
import {
  adoptingBody,
  calendarDayIn,
  checkBallot,
  checkRollEntry,
  checkRollSeat,
  checkVoteOpening,
  defaultQuorum,
  genderBalance,
  isBalanced,
  keptOfEntry,
  meetingEnd,
  meetingStart,
  mayConductVotes,
  mayVoteFor,
  presentWithVote,
  rebased,
  rebasedEntry,
  takesSeat,
  type BallotsCastBy,
  votingDelegations,
  voteResult,
} from '@hemicycle/rules'
import { type Directory, directory } from '../accounts/directory.ts'
import { audit } from '../audit.ts'
import type { Queryable } from '../db/database.ts'
import type { Logger } from '../logger.ts'
import type { MeetingEvents } from '../events/liveEvents.ts'
import type { Services } from '../http/env.ts'
import { ApiError, conflict, forbidden, notFound, unprocessable } from '../http/errors.ts'
import { findResolution, resolutionExists } from '../resolutions/repository.ts'
import { moveStage } from '../resolutions/stages.ts'
import {
  amendmentFacts,
  type BallotRow,
  ballotRows,
  findMeeting,
  insertMeeting,
  listMeetings,
  loadObservers,
  loadSeats,
  markObserverPresent,
  type Seat,
  writeObservers,
  voteRow,
  type VoteRow,
  voteRows,
  writeSeat,
} from './repository.ts'

export type MeetingServices = Pick<Services, 'db' | 'collab' | 'events' | 'amendments' | 'now' | 'turns' | 'notifications'> & {
  meetingEvents: MeetingEvents
  /** Told of what could not be published after a change that was made (an account's, a delegation's: see `retold`). */
  logger?: Pick<Logger, 'warn'>
}

const unique = (ids: readonly string[]) => [...new Set(ids)]

/** Refuses to register someone whose account is deactivated: they can attend nothing. */
function deactivatedRefusal(dir: Directory, personId: string): void {
  if (dir.inactive.has(personId)) throw unprocessable('account_deactivated', `${dir.person(personId).name}’s account is deactivated: reactivate it to register them.`)
}

/** Who cast which delegation's ballot in a vote (`BallotsCastBy`). */
const castByOf = (ballots: readonly BallotRow[]): BallotsCastBy => new Map(ballots.map((ballot) => [ballot.cast_by, ballot.delegation_id]))

/**
 * People as they are now, those whose account is deactivated left out: someone who can no longer log in gives a
 * delegation no designated voter, and does not raise the quorum (a quorum of 3 with two of four designees deactivated
 * failed a vote both remaining delegations carried).
 */
const activeOf = (dir: Directory) => (id: string) => (dir.inactive.has(id) ? undefined : dir.personOf(id))

const refused = (refusal: { status: 400 | 403 | 409 | 422; code: string; message: string }) => new ApiError(refusal.status, refusal.code, refusal.message)

/**
 * Meetings, their rolls and their votes. Who may do what comes from the
 * rules package; a closed vote's result is fixed and takes effect through
 * the same paths as a chair's decision (amendments) and the stage move
 * (adoption), so a vote changes the text exactly as a person would.
 * Everyone in the meeting follows votes live; how each delegation voted
 * stays hidden until the vote closes.
 */
export class MeetingService {
  constructor(private readonly services: MeetingServices) {}

  subscribe(meetingId: string, handler: (event: MeetingEvent, frame: Uint8Array | null) => void): () => void {
    return this.services.meetingEvents.subscribe(meetingId, handler)
  }

  private publish(meetingId: string, event: MeetingEvent): void {
    this.services.meetingEvents.publish(meetingId, event)
  }

  async meeting(id: string): Promise<Meeting> {
    const meeting = await findMeeting(this.services.db, id)
    if (!meeting) throw notFound('meeting', id)
    return meeting
  }

  list(): Promise<Meeting[]> {
    return listMeetings(this.services.db)
  }

  async create(person: Person, input: NewMeeting): Promise<Meeting> {
    if (person.role !== 'secretariat') throw forbidden('Only the secretariat convenes meetings.')
    // A day is the meeting's own, in its zone: read as midnight UTC, a one-day meeting in Kuala Lumpur from 09:00 "ended
    // before it started", and one in Los Angeles ending the evening before its first day was accepted.
    if (meetingEnd(input.endsAt, input.timeZone) <= meetingStart(input.startsAt, input.timeZone)) throw unprocessable('invalid_dates', 'The meeting ends before it starts.')
    const resolutionIds = unique(input.resolutionIds)
    for (const id of resolutionIds) {
      if (!(await resolutionExists(this.services.db, id))) throw unprocessable('unknown_resolution', `No resolution has the id "${id}".`)
    }
    const meeting: Meeting = { id: randomUUID(), kind: input.kind, title: input.title, place: input.place, startsAt: input.startsAt, endsAt: input.endsAt, timeZone: input.timeZone, resolutionIds }
    await this.services.db.transaction(async (tx) => {
      await insertMeeting(tx, meeting, person.id, this.services.now())
      await audit(tx, { person, action: 'meeting', detail: { meeting: meeting.id, kind: meeting.kind, title: meeting.title } })
    })
    return meeting
  }

  // The roll.

  private entry(seat: Seat, dir: Directory): RollEntry {
    const registered = seat.registeredIds.map((id) => dir.person(id))
    const balance = genderBalance(registered)
    return {
      delegation: dir.delegation(seat.delegationId),
      voting: seat.votingId ? dir.person(seat.votingId) : null,
      substitutes: seat.substituteIds.map((id) => dir.person(id)),
      registered,
      present: [...seat.presentIds],
      seated: seat.seated,
      balance,
      balanced: isBalanced(balance),
    }
  }

  async roll(meetingId: string): Promise<RollEntry[]> {
    await this.meeting(meetingId)
    const [seats, dir] = await Promise.all([loadSeats(this.services.db, meetingId), directory(this.services.db)])
    return seats.map((seat) => this.entry(seat, dir))
  }

  /** Seats a delegation or changes its entry (secretariat); a delegation already seated registers its own people. */
  async setRoll(meetingId: string, delegationId: string, person: Person, change: RollChange): Promise<RollEntry> {
    const meeting = await this.meeting(meetingId)
    if (!(await directory(this.services.db)).delegations.has(delegationId)) throw notFound('delegation', delegationId)
    await this.services.db.transaction(async (tx) => {
      // The meeting row is the lock that keeps two delegations from taking the last seat together, and two changes to one
      // entry from each writing back what the other replaced: the entry is read under it. Read before, a delegation's own
      // registrations, sent as the secretariat designated a new delegate, wrote the old delegate back, both answered 200.
      await tx.query('select id from meetings where id = $1 for update', [meetingId])
      // Held to the end: a removal of the delegation racing this waits, or has gone and this answers 404, not the foreign key's failure.
      const [stillThere] = await tx.query('select id from delegations where id = $1 for key share', [delegationId])
      if (!stillThere) throw notFound('delegation', delegationId)
      const dir = await directory(tx)
      const seats = await loadSeats(tx, meetingId)
      const seat = seats.find((candidate) => candidate.delegationId === delegationId)
      const current = seat ? keptOfEntry(seat, delegationId, dir.personOf) : undefined
      if (person.role !== 'secretariat') {
        if (!mayVoteFor(person, delegationId)) throw forbidden('Only the secretariat, or the delegation itself, registers a delegation’s people.')
        if (change.votingId !== undefined || change.substituteIds !== undefined) {
          throw forbidden('Only the secretariat designates the voting delegate and the substitutes.')
        }
        if (!current) throw forbidden('Only the secretariat seats a delegation on the roll.')
      }
      const named = (id: string) => {
        const found = dir.personOf(id)
        if (!found) throw unprocessable('unknown_person', `Nobody has the id "${id}".`)
        return found
      }
      const stands = current ?? { votingId: null, substituteIds: [], registeredIds: [] }
      const wanted = change.basis
        ? rebasedEntry(stands, change.basis, change)
        : { votingId: change.votingId !== undefined ? change.votingId : stands.votingId, substituteIds: change.substituteIds ?? stands.substituteIds, registeredIds: change.registeredIds ?? stands.registeredIds }
      if (!wanted) throw conflict('roll_changed', 'Someone else designated another voting delegate for this delegation meanwhile: read the roll again and choose.')
      const votingId = wanted.votingId
      const substituteIds = unique(wanted.substituteIds)
      const others = wanted.registeredIds
      const registeredIds = unique([...(votingId ? [votingId] : []), ...substituteIds, ...others])
      const refusal = checkRollEntry(meeting.kind, delegationId, {
        voting: votingId ? named(votingId) : null,
        substitutes: substituteIds.map(named),
        registered: registeredIds.map(named),
      })
      if (refusal) throw refused(refusal)
      // Someone deactivated attends nothing (their logins are refused): not newly registered. One registered before and
      // deactivated since stays, shown absent, and blocks no change to the entry.
      for (const newcomer of registeredIds.filter((candidate) => !seat?.registeredIds.includes(candidate))) deactivatedRefusal(dir, newcomer)
      // A party whose entry sends only observers has no seat; it takes one when it gains a vote or a delegate. Kept with
      // the entry, not read from roles each time: a role changed since would move parties in and out of the 30 seats
      // unchecked. An entry emptied keeps its standing (its only leader not coming does not seat the party).
      const emptied = votingId === null && substituteIds.length === 0 && registeredIds.length === 0
      const seatedNow = emptied && seat ? seat.seated : takesSeat({ votingId, substituteIds, registeredIds }, dir.personOf)
      const seatedBefore = seat?.seated ?? false
      if (seatedNow !== seatedBefore && seat && person.role !== 'secretariat') throw forbidden('Only the secretariat gives a delegation a seat on the roll, or takes it away.')
      if (seatedNow && !seatedBefore) {
        const full = checkRollSeat(meeting.kind, seats.filter((other) => other.delegationId !== delegationId && other.seated).length)
        if (full) throw refused(full)
      }
      await writeSeat(tx, meetingId, { delegationId, votingId, substituteIds, registeredIds, seated: seatedNow }, this.services.now())
      await audit(tx, { person, action: 'roll', detail: { meeting: meetingId, delegation: delegationId, voting: votingId, substitutes: substituteIds, registered: registeredIds } })
    })
    return this.rollChanged(meetingId, delegationId)
  }

  /** Records that a registered person is, or is no longer, present (secretariat). */
  async attendance(meetingId: string, person: Person, change: AttendanceChange): Promise<RollEntry> {
    if (person.role !== 'secretariat') throw forbidden('Only the secretariat records attendance.')
    await this.meeting(meetingId)
    const [row] = await this.services.db.query<{ delegation_id: string }>(
      'update roll_people set present = $3 where meeting_id = $1 and person_id = $2 returning delegation_id',
      [meetingId, change.personId, change.present],
    )
    if (!row) throw unprocessable('not_registered', `Nobody with the id "${change.personId}" is registered for this meeting.`)
    await audit(this.services.db, { person, action: 'attendance', detail: { meeting: meetingId, person: change.personId, present: change.present } })
    return this.rollChanged(meetingId, row.delegation_id)
  }

  /** The observers who belong to no party, registered beside the delegations. */
  async observers(meetingId: string): Promise<MeetingObserver[]> {
    await this.meeting(meetingId)
    return this.observersOf(this.services.db, meetingId)
  }

  /** The observers without a party registered, as they are now: someone given a party or a role since is no longer one (a party registers its own). */
  private async observersOf(db: Queryable, meetingId: string): Promise<MeetingObserver[]> {
    const [rows, dir] = await Promise.all([loadObservers(db, meetingId), directory(db)])
    return rows.flatMap((row) => {
      const person = dir.person(row.personId)
      return person.role === 'observer' && person.delegation === null ? [{ person, present: row.present }] : []
    })
  }

  /**
   * Registers the observers who belong to no party (secretariat): a party's people, its leaders included, are
   * registered with its entry, where they are counted with it; these attend beside the delegations and never vote.
   */
  async setObservers(meetingId: string, person: Person, change: ObserversChange): Promise<MeetingObserver[]> {
    if (person.role !== 'secretariat') throw forbidden('Only the secretariat registers observers.')
    await this.meeting(meetingId)
    await this.services.db.transaction(async (tx) => {
      await tx.query('select id from meetings where id = $1 for update', [meetingId])
      const dir = await directory(tx)
      const current = (await loadObservers(tx, meetingId)).map((row) => row.personId)
      // Only those the list gains are checked: one registered before and given a party or a role since, whom the list no
      // longer shows, blocked every change to it (422 naming nobody the secretariat could see).
      const already = new Set(current)
      const personIds = change.basis ? rebased(current, change.basis, change.personIds) : unique(change.personIds)
      for (const id of personIds.filter((candidate) => !already.has(candidate))) {
        const found = dir.personOf(id)
        if (!found) throw unprocessable('unknown_person', `Nobody has the id "${id}".`)
        if (found.role !== 'observer') throw unprocessable('not_an_observer', `${found.name} is not an observer: a party's people are registered with its entry on the roll.`)
        if (found.delegation) throw unprocessable('observer_of_a_party', `${found.name} belongs to a party: register them with its entry on the roll.`)
        deactivatedRefusal(dir, id)
      }
      await writeObservers(tx, meetingId, personIds)
      await audit(tx, { person, action: 'roll', detail: { meeting: meetingId, observers: personIds } })
    })
    return this.observersChanged(meetingId)
  }

  /** Records that an observer without a party is, or is no longer, present (secretariat). */
  async observerAttendance(meetingId: string, person: Person, change: AttendanceChange): Promise<MeetingObserver[]> {
    if (person.role !== 'secretariat') throw forbidden('Only the secretariat records attendance.')
    await this.meeting(meetingId)
    await this.services.db.transaction(async (tx) => {
      if (!(await markObserverPresent(tx, meetingId, change.personId, change.present))) {
        throw unprocessable('not_registered', `Nobody with the id "${change.personId}" is registered as an observer for this meeting.`)
      }
      await audit(tx, { person, action: 'attendance', detail: { meeting: meetingId, person: change.personId, present: change.present } })
    })
    return this.observersChanged(meetingId)
  }

  private async observersChanged(meetingId: string): Promise<MeetingObserver[]> {
    const observers = await this.observersOf(this.services.db, meetingId)
    this.publish(meetingId, { type: 'observers', observers })
    return observers
  }

  /**
   * Tells every meeting that registered a person whose account changed (a name, a party, a role, deactivated) about
   * the entries and the observers' list they are on, as they now read: an open room showed them as they were until
   * reloaded (a deactivated delegate still present, someone given a party still among the guests).
   */
  personChanged(personId: string): Promise<void> {
    return this.retold('a changed account could not be shown in the meetings that registered it', { personId }, async (db) => {
      const [entries, lists] = await Promise.all([
        db.query<{ meeting_id: string; delegation_id: string }>('select distinct meeting_id, delegation_id from roll_people where person_id = $1', [personId]),
        db.query<{ meeting_id: string }>('select distinct meeting_id from meeting_observers where person_id = $1', [personId]),
      ])
      for (const { meeting_id, delegation_id } of entries) await this.rollChanged(meeting_id, delegation_id)
      for (const { meeting_id } of lists) await this.observersChanged(meeting_id)
    })
  }

  /** Tells every meeting whose roll holds a delegation renamed (its party or country) about its entry, as it now reads. */
  delegationChanged(delegationId: string): Promise<void> {
    return this.retold('a renamed delegation could not be shown in the meetings that seated it', { delegationId }, async (db) => {
      const entries = await db.query<{ meeting_id: string }>('select meeting_id from roll where delegation_id = $1', [delegationId])
      for (const { meeting_id } of entries) await this.rollChanged(meeting_id, delegationId)
    })
  }

  /**
   * Tells open rooms again about a change made elsewhere (an account's, a delegation's). Never fails that change, which
   * is made: a failure to publish is logged.
   */
  private async retold(failure: string, detail: Record<string, unknown>, tell: (db: Queryable) => Promise<void>): Promise<void> {
    try {
      await tell(this.services.db)
    } catch (error) {
      this.services.logger?.warn(failure, { ...detail, error })
    }
  }

  /** Tells the meeting about a changed entry, and about the open votes whose count of delegations present may have moved. */
  private async rollChanged(meetingId: string, delegationId: string): Promise<RollEntry> {
    const [seats, dir] = await Promise.all([loadSeats(this.services.db, meetingId), directory(this.services.db)])
    const entry = this.entry(seats.find((seat) => seat.delegationId === delegationId)!, dir)
    this.publish(meetingId, { type: 'roll', entry })
    const open = await voteRows(this.services.db, meetingId, 'open')
    for (const vote of await this.views(open, null)) this.publish(meetingId, { type: 'vote', action: 'tally', vote })
    return entry
  }

  // Votes.

  /** Votes as `viewer` sees them: ballot choices only once closed, or for the viewer's own delegation; null for what everyone sees. */
  private async views(rows: readonly VoteRow[], viewer: Person | null): Promise<Vote[]> {
    if (rows.length === 0) return []
    const { db } = this.services
    const dir = await directory(db)
    const ballots = await ballotRows(db, rows.map((row) => row.id))
    const seatsByMeeting = new Map<string, Seat[]>()
    for (const meetingId of unique(rows.map((row) => row.meeting_id))) seatsByMeeting.set(meetingId, await loadSeats(db, meetingId))
    const labels = new Map<string, string>()
    for (const row of rows) {
      if (row.subject_kind === 'amendment') {
        const amendment = await amendmentFacts(db, row.amendment_id!)
        labels.set(row.id, amendment ? amendmentLabel(amendment.number, amendment.paragraph) : row.amendment_id!)
      } else {
        labels.set(row.id, (await findResolution(db, row.resolution_id))?.title ?? row.resolution_id)
      }
    }
    return rows.map((row): Vote => {
      // The roll-call reads in the order of the roll: by country, then party.
      const where = (ballot: BallotRow) => {
        const delegation = dir.delegation(ballot.delegation_id)
        return `${delegation.country}\u0000${delegation.party}`
      }
      const own = ballots.filter((ballot) => ballot.vote_id === row.id).sort((a, b) => where(a).localeCompare(where(b)))
      const closed = row.status === 'closed' && row.result !== null
      const eligible = presentWithVote(seatsByMeeting.get(row.meeting_id) ?? [], new Set(own.map((ballot) => ballot.delegation_id)), dir.personOf, castByOf(own))
      return {
        id: row.id,
        meetingId: row.meeting_id,
        subject: row.subject_kind === 'amendment' ? { kind: 'amendment', amendmentId: row.amendment_id! } : { kind: 'adoption', resolutionId: row.resolution_id },
        label: labels.get(row.id)!,
        majority: row.majority,
        quorum: row.quorum,
        status: row.status,
        tally: closed
          ? { yes: row.result!.yes, no: row.result!.no, abstain: row.result!.abstain, cast: own.length, eligible: row.present ?? eligible }
          : { yes: null, no: null, abstain: null, cast: own.length, eligible },
        result: closed ? row.result : null,
        ...(row.status === 'closed' && row.not_applied ? { notApplied: row.not_applied } : {}),
        ballots: own.map((ballot) => this.ballot(ballot, dir, closed || (viewer?.delegation?.id ?? null) === ballot.delegation_id)),
        openedAt: row.opened_at.toISOString(),
        closedAt: row.closed_at?.toISOString() ?? null,
      }
    })
  }

  private ballot(row: BallotRow, dir: Directory, showChoice: boolean): Ballot {
    return {
      delegation: dir.delegation(row.delegation_id),
      ...(showChoice ? { choice: row.choice } : {}),
      castBy: dir.person(row.cast_by),
      at: row.cast_at.toISOString(),
    }
  }

  private async row(voteId: string): Promise<VoteRow> {
    const row = await voteRow(this.services.db, voteId)
    if (!row) throw notFound('vote', voteId)
    return row
  }

  async vote(voteId: string, viewer: Person): Promise<Vote> {
    return (await this.views([await this.row(voteId)], viewer))[0]!
  }

  async votes(meetingId: string, viewer: Person): Promise<Vote[]> {
    await this.meeting(meetingId)
    return this.views(await voteRows(this.services.db, meetingId), viewer)
  }

  private announce(vote: Vote, action: 'opened' | 'tally' | 'closed'): void {
    this.publish(vote.meetingId, { type: 'vote', action, vote })
  }

  async openVote(meetingId: string, person: Person, input: NewVote): Promise<Vote> {
    const { db } = this.services
    const meeting = await this.meeting(meetingId)
    if (!mayConductVotes(person.role)) throw forbidden('Only the secretariat or the chair opens a vote.')
    const amendment = input.subject.kind === 'amendment' ? await amendmentFacts(db, input.subject.amendmentId) : null
    if (input.subject.kind === 'amendment' && !amendment) throw notFound('amendment', input.subject.amendmentId)
    const resolutionId = amendment?.resolution_id ?? (input.subject.kind === 'adoption' ? input.subject.resolutionId : '')
    const resolution = await findResolution(db, resolutionId)
    if (!resolution) throw notFound('resolution', resolutionId)
    if (!meeting.resolutionIds.includes(resolution.id)) throw conflict('not_on_agenda', 'The resolution is not on this meeting’s agenda.')
    const refusal = checkVoteOpening(
      person.role,
      meeting.kind,
      amendment ? { kind: 'amendment', stage: resolution.stage, status: amendment.status } : { kind: 'adoption', stage: resolution.stage },
    )
    if (refusal) throw refused(refusal)
    if (amendment) {
      // A vote on words that no longer apply cleanly could pass and change nothing: the conflict is resolved first.
      const preview = await this.services.amendments.preview(amendment.id)
      if (preview.state !== 'clean') {
        throw conflict(preview.state, `A${amendment.number} ${preview.state === 'obsolete' ? 'is obsolete: its paragraph no longer exists' : 'conflicts with changes made to the same words since it was tabled; resolve it first'}.`)
      }
      const refusal = await this.services.amendments.blocked(amendment.id)
      if (refusal) throw refusal
    }
    const seats = await loadSeats(db, meetingId)
    if (seats.length === 0) throw conflict('empty_roll', 'Nobody is on the roll yet: seat the delegations first.')
    const voting = votingDelegations(seats, new Set(), activeOf(await directory(db)))
    const quorum = input.quorum ?? defaultQuorum(voting)
    if (quorum > voting) throw unprocessable('quorum_unreachable', `The quorum of ${quorum} is more than the ${voting} delegations on the roll with someone to vote for them.`)

    const id = randomUUID()
    const now = this.services.now()
    // In the resolution's turn, as withdrawals, compromises and decisions are: checked and opened with none of them in between
    // (a withdrawal on another connection, between the check of the amendment's status and the vote's insert, left a vote
    // open on a withdrawn amendment).
    await this.services.turns.run(resolution.id, () => db.transaction(async (tx) => {
      // Under the resolution's row, which a stage move takes too: openings on one resolution queue, and no move passes unseen.
      // (No key update, as every decision takes it: an audit row or ballot referring to the resolution, written under a vote's lock, never waits for it.)
      const [locked] = await tx.query<{ stage: Stage }>('select stage from resolutions where id = $1 for no key update', [resolution.id])
      const open = await tx.query(`select 1 from votes where status = 'open' and subject_kind = $1 and coalesce(amendment_id, resolution_id) = $2`, [
        input.subject.kind,
        amendment?.id ?? resolution.id,
      ])
      if (open.length > 0) throw conflict('vote_open', 'A vote on this is already open.')
      const [subject] = amendment ? await tx.query<{ status: AmendmentStatus }>('select status from amendments where id = $1', [amendment.id]) : []
      const still = checkVoteOpening(
        person.role,
        meeting.kind,
        amendment ? { kind: 'amendment', stage: locked!.stage, status: subject!.status } : { kind: 'adoption', stage: locked!.stage },
      )
      if (still) throw refused(still)
      await tx.query(
        `insert into votes (id, meeting_id, subject_kind, amendment_id, resolution_id, majority, quorum, opened_by, opened_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [id, meetingId, input.subject.kind, amendment?.id ?? null, resolution.id, input.majority, quorum, person.id, now],
      )
      await audit(tx, {
        person,
        action: 'vote',
        resolutionId: resolution.id,
        detail: { vote: id, meeting: meetingId, opened: input.subject, ...(amendment ? { amendment: `A${amendment.number}` } : {}), majority: input.majority, quorum },
      })
    }))
    const row = await this.row(id)
    this.announce((await this.views([row], null))[0]!, 'opened')
    return (await this.views([row], person))[0]!
  }

  /** Casts, or replaces, a delegation's ballot. Rights first (403), then whether the vote is still open (409). */
  async cast(voteId: string, person: Person, input: NewBallot): Promise<Ballot> {
    const { db } = this.services
    const vote = await this.row(voteId)
    const delegationId = input.delegationId ?? person.delegation?.id
    if (!delegationId && person.role !== 'observer') throw forbidden('Only a delegation’s voting delegate, or its substitute, casts a ballot.')
    const now = this.services.now()
    const ballot = await db.transaction(async (tx) => {
      const locked = (await voteRow(tx, voteId, { lock: true }))!
      const seat = delegationId ? (await loadSeats(tx, vote.meeting_id)).find((candidate) => candidate.delegationId === delegationId) : undefined
      const dir = await directory(tx)
      const refusal = checkBallot(person, seat, dir.personOf, castByOf(await ballotRows(tx, [voteId])))
      if (refusal) throw refused(refusal)
      if (locked.status !== 'open') throw conflict('vote_closed', 'The vote is closed: ballots can no longer be cast or changed.')
      // One person, one delegation's ballot in a vote: someone who cast their party's ballot, then moved to another party and
      // was designated there, cast a second one, and both counted.
      const [elsewhere] = await tx.query<{ delegation_id: string }>('select delegation_id from ballots where vote_id = $1 and cast_by = $2 and delegation_id <> $3', [
        voteId,
        person.id,
        delegationId,
      ])
      if (elsewhere) throw refused({ status: 403, code: 'cast_for_another', message: `You cast the ballot of another delegation (${elsewhere.delegation_id}) in this vote: one person casts one delegation’s ballot.` })
      const [previous] = await tx.query<{ choice: string }>('select choice from ballots where vote_id = $1 and delegation_id = $2', [voteId, delegationId])
      const [row] = await tx.query<BallotRow>(
        `insert into ballots (vote_id, delegation_id, choice, cast_by, cast_at) values ($1, $2, $3, $4, $5)
         on conflict (vote_id, delegation_id) do update set choice = excluded.choice, cast_by = excluded.cast_by, cast_at = excluded.cast_at
         returning *`,
        [voteId, delegationId, input.choice, person.id, now],
      )
      // Who cast it, for whom and when, never how: the log is read while the vote is open, when the choice is hidden from everyone; the close records the choices.
      await audit(tx, {
        person,
        action: 'ballot',
        resolutionId: vote.resolution_id,
        detail: { vote: voteId, meeting: vote.meeting_id, delegation: delegationId, ...(previous ? { replacesEarlier: true } : {}) },
      })
      return row!
    })
    this.announce((await this.views([await this.row(voteId)], null))[0]!, 'tally')
    return this.ballot(ballot, await directory(db), true)
  }

  /** The result of a vote as its ballots and roll stand in `db`, the people as they are now. */
  private async tally(db: Queryable, vote: VoteRow): Promise<{ result: VoteResult; present: number }> {
    const ballots = await ballotRows(db, [vote.id])
    const seats = await loadSeats(db, vote.meeting_id)
    const dir = await directory(db)
    const voted = new Set(ballots.map((ballot) => ballot.delegation_id))
    const castBy = castByOf(ballots)
    const present = presentWithVote(seats, voted, dir.personOf, castBy)
    const delegations = votingDelegations(seats, voted, activeOf(dir), castBy)
    const result = voteResult({ majority: vote.majority, quorum: vote.quorum, delegations, present, choices: ballots.map((ballot) => ballot.choice) })
    return { result, present }
  }

  /**
   * Closes a vote and applies its result in one transaction: a passed
   * amendment is accepted through the chair's path, rebased on the live
   * text, a failed one rejected; a passed adoption adopts. The vote is
   * closed inside that transaction, under its row lock, so a crash at any
   * instant leaves the vote open and the subject as it was, or both done,
   * and no ballot or decision by hand slips in between. If the amendment's
   * words now conflict, nothing is stored and the vote stays open. A subject
   * that can no longer take the result (its paragraph deleted while the
   * meeting voted, decided or withdrawn meanwhile) keeps the result on
   * record, marked as not applied and why: the minutes never read "passed"
   * for a text the vote did not change.
   */
  async close(voteId: string, person: Person): Promise<Vote> {
    if (!mayConductVotes(person.role)) throw forbidden('Only the secretariat or the chair closes a vote.')
    const { db } = this.services
    const vote = await this.row(voteId)
    if (vote.status !== 'open') throw conflict('vote_closed', 'The vote is already closed.')
    const meeting = await this.meeting(vote.meeting_id)
    // The log names what was decided, as it names it at the opening.
    const subject = vote.amendment_id ? await amendmentFacts(db, vote.amendment_id) : null
    // Refused whatever the ballots say, when the amendment cannot take the result (its words conflict with the text, a
    // rule on the text): refused only when it would pass, the refusal told the closer the result while the vote stayed
    // open and delegations could still change their ballots. Asked again inside the resolution's turn, either way (`decide`).
    const refusal = subject?.status === 'tabled' ? await this.services.amendments.blocked(subject.id) : null
    if (refusal) throw refusal.code === 'conflict' ? conflict('conflict', `${refusal.message} The vote stays open.`) : refusal
    for (let attempt = 1; ; attempt++) {
      const expected = await this.tally(db, vote)
      const now = this.services.now()
      const seal = (notApplied?: VoteNotApplied) => async (tx: Queryable) => {
        const locked = await voteRow(tx, voteId, { lock: true })
        if (locked?.status !== 'open') throw conflict('vote_closed', 'The vote is already closed.')
        const { result, present } = await this.tally(tx, locked)
        // A ballot came in since the result was applied: apply the new one.
        if (JSON.stringify({ result, present }) !== JSON.stringify(expected)) throw new TallyMoved()
        // A ballot cast after this close read the clock, its choice the same as before (the counts did not move), would
        // stand in the record as cast after the vote closed: close again, at a time after it.
        const cast = await ballotRows(tx, [voteId])
        if (cast.some((ballot) => ballot.cast_at.getTime() > now.getTime())) throw new TallyMoved()
        await tx.query(`update votes set status = 'closed', result = $2::text::json, present = $3, closed_by = $4, closed_at = $5, not_applied = $6::text::json where id = $1`, [
          voteId,
          JSON.stringify(result),
          present,
          person.id,
          now,
          notApplied ? JSON.stringify(notApplied) : null,
        ])
        // The choices become public as the vote closes: the roll-call as counted goes on record with the result.
        const ballots = cast.map((ballot) => ({ delegation: ballot.delegation_id, choice: ballot.choice, castBy: ballot.cast_by, at: ballot.cast_at.toISOString() }))
        await audit(tx, {
          person,
          action: 'vote',
          resolutionId: vote.resolution_id,
          detail: {
            vote: voteId,
            meeting: vote.meeting_id,
            subject: vote.subject_kind,
            ...(subject ? { amendment: `A${subject.number}` } : {}),
            closed: result,
            ...(notApplied ? { notApplied: notApplied.code } : {}),
            ballots,
          },
        })
      }
      try {
        await this.takeEffect(vote, expected.result, meeting, calendarDayIn(now, meeting.timeZone), person, seal)
        break
      } catch (error) {
        if (!(error instanceof TallyMoved)) throw error
        if (attempt === 5) throw conflict('vote_busy', 'Ballots keep arriving as the vote closes; nothing was closed. Close it again.')
      }
    }
    const closed = await this.row(voteId)
    this.announce((await this.views([closed], null))[0]!, 'closed')
    return (await this.views([closed], person))[0]!
  }

  /**
   * Voids a vote its subject cannot take, whatever the ballots say: the
   * amendment's words conflict with the text as it now reads, or accepting
   * it would break the rules on the text. The close is refused then, and
   * without this the vote stayed open for good, holding the resolution
   * where it is (no decision by hand, no stage move) unless someone rewrote
   * the text the meeting voted on. Only then, by the secretariat, with a
   * reason: the vote closes with no result, its choices never shown, and
   * the amendment can be decided again. Recorded in the audit log.
   */
  async voidVote(voteId: string, person: Person, input: VoidVote): Promise<Vote> {
    if (person.role !== 'secretariat') throw forbidden('Only the secretariat voids a vote.')
    const vote = await this.row(voteId)
    if (vote.status !== 'open') throw conflict('vote_closed', 'The vote is already closed.')
    const reason = input.reason.trim()
    // In the resolution's turn: a decision or compromise under way may make the words apply again, and the vote, voided on
    // the text as it read before that step, would be set aside for a subject that could take its result.
    await this.services.turns.run(vote.resolution_id, async () => {
      const subject = vote.amendment_id ? await amendmentFacts(this.services.db, vote.amendment_id) : null
      const blocked = subject?.status === 'tabled' && (await this.services.amendments.blocked(subject.id)) !== null
      if (!blocked || !subject) throw conflict('vote_closable', 'The vote can take effect: close it. A vote is voided only when its subject cannot take its result.')
      const now = this.services.now()
      await this.services.db.transaction(async (tx) => {
        const locked = await voteRow(tx, voteId, { lock: true })
        if (locked?.status !== 'open') throw conflict('vote_closed', 'The vote is already closed.')
        const notApplied: VoteNotApplied = { code: 'voided', message: reason }
        await tx.query(`update votes set status = 'closed', result = null, closed_by = $2, closed_at = $3, not_applied = $4::text::json where id = $1`, [voteId, person.id, now, JSON.stringify(notApplied)])
        await audit(tx, { person, action: 'vote', resolutionId: vote.resolution_id, detail: { vote: voteId, meeting: vote.meeting_id, subject: vote.subject_kind, amendment: `A${subject.number}`, voided: reason } })
      })
    })
    const voided = await this.row(voteId)
    this.announce((await this.views([voided], null))[0]!, 'closed')
    return (await this.views([voided], person))[0]!
  }

  /**
   * Applies `result` with `seal` (closing the vote) in the same transaction.
   * When the subject can no longer take it, the vote closes alone, sealed as
   * not applied and why.
   */
  private async takeEffect(
    vote: VoteRow,
    result: VoteResult,
    meeting: Meeting,
    closedOn: string,
    person: Person,
    seal: (notApplied?: VoteNotApplied) => (tx: Queryable) => Promise<void>,
  ): Promise<void> {
    try {
      if (vote.subject_kind === 'amendment') {
        await this.services.amendments.decide(vote.amendment_id!, person, { decision: result.passed ? 'accept' : 'reject' }, { id: vote.id, result, day: closedOn, seal: seal() })
        return
      }
      if (!result.passed) {
        await this.services.db.transaction(seal())
        return
      }
      const move = { to: 'adopted' as const, adoptedBy: adoptingBody(meeting.kind)!, adoptedAt: closedOn, vote: { voteId: vote.id, ...result } }
      await moveStage(this.services, vote.resolution_id, person, move, seal())
    } catch (error) {
      if (!(error instanceof ApiError)) throw error
      if (error.code === 'conflict') throw conflict('conflict', `${error.message} The vote stays open.`)
      if (error.status !== 409 || error.code === 'vote_closed') throw error
      // The meeting voted, so its result goes on record; the subject could not take it, so the record says so, and why.
      await this.services.db.transaction(seal(await this.notApplied(vote, error)))
    }
  }

  /** Why a vote's subject could not take its result: an amendment whose paragraph is gone is obsolete, however the refusal came. */
  private async notApplied(vote: VoteRow, refusal: ApiError): Promise<VoteNotApplied> {
    const amendment = vote.amendment_id ? await amendmentFacts(this.services.db, vote.amendment_id) : null
    if (amendment && (refusal.code === 'obsolete' || amendment.status === 'obsolete')) {
      return { code: 'obsolete', message: `A${amendment.number} no longer applies: its paragraph was deleted while the meeting voted, and the text is unchanged by this vote.` }
    }
    return { code: refusal.code, message: refusal.message }
  }
}

/** A ballot changed the result between its reading and the close: read it again. */
class TallyMoved extends Error {}
