import type { Choice, Majority, Meeting, MeetingKind, VoteNotApplied, VoteResult } from '@hemicycle/protocol'
import { meetingStart, type SeatFacts } from '@hemicycle/rules'
import type { Queryable } from '../db/database.ts'

/** Meetings, their rolls, votes and ballots as stored; the service turns them into the API's shapes. */
interface MeetingRow {
  id: string
  kind: MeetingKind
  title: string
  place: string
  starts_at: string
  ends_at: string
  time_zone: string
}

export async function listMeetings(db: Queryable): Promise<Meeting[]> {
  // Latest first by when they start: as written ("2026-12-10T09:00+14:00", "2026-12-09T20:00-11:00"), dates do not sort so.
  const rows = (await db.query<MeetingRow>('select * from meetings order by title'))
    .map((row) => ({ row, starts: meetingStart(row.starts_at, row.time_zone) }))
    .sort((a, b) => b.starts - a.starts)
    .map(({ row }) => row)
  const agenda = await db.query<{ meeting_id: string; resolution_id: string }>('select meeting_id, resolution_id from meeting_agenda order by meeting_id, position')
  return rows.map((row) => toMeeting(row, agenda.filter((item) => item.meeting_id === row.id).map((item) => item.resolution_id)))
}

export async function findMeeting(db: Queryable, id: string): Promise<Meeting | null> {
  const [row] = await db.query<MeetingRow>('select * from meetings where id = $1', [id])
  if (!row) return null
  const agenda = await db.query<{ resolution_id: string }>('select resolution_id from meeting_agenda where meeting_id = $1 order by position', [id])
  return toMeeting(row, agenda.map((item) => item.resolution_id))
}

const toMeeting = (row: MeetingRow, resolutionIds: string[]): Meeting => ({
  id: row.id,
  kind: row.kind,
  title: row.title,
  place: row.place,
  startsAt: row.starts_at,
  endsAt: row.ends_at,
  timeZone: row.time_zone,
  resolutionIds,
})

export async function insertMeeting(db: Queryable, meeting: Meeting, createdBy: string, now: Date): Promise<void> {
  await db.query('insert into meetings (id, kind, title, place, starts_at, ends_at, time_zone, created_by, created_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9)', [
    meeting.id,
    meeting.kind,
    meeting.title,
    meeting.place,
    meeting.startsAt,
    meeting.endsAt,
    meeting.timeZone,
    createdBy,
    now,
  ])
  for (const [position, resolutionId] of meeting.resolutionIds.entries()) {
    await db.query('insert into meeting_agenda (meeting_id, resolution_id, position) values ($1, $2, $3)', [meeting.id, resolutionId, position])
  }
}

/** A delegation on the roll: who votes, who stands in, whom it registered, who is present. */
export interface Seat extends SeatFacts {
  /** Everyone registered, the delegate and substitutes included. */
  registeredIds: string[]
  /** Whether the entry takes one of the seats (`takesSeat` when it was last changed). */
  seated: boolean
}

export async function loadSeats(db: Queryable, meetingId: string): Promise<Seat[]> {
  const roll = await db.query<{ delegation_id: string; voting_id: string | null; seated: boolean }>(
    'select r.delegation_id, r.voting_id, r.seated from roll r join delegations d on d.id = r.delegation_id where r.meeting_id = $1 order by d.country, d.party',
    [meetingId],
  )
  // A deactivated account is present no more: it logs in no more, so counting it would give its delegation a vote nobody can
  // cast (in the quorum, and barring the substitute who is there). Its attendance is kept for when it is reactivated.
  const people = await db.query<{ delegation_id: string; person_id: string; substitute: boolean; present: boolean }>(
    'select rp.delegation_id, rp.person_id, rp.substitute, rp.present and p.active as present from roll_people rp join people p on p.id = rp.person_id where rp.meeting_id = $1 order by p.name',
    [meetingId],
  )
  return roll.map((row) => {
    const own = people.filter((person) => person.delegation_id === row.delegation_id)
    const substituteIds = own.filter((person) => person.substitute).map((person) => person.person_id)
    const others = own.map((person) => person.person_id).filter((id) => id !== row.voting_id && !substituteIds.includes(id))
    return {
      delegationId: row.delegation_id,
      votingId: row.voting_id,
      substituteIds,
      registeredIds: [...(row.voting_id && own.some((person) => person.person_id === row.voting_id) ? [row.voting_id] : []), ...substituteIds, ...others],
      presentIds: own.filter((person) => person.present).map((person) => person.person_id),
      seated: row.seated,
    }
  })
}

