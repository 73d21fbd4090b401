import { AdoptingBody, type Person, type Stage } from '@hemicycle/protocol'
import { type Transition, transitionsFrom } from '@hemicycle/rules'
import { type FormEvent, useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useStore } from 'zustand'
import { endpoints, type StageMove } from '../api/endpoints.ts'
import type { Room } from '../editor/room.ts'
import { formatDuration, formatInstant, formatTimeZone, sameOffsetAt, untilDurationTurns, viewerTimeZone } from '../format.ts'
import { inAWeekAtSix, instantOfWallTime, wallTimeOf } from '../wallTime.ts'
import { ErrorNote } from './ErrorNote.tsx'
import { HttpError } from '../api/http.ts'
import { refusalText } from '../i18n/refusals.ts'
import { useNowAround } from './useNowAround.ts'
import { serverNow } from '../serverClock.ts'

/** The deadline in the meeting's zone, with the viewer's own reading beside it when it differs. */
export function DeadlineText({ deadline, timeZone }: { deadline: string; timeZone: string }) {
  const { t, i18n } = useTranslation()
  const own = viewerTimeZone()
  return (
    <>
      {formatInstant(deadline, i18n.language, timeZone)}
      {!sameOffsetAt(deadline, timeZone, own) && <span className="own-time"> {t('stages.yourTime', { when: formatInstant(deadline, i18n.language, own) })}</span>}
    </>
  )
}

function Countdown({ deadline, timeZone }: { deadline: string; timeZone: string }) {
  const { t, i18n } = useTranslation()
  // Redrawn when the shown minute turns, not on a timer of this page's own: two delegates' screens then never
  // disagree on the time left for longer than their clocks do.
  const left = new Date(deadline).getTime() - useNowAround(deadline, untilDurationTurns).getTime()
  return (
    <p className={left <= 0 ? 'deadline closed' : 'deadline'} data-testid="countdown">
      {left <= 0 ? t('stages.tablingClosed') : t('stages.closesIn', { left: formatDuration(left, i18n.language) })} <DeadlineText deadline={deadline} timeZone={timeZone} />
    </p>
  )
}

/** A deadline entered as a wall time of the meeting's zone, the zone named beside it. */
function DeadlineField({ id, value, onChange, timeZone }: { id: string; value: string; onChange: (value: string) => void; timeZone: string }) {
  const { t, i18n } = useTranslation()
  return (
    <>
      <label htmlFor={id}>{t('stages.deadlineIn', { zone: formatTimeZone(timeZone, i18n.language) })}</label>
      <input id={id} type="datetime-local" value={value} onChange={(e) => onChange(e.target.value)} required />
    </>
  )
}

/** The secretariat moves the deadline while amendments are open. */
function DeadlineForm({ room, onDone }: { room: Room; onDone: () => void }) {
  const { t } = useTranslation()
  const id = useId()
  const resolution = useStore(room.store, (state) => state.resolution)
  const [deadline, setDeadline] = useState(() => (resolution.deadline ? wallTimeOf(new Date(resolution.deadline), resolution.timeZone) : inAWeekAtSix(new Date(serverNow()), resolution.timeZone)))
  const [error, setError] = useState<string | null>(null)
  async function submit(event: FormEvent) {
    event.preventDefault()
    try {
      room.setResolution(await endpoints.setDeadline(resolution.id, instantOfWallTime(deadline, resolution.timeZone).toISOString()))
      onDone()
    } catch (failure) {
      setError(refusalText(failure, t))
    }
  }
  return (
    <form className="inline-form" onSubmit={submit}>
      <DeadlineField id={`${id}-deadline`} value={deadline} onChange={setDeadline} timeZone={resolution.timeZone} />
      <ErrorNote message={error} />
      <button type="submit" className="primary">
        {t('stages.saveDeadline')}
      </button>
    </form>
  )
}

/** The calendar day a meeting ends, in its own zone; empty (to be chosen) when the resolution is on no agenda. */
function meetingDay(endsAt: string | null, timeZone: string): string {
  if (!endsAt) return ''
  return /^\d{4}-\d{2}-\d{2}$/.test(endsAt) ? endsAt : wallTimeOf(new Date(endsAt), timeZone).slice(0, 10)
}

interface Outstanding {
  id: string
  number: string
  reason: 'undecided' | 'objection' | 'lateTyping'
}

