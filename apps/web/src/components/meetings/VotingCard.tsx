import { type Amendment, type Choice, Choice as Choices, type Person, type Vote } from '@hemicycle/protocol'
import { checkBallot } from '@hemicycle/rules'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useStore } from 'zustand'
import { endpoints } from '../../api/endpoints.ts'
import { type MeetingRoom, peopleOf, seatOf } from '../../meetings/meetingRoom.ts'
import { ErrorNote } from '../ErrorNote.tsx'
import { refusalText } from '../../i18n/refusals.ts'
import { formatCountry } from '../../format.ts'
import { AmendmentChange } from '../amendments/TrackedChange.tsx'
import { voteTerms } from './VotesPanel.tsx'

/**
 * A delegate's ballot on a phone: for each open vote, three large buttons
 * casting (or changing) the delegation's ballot. Says plainly when this
 * person cannot vote and why, as the server would.
 */
export function VotingCard({ room, me }: { room: MeetingRoom; me: Person }) {
  const { t, i18n } = useTranslation()
  const roll = useStore(room.store, (state) => state.roll)
  const votes = useStore(room.store, (state) => state.votes)
  const entry = roll.find((candidate) => candidate.delegation.id === me.delegation?.id)
  const bar = checkBallot(me, entry ? seatOf(entry) : undefined, entry ? peopleOf(entry) : () => undefined)
  const open = votes.filter((vote) => vote.status === 'open')
  const asSubstitute = entry?.voting?.id !== me.id

  return (
    <section className="voting-card" aria-labelledby="voting-card-title" data-testid="voting-card">
      <h2 id="voting-card-title">{t('ballot.title')}</h2>
      {entry && !bar && (
        <p className="for">
          {t('ballot.for', { delegation: `${entry.delegation.party} (${formatCountry(entry.delegation.country, i18n.language)})` })}
          {asSubstitute && <> · {t('ballot.asSubstitute')}</>}
        </p>
      )}
      {bar && <p className="bar" role="note">{t(`ballot.bar.${bar.bar}`)}</p>}
      {open.length === 0 && <p className="none">{t('ballot.none')}</p>}
      {!bar && open.map((vote) => <BallotButtons key={vote.id} vote={vote} room={room} delegationId={entry!.delegation.id} />)}
    </section>
  )
}

function BallotButtons({ vote, room, delegationId }: { vote: Vote; room: MeetingRoom; delegationId: string }) {
  const { t } = useTranslation()
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const current = vote.ballots.find((ballot) => ballot.delegation.id === delegationId)?.choice
  // What is voted on, as the wording changes the text, and by what majority: a delegate votes on words, not on a number.
  const amendmentId = vote.subject.kind === 'amendment' ? vote.subject.amendmentId : null
  const [amendment, setAmendment] = useState<Amendment | null>(null)
  useEffect(() => {
    if (!amendmentId) return
    let live = true
    endpoints.amendment(amendmentId).then(
      (found) => live && setAmendment(found),
      () => {},
    )
    return () => {
      live = false
    }
  }, [amendmentId])

  async function cast(choice: Choice) {
    setBusy(true)
    setError(null)
    try {
      room.recordBallot(vote.id, await endpoints.cast(vote.id, { choice, delegationId }))
    } catch (failure) {
      setError(refusalText(failure, t))
    } finally {
      setBusy(false)
    }
  }

  return (
    <div className="ballot" data-vote={vote.id}>
      <h3>{vote.label}</h3>
      <p className="terms">{voteTerms(vote, t)}</p>
      {amendment && (
        <div className="voted-wording" data-testid="voted-wording">
          <p className="kind">{t(`amendments.kinds.${amendment.kind}`)}</p>
          <AmendmentChange amendment={amendment} color="#1d4ed8" />
        </div>
      )}
      <div className="choices" role="group" aria-label={vote.label}>
        {Choices.options.map((choice) => (
          <button key={choice} type="button" className={`choice choice-${choice}`} aria-pressed={current === choice} disabled={busy} onClick={() => void cast(choice)}>
            {t(`votes.choice.${choice}`)}
          </button>
        ))}
      </div>
      <p className="yours" aria-live="polite">
        {current ? t('ballot.yourChoice', { choice: t(`votes.choice.${current}`) }) : t('ballot.notYet')}
      </p>
      <ErrorNote message={error} />
    </div>
  )
}
