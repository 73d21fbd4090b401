import { z } from 'zod'
import { Delegation, Person, VoteResult } from './model.ts'
import { LineText, PlainText } from './text.ts'

/** The bodies that meet: the Council (at most 30 member parties), the Steering Committee (one delegate per party), a conference, a working group. */
export const MeetingKind = z.enum(['council', 'steering', 'conference', 'workingGroup'])
export type MeetingKind = z.infer<typeof MeetingKind>

/** An IANA time zone this runtime knows ("Asia/Kuala_Lumpur", "America/Santiago", "UTC"). */
export const TimeZone = z
  .string()
  .min(1)
  .max(100)
  .refine((zone) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone })
      return true
    } catch {
      return false
    }
  }, 'not a time zone (an IANA name such as Asia/Kuala_Lumpur)')

/** A calendar day (`2019-08-31`) or an instant with its offset (`2019-08-31T09:00:00+08:00`). */
const When = z.union([z.iso.date(), z.iso.datetime({ offset: true })])

export const Meeting = z
  .object({
    id: z.string(),
    kind: MeetingKind,
    title: z.string(),
    place: z.string(),
    startsAt: z.string(),
    endsAt: z.string(),
    timeZone: z.string().meta({ description: 'IANA time zone where it meets: deadlines of the resolutions on its agenda are shown in it' }),
    resolutionIds: z.array(z.string()).meta({ description: 'the resolutions on its agenda, in order' }),
  })
  .meta({ id: 'Meeting' })
export type Meeting = z.infer<typeof Meeting>

export const NewMeeting = z.strictObject({
  kind: MeetingKind,
  title: LineText(500),
  place: LineText(500, 0).default(''),
  startsAt: When,
  endsAt: When,
  timeZone: TimeZone.default('UTC'),
  resolutionIds: z.array(z.string().min(1).max(100)).max(100).default([]),
})
export type NewMeeting = z.infer<typeof NewMeeting>

export const GenderBalance = z.object({ f: z.number().int(), m: z.number().int(), x: z.number().int() })
export type GenderBalance = z.infer<typeof GenderBalance>

export const RollEntry = z
  .object({
    delegation: Delegation,
    voting: Person.nullable().meta({ description: 'the delegate who casts the delegation’s ballot' }),
    substitutes: z.array(Person).meta({ description: 'designated substitutes, who vote when the delegate is absent' }),
    registered: z.array(Person).meta({ description: 'everyone the delegation sends, the delegate, substitutes and observers included' }),
    present: z.array(z.string()).meta({ description: 'ids of the registered people marked present' }),
    seated: z.boolean().meta({ description: 'whether the party takes one of the seats (a Council has 30): not when it sends only its leaders, as observers' }),
    balance: GenderBalance.meta({ description: 'women, men and others among the registered' }),
    balanced: z.boolean().meta({ description: 'false when women and men differ by more than one' }),
  })
  .meta({ id: 'RollEntry' })
export type RollEntry = z.infer<typeof RollEntry>

const PersonId = z.string().min(1).max(100)

/**
 * A change to a delegation's entry on the roll; a field left out keeps its value. With `basis`, the entry as the change
 * was made from it, only the change is applied to the entry as it stands (`rebasedEntry`): those the lists gain and lose,
 * and the voting delegate if the change names another, so two people changing one entry at once both keep their change.
 */
export const RollChange = z.strictObject({
  votingId: PersonId.nullable().optional().meta({ description: 'secretariat only' }),
  substituteIds: z.array(PersonId).max(50).optional().meta({ description: 'secretariat only' }),
  registeredIds: z.array(PersonId).max(200).optional(),
  basis: z
    .strictObject({ votingId: PersonId.nullable(), substituteIds: z.array(PersonId).max(50), registeredIds: z.array(PersonId).max(200) })
    .optional()
    .meta({ description: 'the entry as the change was made from it: only the change is applied to the entry as it stands' }),
})
export type RollChange = z.infer<typeof RollChange>

export const AttendanceChange = z.strictObject({ personId: PersonId, present: z.boolean() })
export type AttendanceChange = z.infer<typeof AttendanceChange>

/** An observer who belongs to no party (a guest of the alliance), registered for a meeting beside the delegations. */
export const MeetingObserver = z
  .object({
    person: Person,
    present: z.boolean(),
  })
  .meta({ id: 'MeetingObserver' })
export type MeetingObserver = z.infer<typeof MeetingObserver>

