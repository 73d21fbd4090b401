import type { Delegation, GenderBalance, Person, RollEntry } from '@hemicycle/protocol'
import { addBalances, hasVote, isBalanced, keptOfEntry, mayRegisterWith, mayVoteFor } from '@hemicycle/rules'
import { type FormEvent, useEffect, useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useStore } from 'zustand'
import { endpoints } from '../../api/endpoints.ts'
import { type MeetingRoom, peopleOf, seatOf } from '../../meetings/meetingRoom.ts'
import { ErrorNote } from '../ErrorNote.tsx'
import { Attendee } from './Attendee.tsx'
import { ObserversPanel } from './ObserversPanel.tsx'
import { refusalText } from '../../i18n/refusals.ts'
import { formatCountry } from '../../format.ts'

function Balance({ balance }: { balance: GenderBalance }) {
  const { t } = useTranslation()
  return <span className="balance">{t('roll.balance', balance)}</span>
}

/** The secretariat designates a delegation's delegate and substitutes and registers its people. */
function EntryForm({ room, entry, people, onDone }: { room: MeetingRoom; entry: RollEntry; people: Person[]; onDone: () => void }) {
  const { t } = useTranslation()
  const id = useId()
  const meetingId = useStore(room.store, (state) => state.meeting.id)
  const own = people.filter((person) => mayRegisterWith(person, entry.delegation.id))
  // Starts from the people who may still hold their places: a delegate since moved to another party is not among the
  // choices, and sent back unseen, the entry could not be saved at all.
  const [kept] = useState(() => keptOfEntry({ votingId: entry.voting?.id ?? null, substituteIds: entry.substitutes.map((person) => person.id), registeredIds: entry.registered.map((person) => person.id) }, entry.delegation.id, peopleOf(entry)))
  const [votingId, setVotingId] = useState(kept.votingId ?? '')
  const [substitutes, setSubstitutes] = useState<ReadonlySet<string>>(new Set(kept.substituteIds))
  const [registered, setRegistered] = useState<ReadonlySet<string>>(new Set(kept.registeredIds))
  const [error, setError] = useState<string | null>(null)
  const toggle = (set: ReadonlySet<string>, personId: string, on: boolean) => {
    const next = new Set(set)
    if (on) next.add(personId)
    else next.delete(personId)
    return next
  }

  async function submit(event: FormEvent) {
    event.preventDefault()
    try {
      room.upsertEntry(
        await endpoints.setRoll(meetingId, entry.delegation.id, {
          votingId: votingId || null,
          substituteIds: [...substitutes].filter((personId) => personId !== votingId),
          registeredIds: [...registered],
          // The entry as the form showed it: a change someone else made meanwhile (the delegation registering one of its
          // people, another member of the secretariat) is kept, not replaced by this form's whole entry.
          basis: { votingId: kept.votingId, substituteIds: [...kept.substituteIds], registeredIds: [...kept.registeredIds] },
        }),
      )
      onDone()
    } catch (failure) {
      setError(refusalText(failure, t))
    }
  }

  return (
    <form className="inline-form entry-form" onSubmit={submit}>
      <label htmlFor={`${id}-voting`}>{t('roll.voting')}</label>
      <select id={`${id}-voting`} value={votingId} onChange={(e) => setVotingId(e.target.value)}>
        <option value="">{t('roll.none')}</option>
        {own.filter((person) => mayVoteFor(person, entry.delegation.id)).map((person) => (
          <option key={person.id} value={person.id}>
            {person.name}
          </option>
        ))}
      </select>
      <fieldset>
        <legend>{t('roll.substitutes')}</legend>
        {own.filter((person) => mayVoteFor(person, entry.delegation.id) && person.id !== votingId).map((person) => (
          <label key={person.id} className="check">
            <input type="checkbox" checked={substitutes.has(person.id)} onChange={(e) => setSubstitutes(toggle(substitutes, person.id, e.target.checked))} />
            {person.name}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>{t('roll.registered')}</legend>
        {own.map((person) => (
          <label key={person.id} className="check">
            <input type="checkbox" checked={registered.has(person.id)} onChange={(e) => setRegistered(toggle(registered, person.id, e.target.checked))} />
            {person.name}
            {person.role === 'observer' && <span className="note"> · {t('roll.observer')}</span>}
          </label>
        ))}
      </fieldset>
      <ErrorNote message={error} />
      <div className="actions">
        <button type="submit" className="primary">
          {t('roll.save')}
        </button>
        <button type="button" onClick={onDone}>
          {t('roll.cancel')}
        </button>
      </div>
    </form>
  )
}

function EntryRow({ room, entry, secretariat, people }: { room: MeetingRoom; entry: RollEntry; secretariat: boolean; people: Person[] }) {
  const { t, i18n } = useTranslation()
  const meetingId = useStore(room.store, (state) => state.meeting.id)
  const [editing, setEditing] = useState(false)
  const [error, setError] = useState<string | null>(null)
  // Ticked at once; the server's answer then replaces the entry (or the error explains why not).
  const [marking, setMarking] = useState<ReadonlyMap<string, boolean>>(new Map())
  const substitutes = new Set(entry.substitutes.map((person) => person.id))

  async function mark(person: Person, present: boolean) {
    setMarking((current) => new Map(current).set(person.id, present))
    try {
      room.upsertEntry(await endpoints.attendance(meetingId, { personId: person.id, present }))
      setError(null)
    } catch (failure) {
      setError(refusalText(failure, t))
    } finally {
      setMarking((current) => {
        const next = new Map(current)
        next.delete(person.id)
        return next
      })
    }
  }

  // A designation stays on the roll until the secretariat changes it, but its person may since have left the
  // delegation or lost the right to vote: the ballot rules then pass them over, and so must what the roll says.
  const role = (person: Person) => {
    const designated = person.id === entry.voting?.id || substitutes.has(person.id)
    if (designated && !mayVoteFor(person, entry.delegation.id)) return t('roll.designatedNoVote')
    return person.id === entry.voting?.id ? t('roll.delegate') : substitutes.has(person.id) ? t('roll.substitute') : person.role === 'observer' ? t('roll.observer') : null
  }

  return (
    <li className={hasVote(seatOf(entry), peopleOf(entry)) ? 'entry has-vote' : 'entry'} data-delegation={entry.delegation.id}>
      <header>
        <h3>
          {entry.delegation.party} <span className="country">({formatCountry(entry.delegation.country, i18n.language)})</span>
        </h3>
        <Balance balance={entry.balance} />
        {!entry.seated && (
          <span className="badge" data-testid="no-seat">
            {t('roll.noSeat')}
          </span>
        )}
        {!entry.balanced && (
          <span className="badge unbalanced" data-testid="unbalanced">
            {t('roll.unbalanced')}
          </span>
        )}
      </header>
      {entry.registered.length === 0 && <p className="none">{t('roll.nobody')}</p>}
      <ul className="people">
        {entry.registered.map((person) => (
          <Attendee
            key={person.id}
            person={person}
            present={marking.get(person.id) ?? entry.present.includes(person.id)}
            onMark={secretariat ? (present) => void mark(person, present) : null}
            note={role(person)}
          />
        ))}
      </ul>
      <ErrorNote message={error} />
      {secretariat && !editing && (
        <button type="button" onClick={() => setEditing(true)}>
          {t('roll.edit')}
        </button>
      )}
      {secretariat && editing && <EntryForm room={room} entry={entry} people={people} onDone={() => setEditing(false)} />}
    </li>
  )
}

/** Seats another member party on the roll, or registers only its leaders, as observers without a seat (secretariat). */
function SeatForm({ room, delegations, people }: { room: MeetingRoom; delegations: Delegation[]; people: Person[] }) {
  const { t, i18n } = useTranslation()
  const id = useId()
  const meetingId = useStore(room.store, (state) => state.meeting.id)
  const [delegationId, setDelegationId] = useState('')
  const [error, setError] = useState<string | null>(null)
  if (delegations.length === 0) return null
  const chosen = delegationId || delegations[0]!.id
  const observers = people.filter((person) => person.role === 'observer' && person.delegation?.id === chosen)
  async function submit(event: FormEvent, only: 'seat' | 'observers') {
    event.preventDefault()
    try {
      room.upsertEntry(await endpoints.setRoll(meetingId, chosen, only === 'observers' ? { registeredIds: observers.map((person) => person.id) } : {}))
      setDelegationId('')
      setError(null)
    } catch (failure) {
      setError(refusalText(failure, t))
    }
  }
  return (
    <form className="inline-form seat-form" onSubmit={(event) => submit(event, 'seat')}>
      <label htmlFor={`${id}-delegation`}>{t('roll.seat')}</label>
      <select id={`${id}-delegation`} value={delegationId} onChange={(e) => setDelegationId(e.target.value)}>
        {delegations.map((delegation) => (
          <option key={delegation.id} value={delegation.id}>
            {delegation.party} ({formatCountry(delegation.country, i18n.language)})
          </option>
        ))}
      </select>
      <ErrorNote message={error} />
      <button type="submit">{t('roll.seatButton')}</button>
      {observers.length > 0 && (
        <button type="button" onClick={(event) => submit(event, 'observers')}>
          {t('roll.observersButton', { count: observers.length })}
        </button>
      )}
    </form>
  )
}

/** The roll: delegations, their people and attendance, and the balance of women and men, flagged where a delegation is unbalanced. */
export function RollPanel({ room, me }: { room: MeetingRoom; me: Person }) {
  const { t } = useTranslation()
  const roll = useStore(room.store, (state) => state.roll)
  const secretariat = me.role === 'secretariat'
  const [people, setPeople] = useState<Person[]>([])
  const [delegations, setDelegations] = useState<Delegation[]>([])

  useEffect(() => {
    if (!secretariat) return
    // A deactivated account is offered for no seat.
    endpoints.accounts().then((accounts) => setPeople(accounts.filter((account) => account.active)), () => setPeople([]))
    endpoints.delegations().then(setDelegations, () => setDelegations([]))
  }, [secretariat])

  const total = addBalances(roll.map((entry) => entry.balance))
  const withVote = roll.filter((entry) => hasVote(seatOf(entry), peopleOf(entry))).length
  const unseated = delegations.filter((delegation) => !roll.some((entry) => entry.delegation.id === delegation.id))

  return (
    <section className="roll-panel" aria-labelledby="roll-title">
      <h2 id="roll-title">{t('roll.title')}</h2>
      <p className="summary" data-testid="roll-summary">
        {t('roll.delegationsPresent', { count: withVote, total: roll.filter((entry) => entry.seated).length })}
      </p>
      <p className="summary">
        {t('roll.total', { balance: t('roll.balance', total) })}
        {!isBalanced(total) && <span className="badge unbalanced"> {t('roll.unbalanced')}</span>}
      </p>
      {roll.length === 0 && <p className="none">{t('roll.empty')}</p>}
      <ul className="roll">
        {roll.map((entry) => (
          <EntryRow key={entry.delegation.id} room={room} entry={entry} secretariat={secretariat} people={people} />
        ))}
      </ul>
      {secretariat && <SeatForm room={room} delegations={unseated} people={people} />}
      <ObserversPanel room={room} secretariat={secretariat} people={people} />
    </section>
  )
}
