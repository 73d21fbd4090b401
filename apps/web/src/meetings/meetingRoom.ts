import { type Ballot, type Meeting, MeetingEvent, type MeetingObserver, type Person, type RollEntry, type Vote } from '@hemicycle/protocol'
import { type SeatFacts, votingDelegations } from '@hemicycle/rules'
import { createStore, type StoreApi } from 'zustand/vanilla'
import { type Endpoints, endpoints } from '../api/endpoints.ts'

/**
 * Everything about a meeting that changes while it sits: the roll with
 * attendance, and the votes with their tallies. Kept current by the
 * meeting's server-sent events.
 */
export interface MeetingState {
  meeting: Meeting
  roll: RollEntry[]
  /** Observers who belong to no party, registered beside the delegations. */
  observers: MeetingObserver[]
  votes: Vote[]
  /** Whether the event stream is connected; when it reconnects, roll and votes are fetched again. */
  live: boolean
}

/** The roll in the order the server keeps it: by country, then party. */
const byCountry = (a: RollEntry, b: RollEntry) => a.delegation.country.localeCompare(b.delegation.country) || a.delegation.party.localeCompare(b.delegation.party)

/**
 * A vote as the server sends it to everyone hides every choice while open;
 * the choice this browser's delegation made (from its own ballot or an
 * earlier fetch) is kept as long as that ballot stands. A closed vote never
 * opens again: a tally event read before the close committed can arrive
 * after the close's own, and must not show the room the vote open.
 */
export function mergeVote(previous: Vote | undefined, next: Vote): Vote {
  if (!previous) return next
  if (previous.status === 'closed' && next.status === 'open') return previous
  return {
    ...next,
    ballots: next.ballots.map((ballot) => {
      if (ballot.choice !== undefined) return ballot
      const known = previous.ballots.find((old) => old.delegation.id === ballot.delegation.id && old.at === ballot.at && old.choice !== undefined)
      return known ? { ...ballot, choice: known.choice } : ballot
    }),
  }
}

/** Applies one live event (pure, so it can be tested without a server). */
export function applyMeetingEvent(state: MeetingState, event: MeetingEvent): MeetingState {
  switch (event.type) {
    case 'roll': {
      const others = state.roll.filter((entry) => entry.delegation.id !== event.entry.delegation.id)
      return { ...state, roll: [...others, event.entry].sort(byCountry) }
    }
    case 'observers':
      return { ...state, observers: event.observers }
    case 'vote': {
      const previous = state.votes.find((vote) => vote.id === event.vote.id)
      const merged = mergeVote(previous, event.vote)
      const votes = previous ? state.votes.map((vote) => (vote.id === merged.id ? merged : vote)) : [...state.votes, merged]
      return { ...state, votes }
    }
  }
}

/** A roll entry as the ballot rules read it. */
/** The people a roll entry names, as they are now, by id. */
export function peopleOf(entry: RollEntry): (id: string) => Person | undefined {
  const named = [entry.voting, ...entry.substitutes, ...entry.registered]
  return (id) => named.find((person) => person?.id === id) ?? undefined
}

export function seatOf(entry: RollEntry): SeatFacts {
  return {
    delegationId: entry.delegation.id,
    votingId: entry.voting?.id ?? null,
    substituteIds: entry.substitutes.map((person) => person.id),
    presentIds: entry.present,
  }
}

/** Delegations on the roll someone may vote for, as the server counts them for the default quorum: a party seated only for its observers has no vote. */
export function votingOnRoll(roll: readonly RollEntry[]): number {
  const people = new Map(roll.flatMap((entry) => [entry.voting, ...entry.substitutes, ...entry.registered].flatMap((person) => (person ? [[person.id, person] as const] : []))))
  return votingDelegations(roll.map(seatOf), new Set(), (id) => people.get(id))
}

export class MeetingRoom {
  readonly store: StoreApi<MeetingState>
  private source: EventSource | null = null

  constructor(
    meeting: Meeting,
    private readonly api: Pick<Endpoints, 'roll' | 'votes' | 'observers'> = endpoints,
  ) {
    this.store = createStore<MeetingState>(() => ({ meeting, roll: [], observers: [], votes: [], live: false }))
  }

  start(url = `/api/meetings/${encodeURIComponent(this.store.getState().meeting.id)}/events`): void {
    const source = new EventSource(url)
    this.source = source
    const handle = (message: MessageEvent<string>) => {
      const parsed = MeetingEvent.safeParse(JSON.parse(message.data))
      if (parsed.success) this.store.setState((state) => applyMeetingEvent(state, parsed.data))
    }
    for (const type of ['vote', 'roll', 'observers'] as const) source.addEventListener(type, handle)
    source.addEventListener('open', () => {
      this.store.setState({ live: true })
      void this.refresh()
    })
    source.addEventListener('error', () => this.store.setState({ live: false }))
  }

  async refresh(): Promise<void> {
    const id = this.store.getState().meeting.id
    try {
      const [roll, observers, votes] = await Promise.all([this.api.roll(id), this.api.observers(id), this.api.votes(id)])
      this.store.setState((state) => ({ roll, observers, votes: votes.map((vote) => mergeVote(state.votes.find((old) => old.id === vote.id), vote)) }))
    } catch {
      // The stream's next reconnection fetches again.
    }
  }

  /** A vote or roll entry the server just returned (after an action here), ahead of its event. */
  upsertVote(vote: Vote): void {
    this.store.setState((state) => applyMeetingEvent(state, { type: 'vote', action: 'tally', vote }))
  }

  setObservers(observers: MeetingObserver[]): void {
    this.store.setState((state) => applyMeetingEvent(state, { type: 'observers', observers }))
  }

  upsertEntry(entry: RollEntry): void {
    this.store.setState((state) => applyMeetingEvent(state, { type: 'roll', entry }))
  }

  /** This browser's own ballot, with its choice, into the vote it belongs to. */
  recordBallot(voteId: string, ballot: Ballot): void {
    this.store.setState((state) => ({
      votes: state.votes.map((vote) =>
        vote.id !== voteId ? vote : { ...vote, ballots: [...vote.ballots.filter((old) => old.delegation.id !== ballot.delegation.id), ballot] },
      ),
    }))
  }

  stop(): void {
    this.source?.close()
    this.source = null
  }
}