/**
 * Writes a delegation's entry on the roll: its delegate, and everyone registered with who is a substitute. Attendance
 * already recorded is kept for the delegation it was recorded with: someone who moved to another party is not present
 * for it until the secretariat says so (their presence for the party they left made them present for the new one).
 */
export async function writeSeat(db: Queryable, meetingId: string, seat: Omit<Seat, 'presentIds'>, now: Date): Promise<void> {
  await db.query(
    `insert into roll (meeting_id, delegation_id, voting_id, seated_at, seated) values ($1, $2, $3, $4, $5)
     on conflict (meeting_id, delegation_id) do update set voting_id = excluded.voting_id, seated = excluded.seated`,
    [meetingId, seat.delegationId, seat.votingId, now, seat.seated],
  )
  await db.query('delete from roll_people where meeting_id = $1 and delegation_id = $2 and not (person_id = any($3::text[]))', [
    meetingId,
    seat.delegationId,
    seat.registeredIds,
  ])
  for (const personId of seat.registeredIds) {
    await db.query(
      `insert into roll_people (meeting_id, delegation_id, person_id, substitute) values ($1, $2, $3, $4)
       on conflict (meeting_id, person_id) do update set delegation_id = excluded.delegation_id, substitute = excluded.substitute,
         present = roll_people.present and roll_people.delegation_id = excluded.delegation_id`,
      [meetingId, seat.delegationId, personId, seat.substituteIds.includes(personId)],
    )
  }
}

/** The observers without a party registered for a meeting, by name, and whether each is present (a deactivated account is not). */
export async function loadObservers(db: Queryable, meetingId: string): Promise<Array<{ personId: string; present: boolean }>> {
  const rows = await db.query<{ person_id: string; present: boolean }>(
    'select o.person_id, o.present and p.active as present from meeting_observers o join people p on p.id = o.person_id where o.meeting_id = $1 order by p.name',
    [meetingId],
  )
  return rows.map((row) => ({ personId: row.person_id, present: row.present }))
}

/** Replaces the meeting's observers without a party; those who stay keep their attendance. */
export async function writeObservers(db: Queryable, meetingId: string, personIds: readonly string[]): Promise<void> {
  await db.query('delete from meeting_observers where meeting_id = $1 and not (person_id = any($2::text[]))', [meetingId, personIds])
  for (const personId of personIds) {
    await db.query('insert into meeting_observers (meeting_id, person_id) values ($1, $2) on conflict do nothing', [meetingId, personId])
  }
}

/** Records whether an observer without a party is present; false if they are not registered for the meeting. */
export async function markObserverPresent(db: Queryable, meetingId: string, personId: string, present: boolean): Promise<boolean> {
  const rows = await db.query('update meeting_observers set present = $3 where meeting_id = $1 and person_id = $2 returning person_id', [meetingId, personId, present])
  return rows.length > 0
}

export interface VoteRow {
  id: string
  meeting_id: string
  subject_kind: 'amendment' | 'adoption'
  amendment_id: string | null
  resolution_id: string
  majority: Majority
  quorum: number
  status: 'open' | 'closed'
  result: VoteResult | null
  /** Set when the close applied nothing: why. */
  not_applied: VoteNotApplied | null
  present: number | null
  opened_by: string
  opened_at: Date
  closed_by: string | null
  closed_at: Date | null
}

export interface BallotRow {
  vote_id: string
  delegation_id: string
  choice: Choice
  cast_by: string
  cast_at: Date
}

export async function voteRow(db: Queryable, id: string, { lock = false } = {}): Promise<VoteRow | null> {
  const [row] = await db.query<VoteRow>(`select * from votes where id = $1${lock ? ' for update' : ''}`, [id])
  return row ?? null
}

export async function voteRows(db: Queryable, meetingId: string, status?: VoteRow['status']): Promise<VoteRow[]> {
  return db.query<VoteRow>(`select * from votes where meeting_id = $1${status ? ' and status = $2' : ''} order by opened_at, id`, status ? [meetingId, status] : [meetingId])
}

export async function ballotRows(db: Queryable, voteIds: readonly string[]): Promise<BallotRow[]> {
  if (voteIds.length === 0) return []
  return db.query<BallotRow>('select * from ballots where vote_id = any($1::text[]) order by cast_at, delegation_id', [voteIds])
}

/** What a vote on an amendment needs to know of it. */
export interface AmendmentFacts {
  id: string
  resolution_id: string
  number: number
  paragraph: number
  status: string
}

export async function amendmentFacts(db: Queryable, id: string): Promise<AmendmentFacts | null> {
  const [row] = await db.query<AmendmentFacts>('select id, resolution_id, number, paragraph, status from amendments where id = $1', [id])
  return row ?? null
}
