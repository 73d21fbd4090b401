import { rebase, type Run, sameWording, type Wording } from '@hemicycle/amendments'
import { type Amendment, delegationColor, type Person } from '@hemicycle/protocol'
import { type AmendmentAction, checkAmendmentAction } from '@hemicycle/rules'
import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { endpoints } from '../../api/endpoints.ts'
import type { Room } from '../../editor/room.ts'
import { formatCountry, formatWhen } from '../../format.ts'
import { TrackedChange } from './TrackedChange.tsx'
import { WordingEditor } from './WordingEditor.tsx'
import { ErrorNote } from '../ErrorNote.tsx'
import { refusalText } from '../../i18n/refusals.ts'

type Form = null | 'reject' | 'modify' | 'respond'

interface Props {
  amendment: Amendment
  /** The block's runs as they stand now, to show a decider the change rebased on it. */
  current: Run[] | null
  byId: ReadonlyMap<string, Amendment>
  room: Room
  me: Person
  lang: string
  now: Date
  selected?: boolean
  onSelect?: ((selected: boolean) => void) | undefined
}

/** One amendment as a tracked change, with what it is, who tabled it, what became of it, and the actions this person may take. */
export function AmendmentCard({ amendment, current, byId, room, me, lang, now, selected, onSelect }: Props) {
  const { t, i18n } = useTranslation()
  const id = useId()
  const [form, setForm] = useState<Form>(null)
  const [wording, setWording] = useState<Wording>(amendment.wording)
  const [note, setNote] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const { resolution } = room.store.getState()
  const may = (action: AmendmentAction) =>
    checkAmendmentAction(action, me, { stage: resolution.stage, deadline: resolution.deadline ? new Date(resolution.deadline) : null, now }, {
      status: amendment.status,
      delegationId: amendment.delegation?.id ?? null,
      cosponsorIds: amendment.cosponsors.map((delegation) => delegation.id),
    }) === null
  const color = delegationColor(amendment.delegation?.id ?? null)

  async function act(run: () => Promise<Amendment>) {
    setBusy(true)
    setError(null)
    try {
      room.upsert(await run())
      setForm(null)
    } catch (failure) {
      setError(refusalText(failure, t))
    } finally {
      setBusy(false)
    }
  }

  const citation = `${amendment.label}, ${t('amendments.line', { line: amendment.line })}`
  return (
    <article className={`amendment status-${amendment.status}`} aria-labelledby={`${id}-title`} data-amendment={amendment.number}>
      <header>
        {onSelect && (
          <input type="checkbox" checked={selected ?? false} onChange={(event) => onSelect(event.target.checked)} aria-label={t('amendments.selectForCompromise', { number: amendment.number })} />
        )}
        <h3 id={`${id}-title`}>{citation}</h3>
        <span className={`badge status`}>{t(`amendments.status.${amendment.status}`)}</span>
        {amendment.compromise && <span className="badge">{t('amendments.compromise')}</span>}
        {amendment.conflict && <span className="badge conflict">{t('amendments.conflict')}</span>}
        {amendment.collidesWith.length > 0 && (
          <span className="badge collides">
            {t('amendments.collidesWith', { numbers: amendment.collidesWith.map((other) => byId.get(other)?.number ?? '?').join(', ') })}
          </span>
        )}
      </header>
      <p className="who">
        <span className="swatch" style={{ background: color }} aria-hidden="true" />
        {amendment.delegation ? `${amendment.delegation.party} (${formatCountry(amendment.delegation.country, i18n.language)})` : t('role.secretariat')} — {amendment.tabledBy.name}
        {amendment.cosponsors.length > 0 && <span className="cosponsors"> · {t('amendments.cosponsors', { list: amendment.cosponsors.map((d) => d.party).join(', ') })}</span>}
      </p>
      <p className="kind">{t(`amendments.kinds.${amendment.kind}`)}</p>
      <TrackedChange before={amendment.kind === 'insertAfter' ? [] : [amendment.baseWording]} after={amendment.wording} color={color} lang={lang} />
      {amendment.status === 'tabled' && may('decide') && current !== null && amendment.kind !== 'insertAfter' && !sameWording([current], [amendment.baseWording]) && (
        <RebasedChange amendment={amendment} current={current} color={color} lang={lang} />
      )}
      <p className="justification">
        <span className="label">{t('amendments.justification')}:</span> {amendment.justification}
      </p>
      {amendment.decision && (
        <p className="decision">
          {amendment.decision.result
            ? t(`amendments.voted.${amendment.decision.result.passed ? 'passed' : 'failed'}`, { when: formatWhen(amendment.decision.at, i18n.language), ...amendment.decision.result })
            : t(`amendments.decided.${amendment.status}`, { name: amendment.decision.by.name, when: formatWhen(amendment.decision.at, i18n.language) })}
          {amendment.decision.reason && <> — {amendment.decision.reason}</>}
          {amendment.mergedInto && byId.get(amendment.mergedInto) && <> ({t('amendments.mergedInto', { number: byId.get(amendment.mergedInto)!.number })})</>}
        </p>
      )}
      {amendment.decision?.wording !== undefined && (
        <div className="modified">
          <span className="label">{t('amendments.modifiedWording')}:</span>
          <TrackedChange before={amendment.wording} after={amendment.decision.wording} color="#475569" lang={lang} />
        </div>
      )}
      {amendment.response && (
        <p className="response">
          {t(amendment.response.agree ? 'amendments.agreed' : 'amendments.objected', { name: amendment.response.by.name })}
          {amendment.response.comment && <> — {amendment.response.comment}</>}
        </p>
      )}

      <div className="actions">
        {may('withdraw') && (
          <button type="button" disabled={busy} onClick={() => void act(() => endpoints.withdraw(amendment.id))}>
            {t('amendments.withdraw')}
          </button>
        )}
        {may('cosponsor') && !amendment.cosponsors.some((d) => d.id === me.delegation?.id) && (
          <button type="button" disabled={busy} onClick={() => void act(() => endpoints.cosponsor(amendment.id))}>
            {t('amendments.cosponsor')}
          </button>
        )}
        {may('decide') && (
          <>
            <button type="button" className="primary" disabled={busy || amendment.conflict} onClick={() => void act(() => endpoints.decide(amendment.id, { decision: 'accept' }))}>
              {t('amendments.accept')}
            </button>
            <button type="button" disabled={busy} onClick={() => setForm(form === 'modify' ? null : 'modify')} aria-expanded={form === 'modify'}>
              {t('amendments.acceptModified')}
            </button>
            <button type="button" disabled={busy} onClick={() => setForm(form === 'reject' ? null : 'reject')} aria-expanded={form === 'reject'}>
              {t('amendments.reject')}
            </button>
          </>
        )}
        {may('respond') && !amendment.response && (
          <button type="button" onClick={() => setForm(form === 'respond' ? null : 'respond')} aria-expanded={form === 'respond'}>
            {t('amendments.answer')}
          </button>
        )}
      </div>

      {form === 'reject' && (
        <div className="inline-form">
          <label htmlFor={`${id}-reason`}>{t('amendments.reason')}</label>
          <textarea id={`${id}-reason`} value={note} onChange={(event) => setNote(event.target.value)} rows={2} />
          <button type="button" disabled={busy || !note.trim()} onClick={() => void act(() => endpoints.decide(amendment.id, { decision: 'reject', reason: note }))}>
            {t('amendments.confirmReject')}
          </button>
        </div>
      )}
      {form === 'modify' && (
        <div className="inline-form">
          <WordingEditor initial={amendment.wording} onChange={setWording} label={t('amendments.modifiedWording')} lang={lang} />
          <button type="button" className="primary" disabled={busy || wording.length === 0} onClick={() => void act(() => endpoints.decide(amendment.id, { decision: 'acceptModified', wording }))}>
            {t('amendments.confirmModified')}
          </button>
        </div>
      )}
      {form === 'respond' && (
        <div className="inline-form">
          <label htmlFor={`${id}-comment`}>{t('amendments.comment')}</label>
          <textarea id={`${id}-comment`} value={note} onChange={(event) => setNote(event.target.value)} rows={2} />
          <button type="button" disabled={busy} onClick={() => void act(() => endpoints.respond(amendment.id, { agree: true, ...(note.trim() ? { comment: note } : {}) }))}>
            {t('amendments.agree')}
          </button>
          <button type="button" disabled={busy} onClick={() => void act(() => endpoints.respond(amendment.id, { agree: false, ...(note.trim() ? { comment: note } : {}) }))}>
            {t('amendments.object')}
          </button>
        </div>
      )}
      <ErrorNote message={error} />
    </article>
  )
}

/** The paragraph moved on since tabling: what accepting would now do to it, or why it cannot. */
function RebasedChange({ amendment, current, color, lang }: { amendment: Amendment; current: Run[]; color: string; lang: string }) {
  const { t } = useTranslation()
  const rebased = rebase({ kind: amendment.kind, blockId: amendment.blockId, base: amendment.baseWording, wording: amendment.wording }, current)
  return (
    <div className="rebased" data-testid="rebased">
      <span className="label">{t('amendments.rebasedLabel')}</span>
      {rebased.state === 'clean' ? (
        <TrackedChange before={[current]} after={rebased.wording} color={color} lang={lang} />
      ) : (
        <p className="error">{t('amendments.rebaseConflict')}</p>
      )}
    </div>
  )
}