/**
 * Who, of the observers without a party, is registered for a meeting: everyone at once. With `basis`, the list the
 * change was made from, only the change is applied (those `personIds` adds to it added, those it leaves out removed)
 * to the list as it stands, so two people changing the list at once both keep their change; without it, the list is
 * replaced.
 */
export const ObserversChange = z.strictObject({ personIds: z.array(PersonId).max(200), basis: z.array(PersonId).max(200).optional() })
export type ObserversChange = z.infer<typeof ObserversChange>

const amendmentSubject = { kind: z.literal('amendment'), amendmentId: z.string().min(1).max(100) }
const adoptionSubject = { kind: z.literal('adoption'), resolutionId: z.string().min(1).max(100) }
export const VoteSubject = z.discriminatedUnion('kind', [z.object(amendmentSubject), z.object(adoptionSubject)])
export type VoteSubject = z.infer<typeof VoteSubject>
/** As a request names it: strict, as every request body is; the answers' `VoteSubject` may grow a field. */
const VoteSubjectInput = z.discriminatedUnion('kind', [z.strictObject(amendmentSubject), z.strictObject(adoptionSubject)])

export const Majority = z.enum(['simple', 'twoThirds'])
export type Majority = z.infer<typeof Majority>

export const Choice = z.enum(['yes', 'no', 'abstain'])
export type Choice = z.infer<typeof Choice>

export const Tally = z.object({
  yes: z.number().int().nullable().meta({ description: 'null while the vote is open: nobody learns how delegations vote before it closes' }),
  no: z.number().int().nullable(),
  abstain: z.number().int().nullable(),
  cast: z.number().int().meta({ description: 'delegations that have voted' }),
  eligible: z.number().int().meta({ description: 'delegations present with a vote' }),
})
export type Tally = z.infer<typeof Tally>

export const Ballot = z
  .object({
    delegation: Delegation,
    choice: Choice.optional().meta({ description: 'absent while the vote is open, except for your own delegation’s ballot' }),
    castBy: Person,
    at: z.string(),
  })
  .meta({ id: 'Ballot' })
export type Ballot = z.infer<typeof Ballot>

/** Why a closed vote changed nothing: its subject could no longer take the result (the paragraph gone, decided or moved on meanwhile). */
export const VoteNotApplied = z
  .object({
    code: z.string().meta({ description: 'a refusal code: `obsolete` when the amendment’s paragraph no longer exists; `voided` when the secretariat voided a vote that could not take effect (no result then)' }),
    message: z.string(),
  })
  .meta({ id: 'VoteNotApplied', description: 'on a closed vote whose result could not be applied: the result is on record, the text and the subject unchanged by it' })
export type VoteNotApplied = z.infer<typeof VoteNotApplied>

export const Vote = z
  .object({
    id: z.string(),
    meetingId: z.string(),
    subject: VoteSubject,
    /** "A3 · §4" or the resolution's title: what people see the vote is about. */
    label: z.string(),
    majority: Majority,
    quorum: z.number().int().meta({ description: 'delegations that must be present with a vote; below it the vote fails' }),
    status: z.enum(['open', 'closed']),
    tally: Tally,
    result: VoteResult.nullable(),
    notApplied: VoteNotApplied.optional(),
    ballots: z.array(Ballot),
    openedAt: z.string(),
    closedAt: z.string().nullable(),
  })
  .meta({ id: 'Vote' })
export type Vote = z.infer<typeof Vote>

export const NewVote = z.strictObject({
  subject: VoteSubjectInput,
  majority: Majority,
  quorum: z.number().int().min(0).max(10_000).optional().meta({ description: 'default: a majority of the delegations on the roll' }),
})
export type NewVote = z.infer<typeof NewVote>

export const VoidVote = z.strictObject({
  reason: PlainText(2_000).refine((text) => text.trim().length > 0, 'Say why the vote is voided.').meta({ description: 'why the vote is voided, for the record' }),
})
export type VoidVote = z.infer<typeof VoidVote>

export const NewBallot = z.strictObject({
  choice: Choice,
  delegationId: z.string().min(1).max(100).optional().meta({ description: 'default: your own delegation' }),
})
export type NewBallot = z.infer<typeof NewBallot>

/** What `GET /api/meetings/<mid>/events` streams (server-sent events; the event name is `type`). Ballot choices stay hidden while a vote is open. */
export const MeetingEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('vote'), action: z.enum(['opened', 'tally', 'closed']), vote: Vote }),
  z.object({ type: z.literal('roll'), entry: RollEntry }),
  z.object({ type: z.literal('observers'), observers: z.array(MeetingObserver) }),
])
export type MeetingEvent = z.infer<typeof MeetingEvent>
