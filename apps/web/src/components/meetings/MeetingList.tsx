import { type Meeting, MeetingKind, type Resolution } from '@hemicycle/protocol'
import { type FormEvent, useEffect, useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { endpoints } from '../../api/endpoints.ts'
import { useFetched } from '../../api/useFetched.ts'
import { formatMeetingDate } from '../../format.ts'
import { useRouter } from '../../stores/router.ts'
import { useSession } from '../../stores/session.ts'
import { ErrorNote } from '../ErrorNote.tsx'
import { refusalText } from '../../i18n/refusals.ts'
import { serverNow } from '../../serverClock.ts'
import { AppLink } from '../AppLink.tsx'

/** The secretariat convenes a meeting: the body, title, place, dates and the resolutions on its agenda. */
function ConveneForm({ onCreated }: { onCreated: (meeting: Meeting) => void }) {
  const { t } = useTranslation()
  const id = useId()
  const today = new Date(serverNow()).toISOString().slice(0, 10)
  const [kind, setKind] = useState<MeetingKind>('council')
  const [title, setTitle] = useState('')
  const [place, setPlace] = useState('')
  const [startsAt, setStartsAt] = useState(today)
  const [endsAt, setEndsAt] = useState(today)
  const [resolutions, setResolutions] = useState<Resolution[]>([])
  const [agenda, setAgenda] = useState<ReadonlySet<string>>(new Set())
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    endpoints.resolutions().then(setResolutions, () => setResolutions([]))
  }, [])

  async function submit(event: FormEvent) {
    event.preventDefault()
    try {
      onCreated(await endpoints.createMeeting({ kind, title, place, startsAt, endsAt, resolutionIds: [...agenda] }))
    } catch (failure) {
      setError(refusalText(failure, t))
    }
  }

  return (
    <form className="inline-form convene" onSubmit={submit}>
      <label htmlFor={`${id}-kind`}>{t('meetings.form.kind')}</label>
      <select id={`${id}-kind`} value={kind} onChange={(e) => setKind(e.target.value as MeetingKind)}>
        {MeetingKind.options.map((option) => (
          <option key={option} value={option}>
            {t(`meetings.kind.${option}`)}
          </option>
        ))}
      </select>
      <label htmlFor={`${id}-title`}>{t('meetings.form.title')}</label>
      <input id={`${id}-title`} value={title} onChange={(e) => setTitle(e.target.value)} required />
      <label htmlFor={`${id}-place`}>{t('meetings.form.place')}</label>
      <input id={`${id}-place`} value={place} onChange={(e) => setPlace(e.target.value)} />
      <label htmlFor={`${id}-from`}>{t('meetings.form.startsAt')}</label>
      <input id={`${id}-from`} type="date" value={startsAt} onChange={(e) => setStartsAt(e.target.value)} required />
      <label htmlFor={`${id}-to`}>{t('meetings.form.endsAt')}</label>
      <input id={`${id}-to`} type="date" value={endsAt} onChange={(e) => setEndsAt(e.target.value)} required />
      <fieldset>
        <legend>{t('meetings.form.agenda')}</legend>
        {resolutions.map((resolution) => (
          <label key={resolution.id} className="check">
            <input
              type="checkbox"
              checked={agenda.has(resolution.id)}
              onChange={(e) => {
                const next = new Set(agenda)
                if (e.target.checked) next.add(resolution.id)
                else next.delete(resolution.id)
                setAgenda(next)
              }}
            />
            <span lang={resolution.language}>{resolution.title}</span>
          </label>
        ))}
      </fieldset>
      <ErrorNote message={error} />
      <button type="submit" className="primary">
        {t('meetings.form.submit')}
      </button>
    </form>
  )
}

export function MeetingList() {
  const { t, i18n } = useTranslation()
  const role = useSession((state) => state.person?.role)
  const navigate = useRouter((state) => state.navigate)
  const [load] = useFetched(endpoints.meetings)
  const [convening, setConvening] = useState(false)

  return (
    <main id="main" className="meetings">
      <h1>{t('meetings.title')}</h1>
      {role === 'secretariat' && (
        <div className="move">
          <button type="button" onClick={() => setConvening(!convening)} aria-expanded={convening}>
            {t('meetings.create')}…
          </button>
          {convening && <ConveneForm onCreated={(meeting) => navigate({ page: 'meeting', id: meeting.id })} />}
        </div>
      )}
      {load.state === 'loading' && <p aria-busy="true">{t('app.loading')}</p>}
      {load.state === 'error' && <p role="alert">{t('meetings.error')}</p>}
      {load.state === 'ready' && load.value.length === 0 && <p>{t('meetings.empty')}</p>}
      {load.state === 'ready' && load.value.length > 0 && (
        <ul className="resolution-list meeting-list">
          {load.value.map((meeting) => {
            const route = { page: 'meeting', id: meeting.id } as const
            return (
              <li key={meeting.id}>
                <AppLink to={route}>
                  <span className="stamp">{t(`meetings.kind.${meeting.kind}`)}</span>
                  <span className="title">{meeting.title}</span>
                  <span className="meta">
                    <span>{meeting.place}</span>
                    <span>{t('meetings.dates', { start: formatMeetingDate(meeting.startsAt, i18n.language), end: formatMeetingDate(meeting.endsAt, i18n.language) })}</span>
                  </span>
                </AppLink>
              </li>
            )
          })}
        </ul>
      )}
    </main>
  )
}
