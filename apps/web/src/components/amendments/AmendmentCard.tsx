import { rebase, type Run, sameWording, type Wording } from '@hemicycle/amendments'
import { candidateOf, insertedBy, rebasedAgainstText } from '@hemicycle/documents'
import { type Amendment, delegationColor, type Language, type Person, type TranslationBlock } from '@hemicycle/protocol'
import { type AmendmentAction, checkAmendmentAction, checkDecisionReset, checkLateTypingCheck, checkObjectionReply, compromiseFell, lateTypingStanding, voteOutcome } from '@hemicycle/rules'
import { type ReactNode, useId, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type * as Y from 'yjs'
import { endpoints } from '../../api/endpoints.ts'
import type { Room } from '../../editor/room.ts'
import { formatCountry, formatWhen } from '../../format.ts'
import { AmendmentChange, TrackedChange } from './TrackedChange.tsx'
import { WordingEditor } from './WordingEditor.tsx'
import { ErrorNote } from '../ErrorNote.tsx'
import { refusalText } from '../../i18n/refusals.ts'

type Form = null | 'reject' | 'modify' | 'respond' | 'withdraw' | 'cosponsor' | 'edit' | 'reset' | 'reply'

interface Props {
  amendment: Amendment
  /** The block's runs as they stand now, to show a decider the change rebased on it. */
  current: Run[] | null
  /** The text as the page holds it, where the change is rebased as accepting would rebase it (null: not loaded). */
  doc?: Y.Doc | null | undefined
  /** Where its paragraph stands now ("§9"), which insertions and deletions since tabling may have moved. */
  citationNow?: string | undefined
  byId: ReadonlyMap<string, Amendment>
  room: Room
  me: Person
  lang: string
  now: Date
  selected?: boolean
  onSelect?: ((selected: boolean) => void) | undefined
  /** The amendment's paragraph as a language version has it now, shown beside the original's (amendments are tabled against the original). */
  beside?: { language: Language; block: TranslationBlock } | null
  /** How the change is shown instead of the whole wording and its rebased form (the consolidation desk shows only its changed lines). */
  change?: ReactNode
}

/** One amendment as a tracked change, with what it is, who tabled it, what became of it, and the actions this person may take. */
export function AmendmentCard({ amendment, current, doc = null, citationNow, byId, room, me, lang, now, selected, onSelect, beside, change }: Props) {
  const { t, i18n } = useTranslation()
  const id = useId()
  const [form, setForm] = useState<Form>(null)
  const [wording, setWording] = useState<Wording>(amendment.wording)
  const [justification, setJustification] = useState(amendment.justification)
  const [note, setNote] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const { resolution } = room.store.getState()
  const fell = compromiseFell(amendment.mergedInto ? byId.get(amendment.mergedInto)?.status : null)
  const may = (action: AmendmentAction) =>
    checkAmendmentAction(action, me, { stage: resolution.stage, deadline: resolution.deadline ? new Date(resolution.deadline) : null, now }, {
      status: amendment.status,
      delegationId: amendment.delegation?.id ?? null,
      cosponsorIds: amendment.cosponsors.map((delegation) => delegation.id),
      compromiseFell: fell,
    }) === null
  const standing = {
    id: amendment.id,
    number: amendment.number,
    status: amendment.status,
    response: amendment.response ? { agree: amendment.response.agree } : null,
    objectionReply: amendment.objectionReply ? { at: amendment.objectionReply.at } : null,
    compromiseFell: fell,
  }
  // A meeting's vote is not reset by hand: the card offers no reset for it.
  const mayReset = checkDecisionReset(me.role, resolution.stage, { ...standing, byVote: amendment.decision?.vote !== undefined }) === null
  const mayReply = checkObjectionReply(me.role, resolution.stage, standing) === null
  const mayCheck = checkLateTypingCheck(me.role, resolution.stage, { ...standing, lateTyping: lateTypingStanding(amendment.decision) }) === null
  const toggle = (next: Form) => {
    setError(null)
    setForm(form === next ? null : next)
  }
  const color = delegationColor(amendment.delegation?.id ?? null)
  // Read against the paragraph as the page holds it (`useAmendmentsAsTextStands`), as the server reads it on accepting.
  const { conflict } = amendment
  const alreadyInText = amendment.status === 'tabled' && amendment.unchanged === true

  const card = useRef<HTMLElement>(null)

  async function act(run: () => Promise<Amendment>) {
    setBusy(true)
    setError(null)
    try {
      room.upsert(await run())
      setForm(null)
      // The button pressed is gone with the state it offered: the focus stays on this card, not at the top of the page.
      if (card.current?.contains(document.activeElement) || document.activeElement === document.body) card.current?.focus({ preventScroll: true })
    } catch (failure) {
      setError(refusalText(failure, t))
    } finally {
      setBusy(false)
    }
  }

  const tabledAt = `§${amendment.paragraph}`
  // The number given at tabling goes stale when paragraphs are inserted or deleted before it: the card says where the paragraph is now.
  const citation =
    citationNow && citationNow !== tabledAt
      ? `${amendment.number} · ${citationNow} (${t('amendments.tabledAt', { citation: `${tabledAt}, ${t('amendments.line', { line: amendment.line })}` })})`
      : `${amendment.label}, ${t('amendments.line', { line: amendment.line })}`
  return (
    <article ref={card} tabIndex={-1} className={`amendment status-${amendment.status}`} aria-labelledby={`${id}-title`} data-amendment={amendment.number}>
      <header>
        {onSelect && (
          <input type="checkbox" checked={selected ?? false} onChange={(event) => onSelect(event.target.checked)} aria-label={t('amendments.selectForCompromise', { number: amendment.number })} />
        )}
        <h3 id={`${id}-title`}>{citation}</h3>
        <span className={`badge status`}>{t(`amendments.status.${amendment.status}`)}</span>
        {amendment.compromise && <span className="badge">{t('amendments.compromise')}</span>}
        {conflict && <span className="badge conflict">{t(amendment.partlyInText ? 'amendments.conflictPartlyInText' : 'amendments.conflict')}</span>}
        {alreadyInText && <span className="badge unchanged">{t('amendments.alreadyInText')}</span>}
        {amendment.collidesWith.length > 0 && (
          <span className="badge collides">
            {t('amendments.collidesWith', { numbers: amendment.collidesWith.map((other) => byId.get(other)?.number ?? '?').join(', ') })}
          </span>
        )}
      </header>
      <p className="who">
        <span className="swatch" style={{ background: color }} aria-hidden="true" />
        {/* A compromise is drawn up by a chair or the secretariat, for no delegation: said by their role. */}
        {amendment.delegation ? `${amendment.delegation.party} (${formatCountry(amendment.delegation.country, i18n.language)})` : t(`role.${amendment.tabledBy.role}`)} — {amendment.tabledBy.name}
        {amendment.cosponsors.length > 0 && <span className="cosponsors"> · {t('amendments.cosponsors', { list: amendment.cosponsors.map((d) => d.party).join(', ') })}</span>}
      </p>
      <p className="kind">{t(`amendments.kinds.${amendment.kind}`)}</p>
      {change ?? <AmendmentChange amendment={amendment} color={color} lang={lang} />}
      {alreadyInText && <p className="already-in-text">{t('amendments.alreadyInTextNote')}</p>}
      {beside && (
        <p className="beside" data-testid="beside">
          <span className="beside-label">
            {t('amendments.besideText', {
              paragraph: beside.block.section,
              language: t(`translations.languageName.${beside.language}`),
              status: t(`translations.status.${beside.block.status}`),
            })}
          </span>{' '}
          <span lang={beside.language}>{beside.block.text || '—'}</span>
        </p>
      )}
      {change === undefined && amendment.status === 'tabled' && may('decide') && current !== null && amendment.kind !== 'insertAfter' && !sameWording([current], [amendment.baseWording]) && (
        <RebasedChange amendment={amendment} current={current} doc={doc} byId={byId} color={color} lang={lang} />
      )}
      <p className="justification">
        <span className="label">
          {t('amendments.justification')}
          {t('punctuation.colon')}
        </span>
        {amendment.justification}
      </p>
      {amendment.decision && (
        <p className="decision">
          {amendment.decision.result
            ? t(`amendments.voted.${voteOutcome(amendment.decision.result)}`, { when: formatWhen(amendment.decision.at, i18n.language), ...amendment.decision.result })
            : t(`amendments.decided.${amendment.status}`, { name: amendment.decision.by.name, when: formatWhen(amendment.decision.at, i18n.language) })}
          {amendment.decision.reason && <> — {amendment.decision.reason}</>}
          {amendment.mergedInto && byId.get(amendment.mergedInto) && <> ({t('amendments.mergedInto', { number: byId.get(amendment.mergedInto)!.number })})</>}
        </p>
      )}
      {amendment.decision?.lateTyping?.map((note) => (
        <p key={`${note.by.id}-${note.at}`} className="late-typing" role="note" data-testid="late-typing">
          {t('amendments.lateTyping', { name: note.by.name, when: formatWhen(note.at, i18n.language), text: note.text })}
        </p>
      ))}
      {amendment.decision?.lateTypingChecked && (
        <p className="late-typing-checked" data-testid="late-typing-checked">
          {t('amendments.lateTypingChecked', { name: amendment.decision.lateTypingChecked.by.name, when: formatWhen(amendment.decision.lateTypingChecked.at, i18n.language) })}
        </p>
      )}
      {mayCheck && (
        <p className="late-typing-check">
          {t('amendments.lateTypingCheckHint', { number: amendment.number })}{' '}
          <button type="button" disabled={busy} onClick={() => void act(() => endpoints.checkLateTyping(amendment.id))} data-testid="check-late-typing">
            {t('amendments.lateTypingCheck')}
          </button>
        </p>
      )}
      {amendment.decision?.wording !== undefined && (
        <div className="modified">
          <span className="label">
            {t('amendments.modifiedWording')}
            {t('punctuation.colon')}
          </span>
          <TrackedChange before={amendment.wording} after={amendment.decision.wording} color="#475569" lang={lang} />
        </div>
      )}
      {amendment.response && (
        <p className="response">
          {t(amendment.response.agree ? 'amendments.agreed' : 'amendments.objected', { name: amendment.response.by.name })}
          {amendment.response.comment && <> — {amendment.response.comment}</>}
        </p>
      )}
      {amendment.objectionReply && (
        <p className="objection-reply" data-testid="objection-reply">
          {t('amendments.objectionReplied', { name: amendment.objectionReply.by.name, when: formatWhen(amendment.objectionReply.at, i18n.language) })} — {amendment.objectionReply.text}
        </p>
      )}

      <div className="actions">
        {may('edit') && (
          <button type="button" disabled={busy} onClick={() => toggle('edit')} aria-expanded={form === 'edit'}>
            {t('amendments.edit')}…
          </button>
        )}
        {may('withdraw') && (
          <button type="button" disabled={busy} onClick={() => toggle('withdraw')} aria-expanded={form === 'withdraw'}>
            {t('amendments.withdraw')}…
          </button>
        )}
        {may('cosponsor') && !amendment.cosponsors.some((d) => d.id === me.delegation?.id) && (
          <button type="button" disabled={busy} onClick={() => toggle('cosponsor')} aria-expanded={form === 'cosponsor'}>
            {t('amendments.cosponsor')}…
          </button>
        )}
        {mayReset && (
          <button type="button" disabled={busy} onClick={() => toggle('reset')} aria-expanded={form === 'reset'}>
            {t('amendments.reset')}…
          </button>
        )}
        {mayReply && (
          <button type="button" disabled={busy} onClick={() => toggle('reply')} aria-expanded={form === 'reply'}>
            {t('amendments.replyToObjection')}…
          </button>
        )}
        {may('decide') && (
          <>
            <button type="button" className="primary" disabled={busy || conflict} onClick={() => void act(() => endpoints.decide(amendment.id, { decision: 'accept' }))}>
              {t('amendments.accept')}
            </button>
            <button type="button" disabled={busy} onClick={() => toggle('modify')} aria-expanded={form === 'modify'}>
              {t('amendments.acceptModified')}
            </button>
            <button type="button" disabled={busy} onClick={() => toggle('reject')} aria-expanded={form === 'reject'}>
              {t('amendments.reject')}
            </button>
          </>
        )}
        {may('respond') && !amendment.response && (
          <button type="button" onClick={() => toggle('respond')} aria-expanded={form === 'respond'}>
            {t('amendments.answer')}
          </button>
        )}
      </div>

      {form === 'withdraw' && (
        <div className="inline-form confirm-form" role="group" aria-label={t('amendments.withdraw')}>
          <p>{t('amendments.confirmWithdrawText', { number: amendment.number })}</p>
          <button type="button" className="danger" disabled={busy} onClick={() => void act(() => endpoints.withdraw(amendment.id))}>
            {t('amendments.confirmWithdraw', { number: amendment.number })}
          </button>
        </div>
      )}
      {form === 'cosponsor' && (
        <div className="inline-form confirm-form" role="group" aria-label={t('amendments.cosponsor')}>
          <p>{t('amendments.confirmCosponsorText', { number: amendment.number, delegation: me.delegation?.party ?? '' })}</p>
          <button type="button" className="primary" disabled={busy} onClick={() => void act(() => endpoints.cosponsor(amendment.id))}>
            {t('amendments.confirmCosponsor', { number: amendment.number })}
          </button>
        </div>
      )}
      {form === 'edit' && (
        <div className="inline-form">
          <WordingEditor initial={amendment.wording} onChange={setWording} label={t('amendments.newWording')} lang={lang} />
          <label htmlFor={`${id}-justification`}>{t('amendments.justification')}</label>
          <textarea id={`${id}-justification`} value={justification} onChange={(event) => setJustification(event.target.value)} rows={3} />
          {amendment.cosponsors.length > 0 && !sameWording(wording, amendment.wording) && <p className="consequence">{t('amendments.cosponsorsAgain')}</p>}
          <button
            type="button"
            className="primary"
            disabled={busy || !justification.trim() || (amendment.kind !== 'delete' && wording.length === 0)}
            onClick={() => void act(() => endpoints.editAmendment(amendment.id, { ...(amendment.kind === 'delete' ? {} : { wording }), justification }))}
          >
            {t('amendments.saveEdit', { number: amendment.number })}
          </button>
        </div>
      )}
      {form === 'reset' && (
        <div className="inline-form">
          <p className="consequence">{t('amendments.resetText', { number: amendment.number })}</p>
          <label htmlFor={`${id}-reset`}>{t('amendments.resetReason')}</label>
          <textarea id={`${id}-reset`} value={note} onChange={(event) => setNote(event.target.value)} rows={2} />
          <button type="button" className="danger" disabled={busy || !note.trim()} onClick={() => void act(() => endpoints.resetDecision(amendment.id, note))}>
            {t('amendments.confirmReset', { number: amendment.number })}
          </button>
        </div>
      )}
      {form === 'reply' && (
        <div className="inline-form">
          <label htmlFor={`${id}-reply`}>{t('amendments.objectionReply')}</label>
          <textarea id={`${id}-reply`} value={note} onChange={(event) => setNote(event.target.value)} rows={2} />
          <button type="button" disabled={busy || !note.trim()} onClick={() => void act(() => endpoints.replyToObjection(amendment.id, note))}>
            {t('amendments.sendReply')}
          </button>
        </div>
      )}
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
function RebasedChange({ amendment, current, doc, byId, color, lang }: { amendment: Amendment; current: Run[]; doc: Y.Doc | null; byId: ReadonlyMap<string, Amendment>; color: string; lang: string }) {
  const { t } = useTranslation()
  // As accepting reads it: with the paragraphs after the block, which may already say what it adds.
  const all = [...byId.values()]
  const rebased = doc ? rebasedAgainstText(candidateOf(amendment, all), doc, insertedBy(all)) : rebase(candidateOf(amendment, all), current)
  return (
    <div className="rebased" data-testid="rebased">
      <span className="label">{t('amendments.rebasedLabel')}</span>
      {rebased.state === 'clean' ? (
        <TrackedChange before={[current]} after={rebased.wording} color={color} lang={lang} />
      ) : (
        <p className="error">{t(rebased.state === 'conflict' && rebased.partlyInText ? 'amendments.rebasePartlyInText' : 'amendments.rebaseConflict')}</p>
      )}
    </div>
  )
}
