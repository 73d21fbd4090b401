import type { MeetingObserver, Person } from '@hemicycle/protocol'
import { type FormEvent, useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useStore } from 'zustand'
import { endpoints } from '../../api/endpoints.ts'
import type { MeetingRoom } from '../../meetings/meetingRoom.ts'
import { refusalText } from '../../i18n/refusals.ts'
import { ErrorNote } from '../ErrorNote.tsx'
import { Attendee } from './Attendee.tsx'

/**
 * Observers who belong to no party, registered beside the delegations: they attend and never vote. A party's own
 * leaders are registered with its entry on the roll. The secretariat registers them and records their attendance.
 */
export function ObserversPanel({ room, secretariat, people }: { room: MeetingRoom; secretariat: boolean; people: Person[] }) {
  const { t } = useTranslation()
  const id = useId()
  const meetingId = useStore(room.store, (state) => state.meeting.id)
  const observers = useStore(room.store, (state) => state.observers)
  const [chosen, setChosen] = useState('')
  const [error, setError] = useState<string | null>(null)
  // Ticked at once; the server's answer then replaces the list (or the error explains why not).
  const [marking, setMarking] = useState<ReadonlyMap<string, boolean>>(new Map())
  const candidates = people.filter((person) => person.role === 'observer' && person.delegation === null && !observers.some((observer) => observer.person.id === person.id))
  if (observers.length === 0 && (!secretariat || candidates.length === 0)) return null

  async function run(action: () => Promise<MeetingObserver[]>) {
    try {
      room.setObservers(await action())
      setError(null)
    } catch (failure) {
      setError(refusalText(failure, t))
    }
  }
  async function mark(person: Person, present: boolean) {
    setMarking((current) => new Map(current).set(person.id, present))
    await run(() => endpoints.observerAttendance(meetingId, { personId: person.id, present }))
    setMarking((current) => {
      const next = new Map(current)
      next.delete(person.id)
      return next
    })
  }
  const ids = observers.map((observer) => observer.person.id)
  // The list as shown is the basis: someone else's change made meanwhile is kept, not replaced by this one.
  const register = (personIds: string[]) => run(() => endpoints.setObservers(meetingId, { personIds, basis: ids }))
  function add(event: FormEvent) {
    event.preventDefault()
    const personId = chosen || candidates[0]?.id
    if (personId) void register([...ids, personId]).then(() => setChosen(''))
  }

  return (
    <section className="observers-panel" aria-labelledby={`${id}-title`} data-testid="observers">
      <h3 id={`${id}-title`}>{t('roll.observersTitle')}</h3>
      <ul className="people">
        {observers.map(({ person, present }) => (
          <Attendee key={person.id} person={person} present={marking.get(person.id) ?? present} onMark={secretariat ? (now) => void mark(person, now) : null} note={t('roll.observer')}>
            {secretariat && (
              <button type="button" className="link" onClick={() => void register(ids.filter((other) => other !== person.id))}>
                {t('roll.removeObserver', { name: person.name })}
              </button>
            )}
          </Attendee>
        ))}
      </ul>
      {secretariat && candidates.length > 0 && (
        <form className="inline-form" onSubmit={add}>
          <label htmlFor={`${id}-person`}>{t('roll.addObserver')}</label>
          <select id={`${id}-person`} value={chosen} onChange={(e) => setChosen(e.target.value)}>
            {candidates.map((person) => (
              <option key={person.id} value={person.id}>
                {person.name}
              </option>
            ))}
          </select>
          <button type="submit">{t('roll.addObserverButton')}</button>
        </form>
      )}
      <ErrorNote message={error} />
    </section>
  )
}
