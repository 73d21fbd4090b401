import { compromiseDraft, rebase, type Wording } from '@hemicycle/amendments'
import { candidateOf } from '@hemicycle/documents'
import type { Amendment } from '@hemicycle/protocol'
import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { endpoints } from '../../api/endpoints.ts'
import type { Room } from '../../editor/room.ts'
import { refusalText } from '../../i18n/refusals.ts'
import { ErrorNote } from '../ErrorNote.tsx'
import type { AmendmentTarget } from './ProposeAmendment.tsx'
import { TrackedChange } from './TrackedChange.tsx'
import { WordingEditor } from './WordingEditor.tsx'

interface Props {
  room: Room
  lang: string
  /** Two or more tabled amendments of one block. */
  chosen: readonly Amendment[]
  /** That block as it stands now. */
  target: AmendmentTarget
  /** The compromise was tabled. */
  onTabled: () => void
}

/**
 * A compromise of amendments to one paragraph: it starts from their changes
 * that do not collide, already applied to the paragraph as it stands, and
 * shows the result as a tracked change against the text while it is edited.
 */
export function CompromiseComposer({ room, lang, chosen, target, onTabled }: Props) {
  const { t } = useTranslation()
  const id = useId()
  const [compromise, setCompromise] = useState<Wording>([])
  const [justification, setJustification] = useState('')
  const [error, setError] = useState<string | null>(null)
  // The editor reads its first draft once (keyed by the choice of amendments); later changes of the live text do not retype it.
  // Each amendment read through the decisions taken on its paragraph since it was tabled, as accepting it would read it.
  const choice = chosen.map((amendment) => amendment.id).join(' ')
  const [began, setBegan] = useState({ choice, base: target.current })
  if (began.choice !== choice) setBegan({ choice, base: target.current })
  const all = room.store.getState().amendments
  const start = compromiseDraft(began.base, chosen.map((amendment) => candidateOf(amendment, all)))
  // What others write in the paragraph meanwhile stays: the wording is brought up to the paragraph as it stands, here as the
  // server will (shown against the old paragraph, their words read as struck by the compromise, and were deleted by it).
  const brought = rebase({ kind: 'replace', blockId: null, base: began.base, wording: compromise }, target.current)

  async function compose() {
    setError(null)
    try {
      room.upsert(await endpoints.compromise(room.store.getState().resolution.id, { amendmentIds: chosen.map((a) => a.id), wording: compromise, justification, base: began.base }))
      await room.refresh()
      onTabled()
    } catch (failure) {
      setError(refusalText(failure, t))
    }
  }

  return (
    <div className="inline-form compromise-form">
      <WordingEditor key={chosen.map((amendment) => amendment.id).join(' ')} initial={start.wording} onChange={setCompromise} label={t('amendments.compromiseWording')} lang={lang} />
      {start.leftOut > 0 && <p className="consequence">{t('amendments.compromiseLeftOut', { count: start.leftOut })}</p>}
      <div className="compromise-preview" data-testid="compromise-preview">
        {brought.state === 'clean' ? (
          <TrackedChange before={[target.current]} after={brought.wording} color="#475569" lang={lang} />
        ) : (
          <p className="consequence" role="alert" data-testid="compromise-overtaken">
            {t('amendments.compromiseOvertaken')}
          </p>
        )}
      </div>
      <label htmlFor={`${id}-why`}>{t('amendments.justification')}</label>
      <textarea id={`${id}-why`} value={justification} onChange={(event) => setJustification(event.target.value)} rows={2} />
      <button type="button" className="primary" disabled={compromise.length === 0 || !justification.trim()} onClick={() => void compose()}>
        {t('amendments.tableCompromise')}
      </button>
      <ErrorNote message={error} />
    </div>
  )
}
