import { AdoptingBody, type Person, type Stage } from '@hemicycle/protocol'
import { type Transition, transitionsFrom } from '@hemicycle/rules'
import { type FormEvent, useEffect, useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useStore } from 'zustand'
import { endpoints, type StageMove } from '../api/endpoints.ts'
import { HttpError } from '../api/http.ts'
import type { Room } from '../editor/room.ts'
import { formatWhen } from '../format.ts'
import { ErrorNote } from './ErrorNote.tsx'

/** "2 d 4 h", "3 h 12 min", "45 min": how long until the deadline. */
export function countdown(ms: number): { days: number; hours: number; minutes: number } {
  const minutes = Math.max(0, Math.ceil(ms / 60_000))
  return { days: Math.floor(minutes / 1440), hours: Math.floor((minutes % 1440) / 60), minutes: minutes % 60 }
}

function Countdown({ deadline }: { deadline: string }) {
  const { t, i18n } = useTranslation()
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000)
    return () => clearInterval(timer)
  }, [])
  const left = new Date(deadline).getTime() - now
  if (left <= 0) return <p className="deadline closed">{t('stages.tablingClosed', { when: formatWhen(deadline, i18n.language) })}</p>
  const { days, hours, minutes } = countdown(left)
  return (
    <p className="deadline" data-testid="countdown">
      {t('stages.closesIn', { days, hours, minutes, when: formatWhen(deadline, i18n.language) })}
    </p>
  )
}

/** A default deadline one week ahead, at 18:00 local time, as a datetime-local value. */
function inAWeek(): string {
  const date = new Date(Date.now() + 7 * 86_400_000)
  date.setHours(18, 0, 0, 0)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`
}

function MoveForm({ transition, room, onDone }: { transition: Transition; room: Room; onDone: () => void }) {
  const { t } = useTranslation()
  const id = useId()
  const resolution = useStore(room.store, (state) => state.resolution)
  const [deadline, setDeadline] = useState(inAWeek)
  const [reason, setReason] = useState('')
  const [confirmed, setConfirmed] = useState(false)
  const [adoptedBy, setAdoptedBy] = useState<AdoptingBody>('Council')
  const [adoptedAt, setAdoptedAt] = useState(() => new Date().toISOString().slice(0, 10))
  const [event, setEvent] = useState(resolution.event)
  const [error, setError] = useState<string | null>(null)
  // The lock was refused because translations are due: the same form then offers to lock with them acknowledged.
  const [translationsDue, setTranslationsDue] = useState(false)
  const [acknowledged, setAcknowledged] = useState(false)

  async function submit(submitEvent: FormEvent) {
    submitEvent.preventDefault()
    const move: StageMove = { to: transition.to }
    if (transition.requires === 'deadline') move.deadline = new Date(deadline).toISOString()
    if (transition.requires === 'reason') move.reason = reason
    if (transition.requires === 'confirm') move.confirm = confirmed
    if (translationsDue && acknowledged) move.acceptOutstandingTranslations = true
    if (transition.requires === 'adoption') Object.assign(move, { adoptedBy, adoptedAt, event })
    try {
      room.setResolution(await endpoints.moveStage(resolution.id, move))
      onDone()
    } catch (failure) {
      if (failure instanceof HttpError && failure.code === 'translations_due') setTranslationsDue(true)
      setError(failure instanceof HttpError ? failure.message : String(failure))
    }
  }

  return (
    <form className="inline-form" onSubmit={submit}>
      {transition.requires === 'deadline' && (
        <>
          <label htmlFor={`${id}-deadline`}>{t('stages.deadline')}</label>
          <input id={`${id}-deadline`} type="datetime-local" value={deadline} onChange={(e) => setDeadline(e.target.value)} required />
        </>
      )}
      {transition.requires === 'reason' && (
        <>
          <label htmlFor={`${id}-reason`}>{t('stages.reason')}</label>
          <textarea id={`${id}-reason`} value={reason} onChange={(e) => setReason(e.target.value)} required rows={2} />
        </>
      )}
      {transition.requires === 'confirm' && (
        <label className="confirm">
          <input type="checkbox" checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} />
          {t('stages.confirmLock')}
        </label>
      )}
      {transition.requires === 'adoption' && (
        <>
          <label htmlFor={`${id}-by`}>{t('stages.adoptedBy')}</label>
          <select id={`${id}-by`} value={adoptedBy} onChange={(e) => setAdoptedBy(e.target.value as AdoptingBody)}>
            {AdoptingBody.options.map((body) => (
              <option key={body} value={body}>
                {t(`stages.bodies.${body}`)}
              </option>
            ))}
          </select>
          <label htmlFor={`${id}-at`}>{t('stages.adoptedAt')}</label>
          <input id={`${id}-at`} type="date" value={adoptedAt} onChange={(e) => setAdoptedAt(e.target.value)} required />
          <label htmlFor={`${id}-event`}>{t('stages.event')}</label>
          <input id={`${id}-event`} value={event} onChange={(e) => setEvent(e.target.value)} />
        </>
      )}
      <ErrorNote message={error} />
      {translationsDue && (
        <label className="confirm">
          <input type="checkbox" checked={acknowledged} onChange={(e) => setAcknowledged(e.target.checked)} />
          {t('stages.acknowledgeTranslations')}
        </label>
      )}
      <button type="submit" className="primary" disabled={(transition.requires === 'confirm' && !confirmed) || (translationsDue && !acknowledged)}>
        {t(`stages.move.${transition.from}.${transition.to}`)}
      </button>
    </form>
  )
}

/** Where the resolution stands in the procedure, the deadline, and the moves this person may make. */
export function StagePanel({ room, me }: { room: Room; me: Person }) {
  const { t } = useTranslation()
  const resolution = useStore(room.store, (state) => state.resolution)
  const [open, setOpen] = useState<Stage | null>(null)
  const moves = transitionsFrom(resolution.stage).filter((transition) => transition.by.includes(me.role))
  return (
    <section className="stage-panel" aria-labelledby="stage-title">
      <h2 id="stage-title">
        {t('stages.title')}: <span className={`stage stage-${resolution.stage}`} data-testid="stage">{t(`stage.${resolution.stage}`)}</span>
      </h2>
      <p className="stage-help">{t(`stages.help.${resolution.stage}`)}</p>
      {resolution.stage === 'amendments' && resolution.deadline && <Countdown deadline={resolution.deadline} />}
      {moves.map((transition) => (
        <div key={transition.to} className="move">
          <button type="button" onClick={() => setOpen(open === transition.to ? null : transition.to)} aria-expanded={open === transition.to}>
            {t(`stages.move.${transition.from}.${transition.to}`)}…
          </button>
          {open === transition.to && <MoveForm transition={transition} room={room} onDone={() => setOpen(null)} />}
        </div>
      ))}
    </section>
  )
}