function MoveForm({ transition, room, onDone }: { transition: Transition; room: Room; onDone: () => void }) {
  const { t, i18n } = useTranslation()
  const id = useId()
  const resolution = useStore(room.store, (state) => state.resolution)
  const reopening = transition.to === 'amendments' && transition.from !== 'draft'
  const asksDeadline = transition.requires === 'deadline' || reopening
  const [deadline, setDeadline] = useState(() =>
    resolution.deadline && new Date(resolution.deadline).getTime() > serverNow() ? wallTimeOf(new Date(resolution.deadline), resolution.timeZone) : inAWeekAtSix(new Date(serverNow()), resolution.timeZone),
  )
  const [outstanding, setOutstanding] = useState<Outstanding[]>([])
  const [override, setOverride] = useState(false)
  const [reason, setReason] = useState('')
  const [confirmed, setConfirmed] = useState(false)
  // Closing tabling before the deadline takes time from every delegation: said, and asked for explicitly.
  const now = useNowAround(resolution.deadline)
  const early = transition.from === 'amendments' && transition.to === 'consolidation' && resolution.deadline !== null && new Date(resolution.deadline) > now
  const [closeEarly, setCloseEarly] = useState(false)
  const [adoptedBy, setAdoptedBy] = useState<AdoptingBody>('Council')
  // The day of the meeting that adopted it, never today's: an adoption is often recorded long after the day.
  const [adoptedAt, setAdoptedAt] = useState(() => meetingDay(resolution.meetingEndsAt, resolution.timeZone))
  const [event, setEvent] = useState(resolution.event)
  const [error, setError] = useState<string | null>(null)
  // The lock was refused because translations are due: the same form then offers to lock with them acknowledged.
  const [translationsDue, setTranslationsDue] = useState(false)
  const [acknowledged, setAcknowledged] = useState(false)

  async function submit(submitEvent: FormEvent) {
    submitEvent.preventDefault()
    const move: StageMove = { to: transition.to }
    if (asksDeadline) move.deadline = instantOfWallTime(deadline, resolution.timeZone).toISOString()
    if (transition.requires === 'reason') move.reason = reason
    if (transition.requires === 'confirm') move.confirm = confirmed
    if (translationsDue && acknowledged) move.acceptOutstandingTranslations = true
    if (transition.to === 'final' && override) move.acceptOutstandingAmendments = true
    if (transition.requires === 'adoption') Object.assign(move, { adoptedBy, adoptedAt, event })
    try {
      room.setResolution(await endpoints.moveStage(resolution.id, move))
      onDone()
    } catch (failure) {
      if (failure instanceof HttpError && failure.code === 'translations_due') setTranslationsDue(true)
      if (failure instanceof HttpError && failure.code === 'amendments_outstanding') setOutstanding((failure.detail['outstanding'] as Outstanding[] | undefined) ?? [])
      setError(refusalText(failure, t))
    }
  }

  return (
    <form className="inline-form" onSubmit={submit}>
      {reopening && <p className="consequence">{t('stages.tabledStay')}</p>}
      {transition.to === 'draft' && <p className="consequence">{t('stages.tabledLapse')}</p>}
      {early && (
        <>
          <p className="consequence">{t('stages.closesEarly', { deadline: formatInstant(resolution.deadline!, i18n.language, resolution.timeZone) })}</p>
          <label className="confirm">
            <input type="checkbox" checked={closeEarly} onChange={(e) => setCloseEarly(e.target.checked)} />
            {t('stages.closeEarly')}
          </label>
        </>
      )}
      {asksDeadline && <DeadlineField id={`${id}-deadline`} value={deadline} onChange={setDeadline} timeZone={resolution.timeZone} />}
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
      {outstanding.length > 0 && (
        <>
          <ul className="outstanding" data-testid="outstanding">
            {outstanding.map((item) => (
              <li key={item.id}>{t(`stages.outstanding.${item.reason}`, { number: item.number })}</li>
            ))}
          </ul>
          <label className="confirm">
            <input type="checkbox" checked={override} onChange={(e) => setOverride(e.target.checked)} />
            {t(`stages.override.${new Set(outstanding.map((item) => item.reason)).size === 1 ? outstanding[0]!.reason : 'both'}`)}
          </label>
        </>
      )}
      {translationsDue && (
        <label className="confirm">
          <input type="checkbox" checked={acknowledged} onChange={(e) => setAcknowledged(e.target.checked)} />
          {t('stages.acknowledgeTranslations')}
        </label>
      )}
      <button type="submit" className="primary" disabled={(transition.requires === 'confirm' && !confirmed) || (translationsDue && !acknowledged) || (early && !closeEarly)}>
        {t(`stages.move.${transition.from}.${transition.to}`)}
      </button>
    </form>
  )
}

/** Where the resolution stands in the procedure, the deadline, and the moves this person may make. */
export function StagePanel({ room, me }: { room: Room; me: Person }) {
  const { t } = useTranslation()
  const resolution = useStore(room.store, (state) => state.resolution)
  const [open, setOpen] = useState<Stage | 'deadline' | null>(null)
  const moves = transitionsFrom(resolution.stage).filter((transition) => transition.by.includes(me.role))
  return (
    <section className="stage-panel" aria-labelledby="stage-title">
      <h2 id="stage-title">
        {t('stages.title')}
        {t('punctuation.colon')}
        <span className={`stage stage-${resolution.stage}`} data-testid="stage">{t(`stage.${resolution.stage}`)}</span>
      </h2>
      <p className="stage-help">{t(`stages.help.${resolution.stage}`)}</p>
      {resolution.stage === 'amendments' && resolution.deadline && <Countdown deadline={resolution.deadline} timeZone={resolution.timeZone} />}
      {resolution.stage === 'amendments' && me.role === 'secretariat' && (
        <div className="move">
          <button type="button" onClick={() => setOpen(open === 'deadline' ? null : 'deadline')} aria-expanded={open === 'deadline'}>
            {t('stages.changeDeadline')}…
          </button>
          {open === 'deadline' && <DeadlineForm room={room} onDone={() => setOpen(null)} />}
        </div>
      )}
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
