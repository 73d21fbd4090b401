import { Majority, type Vote, type VoteSubject } from '@hemicycle/protocol'
import type { TFunction } from 'i18next'
import { defaultQuorum, voteOutcome } from '@hemicycle/rules'
import { type FormEvent, useEffect, useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useStore } from 'zustand'
import { HttpError } from '../../api/http.ts'
import { endpoints } from '../../api/endpoints.ts'
import { type MeetingRoom, votingOnRoll } from '../../meetings/meetingRoom.ts'
import { ErrorNote } from '../ErrorNote.tsx'
import { notAppliedText, refusalText } from '../../i18n/refusals.ts'
import { formatCountry } from '../../format.ts'

interface Option {
  key: string
  subject: VoteSubject
  label: string
}

/** What the meeting can vote on now: tabled amendments of agenda resolutions in consolidation, and the adoption of final texts. */
async function votableSubjects(resolutionIds: readonly string[], label: (kind: 'amendment' | 'adoption', text: string) => string): Promise<Option[]> {
  const options: Option[] = []
  for (const id of resolutionIds) {
    const resolution = await endpoints.resolution(id)
    if (resolution.stage === 'final') options.push({ key: `adoption:${id}`, subject: { kind: 'adoption', resolutionId: id }, label: label('adoption', resolution.title) })
    if (resolution.stage !== 'consolidation') continue
    for (const amendment of await endpoints.amendments(id)) {
      if (amendment.status !== 'tabled') continue
      options.push({ key: `amendment:${amendment.id}`, subject: { kind: 'amendment', amendmentId: amendment.id }, label: label('amendment', `${amendment.label} — ${resolution.title}`) })
    }
  }
  return options
}

function OpenVoteForm({ room, onOpened }: { room: MeetingRoom; onOpened: () => void }) {
  const { t } = useTranslation()
  const id = useId()
  const meeting = useStore(room.store, (state) => state.meeting)
  const seated = useStore(room.store, (state) => votingOnRoll(state.roll))
  const votes = useStore(room.store, (state) => state.votes)
  const [options, setOptions] = useState<Option[] | null>(null)
  const [subject, setSubject] = useState('')
  const [majority, setMajority] = useState<Majority>('simple')
  const [quorum, setQuorum] = useState('')
  const [error, setError] = useState<string | null>(null)
  // Votes opening and closing change what can be voted on next.
  const decided = votes.filter((vote) => vote.status === 'closed').length

  useEffect(() => {
    let current = true
    const label = (kind: 'amendment' | 'adoption', text: string) => t(kind === 'amendment' ? 'votes.amendment' : 'votes.adoption', { label: text, title: text })
    votableSubjects(meeting.resolutionIds, label).then(
      (found) => current && setOptions(found),
      () => current && setOptions([]),
    )
    return () => {
      current = false
    }
  }, [meeting.resolutionIds, decided, t])

  const busy = new Set(votes.filter((vote) => vote.status === 'open').map((vote) => (vote.subject.kind === 'amendment' ? `amendment:${vote.subject.amendmentId}` : `adoption:${vote.subject.resolutionId}`)))
  const available = (options ?? []).filter((option) => !busy.has(option.key))

  async function submit(event: FormEvent) {
    event.preventDefault()
    const chosen = available.find((option) => option.key === subject) ?? available[0]
    if (!chosen) return
    try {
      room.upsertVote(await endpoints.openVote(meeting.id, { subject: chosen.subject, majority, ...(quorum ? { quorum: Number(quorum) } : {}) }))
      setError(null)
      // Opened: the form goes, so that a second click does not open a second vote.
      onOpened()
    } catch (failure) {
      setError(refusalText(failure, t))
    }
  }

  if (options === null) return <p aria-busy="true">{t('app.loading')}</p>
  if (available.length === 0) return <p className="none">{t('votes.nothingToVote')}</p>
  return (
    <form className="inline-form open-vote" onSubmit={submit}>
      <label htmlFor={`${id}-subject`}>{t('votes.subject')}</label>
      <select id={`${id}-subject`} value={subject} onChange={(e) => setSubject(e.target.value)}>
        {available.map((option) => (
          <option key={option.key} value={option.key}>
            {option.label}
          </option>
        ))}
      </select>
      <label htmlFor={`${id}-majority`}>{t('votes.majority')}</label>
      <select id={`${id}-majority`} value={majority} onChange={(e) => setMajority(e.target.value as Majority)}>
        {Majority.options.map((option) => (
          <option key={option} value={option}>
            {t(`votes.majorities.${option}`)}
          </option>
        ))}
      </select>
      <label htmlFor={`${id}-quorum`}>{t('votes.quorum')}</label>
      <input
        id={`${id}-quorum`}
        type="number"
        min={0}
        max={seated}
        value={quorum}
        placeholder={t('votes.quorumDefault', { count: defaultQuorum(seated) })}
        onChange={(e) => setQuorum(e.target.value)}
      />
      <ErrorNote message={error} />
      <button type="submit" className="primary">
        {t('votes.submit')}
      </button>
    </form>
  )
}

/** "Simple majority · quorum 3": what a vote needs to pass. */
export const voteTerms = (vote: Vote, t: TFunction) => `${t(`votes.majorities.${vote.majority}`)} · ${t('votes.quorumLine', { quorum: vote.quorum })}`

