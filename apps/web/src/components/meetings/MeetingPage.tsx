import type { Person } from '@hemicycle/protocol'
import { mayConductVotes } from '@hemicycle/rules'
import { useTranslation } from 'react-i18next'
import { useStore } from 'zustand'
import { endpoints } from '../../api/endpoints.ts'
import { formatMeetingDate } from '../../format.ts'
import { useLive } from '../../editor/useRoom.ts'
import { MeetingRoom } from '../../meetings/meetingRoom.ts'
import { RollPanel } from './RollPanel.tsx'
import { VotesPanel } from './VotesPanel.tsx'
import { VotingCard } from './VotingCard.tsx'
import { AppLink } from '../AppLink.tsx'

/**
 * One meeting: delegates find their voting card first (it must work on a
 * phone in the meeting room); the secretariat and the chair conduct the
 * votes; everyone follows the tallies and the roll live.
 */
export function MeetingPage({ id, me }: { id: string; me: Person }) {
  const { t } = useTranslation()
  const load = useLive((signal) => endpoints.meeting(id, signal).then((meeting) => new MeetingRoom(meeting)), id)

  const back = (
    <nav className="breadcrumb" aria-label={t('nav.meetings')}>
      <AppLink to={{ page: 'meetings' }}>
        ← {t('meetings.back')}
      </AppLink>
    </nav>
  )
  if (load.state === 'loading') return <main id="main" aria-busy="true">{t('app.loading')}</main>
  if (load.state === 'missing') {
    return (
      <main id="main">
        <p role="alert">{t('meetings.notFound')}</p>
        {back}
      </main>
    )
  }
  return (
    <main id="main" className="meeting-page">
      {back}
      <MeetingHeader room={load.room} />
      {(me.delegation || me.role === 'observer') && <VotingCard room={load.room} me={me} />}
      <div className="meeting-layout">
        <VotesPanel room={load.room} conducts={mayConductVotes(me.role)} voids={me.role === 'secretariat'} />
        <RollPanel room={load.room} me={me} />
      </div>
    </main>
  )
}

function MeetingHeader({ room }: { room: MeetingRoom }) {
  const { t, i18n } = useTranslation()
  const meeting = useStore(room.store, (state) => state.meeting)
  const live = useStore(room.store, (state) => state.live)
  const start = formatMeetingDate(meeting.startsAt, i18n.language)
  const end = formatMeetingDate(meeting.endsAt, i18n.language)
  return (
    <header className="meeting-header">
      <p className="meeting-kind">{t(`meetings.kind.${meeting.kind}`)}</p>
      <h1>{meeting.title}</h1>
      <p className="meta">
        {meeting.place && <span>{meeting.place}</span>}
        <span>{start === end ? start : t('meetings.dates', { start, end })}</span>
        <span className={live ? 'live on' : 'live'} data-testid="meeting-live">
          {t(live ? 'meetings.live' : 'meetings.offline')}
        </span>
      </p>
    </header>
  )
}
