import type { Ballot, Meeting, Person, RollEntry, Vote } from '@hemicycle/protocol'
import { describe, expect, it } from 'vitest'
import { applyMeetingEvent, type MeetingState, mergeVote, seatOf } from './meetingRoom.ts'

const meeting: Meeting = { id: 'm', kind: 'council', title: 'Council', place: 'Kuala Lumpur', startsAt: '2019-08-30', endsAt: '2019-08-31', timeZone: 'Asia/Kuala_Lumpur', resolutionIds: [] }
const person = (id: string, delegation: string): Person => ({ id, username: id, name: id, role: 'delegate', delegation: { id: delegation, party: delegation, country: delegation } })
const entry = (delegation: string, present: string[] = []): RollEntry => ({
  delegation: { id: delegation, party: delegation, country: delegation },
  voting: person(`${delegation}-d`, delegation),
  substitutes: [person(`${delegation}-s`, delegation)],
  registered: [],
  present,
  seated: true,
  balance: { f: 0, m: 0, x: 0 },
  balanced: true,
})
const ballot = (delegation: string, at: string, choice?: Ballot['choice']): Ballot => ({
  delegation: { id: delegation, party: delegation, country: delegation },
  castBy: person(`${delegation}-d`, delegation),
  at,
  ...(choice ? { choice } : {}),
})
const vote = (ballots: Ballot[], status: Vote['status'] = 'open'): Vote => ({
  id: 'v',
  meetingId: 'm',
  subject: { kind: 'adoption', resolutionId: 'r' },
  label: 'R',
  majority: 'simple',
  quorum: 2,
  status,
  tally: { yes: null, no: null, abstain: null, cast: ballots.length, eligible: 3 },
  result: null,
  ballots,
  openedAt: '2019-08-31T09:00:00Z',
  closedAt: null,
})

const empty: MeetingState = { meeting, roll: [], observers: [], votes: [], live: true }

describe('the meeting room', () => {
  it('keeps the roll in the order of countries and replaces an entry when it changes', () => {
    let state = applyMeetingEvent(empty, { type: 'roll', entry: entry('se') })
    state = applyMeetingEvent(state, { type: 'roll', entry: entry('cl') })
    state = applyMeetingEvent(state, { type: 'roll', entry: entry('se', ['se-s']) })
    expect(state.roll.map((each) => [each.delegation.id, each.present])).toEqual([
      ['cl', []],
      ['se', ['se-s']],
    ])
    expect(seatOf(state.roll[1]!)).toEqual({ delegationId: 'se', votingId: 'se-d', substituteIds: ['se-s'], presentIds: ['se-s'] })
  })

  it('follows a vote’s tally, keeping the choice this delegation made while the others stay hidden', () => {
    let state = applyMeetingEvent(empty, { type: 'vote', action: 'opened', vote: vote([]) })
    state = { ...state, votes: [vote([ballot('fr', 't1', 'yes')])] }
    state = applyMeetingEvent(state, { type: 'vote', action: 'tally', vote: vote([ballot('fr', 't1'), ballot('cl', 't2')]) })
    expect(state.votes[0]!.ballots.map((each) => [each.delegation.id, each.choice])).toEqual([
      ['fr', 'yes'],
      ['cl', undefined],
    ])
    expect(state.votes[0]!.tally.cast).toBe(2)
    // A newer ballot of the same delegation (cast elsewhere) is not given the old choice.
    expect(mergeVote(state.votes[0], vote([ballot('fr', 't3')])).ballots[0]!.choice).toBeUndefined()
    const closed = applyMeetingEvent(state, { type: 'vote', action: 'closed', vote: vote([ballot('fr', 't1', 'yes'), ballot('cl', 't2', 'no')], 'closed') })
    expect(closed.votes).toHaveLength(1)
    expect(closed.votes[0]!.ballots.map((each) => each.choice)).toEqual(['yes', 'no'])
    // A tally read before the close committed, arriving after it: the vote stays closed, with its result.
    const late = applyMeetingEvent(closed, { type: 'vote', action: 'tally', vote: vote([ballot('fr', 't1'), ballot('cl', 't2')]) })
    expect(late.votes[0]).toEqual(closed.votes[0])
  })
})