function VoteCard({ vote, room, conducts, voids }: { vote: Vote; room: MeetingRoom; conducts: boolean; voids: boolean }) {
  const { t, i18n } = useTranslation()
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  // Closing applies the result at once and for good: asked twice, the consequence said between.
  const [confirming, setConfirming] = useState(false)
  // A close refused whatever the ballots say (the words conflict with the text): the secretariat may void the vote, saying why.
  const [refused, setRefused] = useState(false)
  const [reason, setReason] = useState('')

  async function voidIt() {
    setBusy(true)
    try {
      room.upsertVote(await endpoints.voidVote(vote.id, reason))
      setError(null)
      setRefused(false)
    } catch (failure) {
      setError(refusalText(failure, t))
    } finally {
      setBusy(false)
    }
  }

  async function close() {
    setBusy(true)
    try {
      room.upsertVote(await endpoints.closeVote(vote.id))
      setError(null)
    } catch (failure) {
      setError(refusalText(failure, t))
      // Only a refusal over the text (its words conflict, a rule on the text) may need the vote voided; not a busy server.
      setRefused(failure instanceof HttpError && ['conflict', 'paragraph_too_long', 'document_too_long'].includes(failure.code))
    } finally {
      setBusy(false)
    }
  }

  return (
    <li className={`vote status-${vote.status}`} data-vote={vote.id}>
      <header>
        <h3>{vote.label}</h3>
        <span className="badge">{t(`votes.status.${vote.status}`)}</span>
      </header>
      <p className="terms">{voteTerms(vote, t)}</p>
      <p className="tally" data-testid="tally" aria-live="polite">
        {t('votes.tally', { count: vote.tally.cast, eligible: vote.tally.eligible })}
      </p>
      {vote.status === 'open' && vote.ballots.length > 0 && (
        <p className="voted">{t('votes.voted', { list: vote.ballots.map((ballot) => ballot.delegation.party).join(', ') })}</p>
      )}
      {vote.result && (
        <>
          <p className={vote.result.passed ? 'result passed' : 'result failed'} data-testid="result">
            <strong>{t(`votes.${voteOutcome(vote.result)}`)}</strong> — {t('votes.result', vote.result)}
          </p>
          {vote.notApplied && (
            <p className="result not-applied" data-testid="not-applied" role="status">
              {notAppliedText(vote.notApplied.code, t)}
            </p>
          )}
          <table className="roll-call">
            <caption>{t('votes.rollCall')}</caption>
            <tbody>
              {vote.ballots.map((ballot) => (
                <tr key={ballot.delegation.id}>
                  <th scope="row">
                    {ballot.delegation.party} ({formatCountry(ballot.delegation.country, i18n.language)})
                  </th>
                  <td>{ballot.choice ? t(`votes.choice.${ballot.choice}`) : ''}</td>
                  <td className="who">{ballot.castBy.name}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {vote.status === 'closed' && !vote.result && vote.notApplied?.code === 'voided' && (
        <p className="result not-applied" data-testid="voided" role="status">
          {t('votes.voided', { reason: vote.notApplied.message })}
        </p>
      )}
      {voids && vote.status === 'open' && refused && (
        <form
          className="void-vote"
          onSubmit={(e) => {
            e.preventDefault()
            void voidIt()
          }}
        >
          <label>
            {t('votes.voidReason')}
            <input value={reason} required maxLength={2000} onChange={(e) => setReason(e.target.value)} />
          </label>
          <button type="submit" disabled={busy || reason.trim() === ''}>
            {t('votes.void')}
          </button>
        </form>
      )}
      {conducts && vote.status === 'open' && !confirming && (
        <button type="button" className="primary" onClick={() => setConfirming(true)}>
          {t('votes.close')}
        </button>
      )}
      {conducts && vote.status === 'open' && confirming && (
        <div className="confirm-close">
          <p className="consequence">{t(`votes.closeWarning.${vote.subject.kind}`)}</p>
          <button type="button" className="primary" disabled={busy} onClick={() => void close()}>
            {t('votes.closeConfirm')}
          </button>
          <button type="button" onClick={() => setConfirming(false)}>
            {t('votes.closeCancel')}
          </button>
        </div>
      )}
      <ErrorNote message={error} />
    </li>
  )
}

/** The meeting's votes, the latest first, with the form to open one for those who conduct them. */
export function VotesPanel({ room, conducts, voids = false }: { room: MeetingRoom; conducts: boolean; voids?: boolean }) {
  const { t } = useTranslation()
  const votes = useStore(room.store, (state) => state.votes)
  const [opening, setOpening] = useState(false)
  return (
    <section className="votes-panel" aria-labelledby="votes-title">
      <h2 id="votes-title">{t('votes.title')}</h2>
      {conducts && (
        <div className="move">
          <button type="button" onClick={() => setOpening(!opening)} aria-expanded={opening}>
            {t('votes.open')}…
          </button>
          {opening && <OpenVoteForm room={room} onOpened={() => setOpening(false)} />}
        </div>
      )}
      {votes.length === 0 ? (
        <p className="none">{t('votes.none')}</p>
      ) : (
        <ul className="vote-list">
          {[...votes].reverse().map((vote) => (
            <VoteCard key={vote.id} vote={vote} room={room} conducts={conducts} voids={voids} />
          ))}
        </ul>
      )}
    </section>
  )
}
