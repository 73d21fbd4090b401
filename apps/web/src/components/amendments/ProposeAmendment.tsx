import type { Run, Wording } from '@hemicycle/amendments'
import { type AmendmentKind, delegationColor, type Person } from '@hemicycle/protocol'
import { type FormEvent, useEffect, useId, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { endpoints } from '../../api/endpoints.ts'
import type { Room } from '../../editor/room.ts'
import { TrackedChange } from './TrackedChange.tsx'
import { WordingEditor } from './WordingEditor.tsx'
import { ErrorNote } from '../ErrorNote.tsx'
import { refusalText } from '../../i18n/refusals.ts'

export interface AmendmentTarget {
  blockId: string
  /** "§4" or "lines 12–15". */
  citation: string
  /** The block's runs as they stand. */
  current: Run[]
  /** What the wording editor starts from: the block as it stands, or a wording the server refused as a direct edit. */
  initial: Run[]
  /** The kind the form starts with: a new wording, unless it is offered for a deletion the server did not take. */
  kind?: AmendmentKind
}

/** The form to table an amendment to one block: kind, wording shown as a tracked change while typed, justification. */
export function ProposeAmendment({ target, room, me, lang, onClose }: { target: AmendmentTarget; room: Room; me: Person; lang: string; onClose: () => void }) {
  const { t } = useTranslation()
  const id = useId()
  const form = useRef<HTMLFormElement>(null)
  // Opened from a paragraph's margin: the form comes into view and takes the focus, whatever the zoom and wherever the paragraph is.
  useEffect(() => {
    form.current?.scrollIntoView({ block: 'nearest' })
    form.current?.querySelector<HTMLInputElement>('input:checked')?.focus({ preventScroll: true })
  }, [])
  const [kind, setKind] = useState<AmendmentKind>(target.kind ?? 'replace')
  const [wording, setWording] = useState<Wording>([target.initial])
  const [justification, setJustification] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  // Sent with the tabling: pressed again after an answer lost on the way, the form's amendment is not tabled twice (the
  // server answers with it, or says it was tabled with other words than these, without a second one).
  const [formKey] = useState(() => Array.from(crypto.getRandomValues(new Uint8Array(12)), (byte) => byte.toString(16).padStart(2, '0')).join(''))
  const color = delegationColor(me.delegation?.id ?? null)
  const untouched = justification.trim() === '' && kind === (target.kind ?? 'replace') && JSON.stringify(wording) === JSON.stringify([target.initial])

  /** Closes the form and gives the focus back to the paragraph's ✎, where it was opened from. */
  function close() {
    onClose()
    setTimeout(() => document.querySelector<HTMLElement>(`.margin[data-block-id="${CSS.escape(target.blockId)}"] .margin-amend`)?.focus({ preventScroll: true }))
  }

  async function submit(event: FormEvent) {
    event.preventDefault()
    setBusy(true)
    setError(null)
    try {
      const amendment = await endpoints.table(room.store.getState().resolution.id, { kind, blockId: target.blockId, ...(kind === 'delete' ? {} : { wording }), justification, requestId: formKey })
      room.upsert(amendment)
      close()
    } catch (failure) {
      setError(refusalText(failure, t))
    } finally {
      setBusy(false)
    }
  }

  return (
    <form
      className="propose"
      ref={form}
      onSubmit={submit}
      aria-labelledby={`${id}-title`}
      onKeyDown={(event) => {
        // Escape leaves the form when nothing typed would be lost; otherwise Cancel says it.
        if (event.key === 'Escape' && untouched) close()
      }}
    >
      <h2 id={`${id}-title`}>{t('amendments.proposeTo', { citation: target.citation })}</h2>
      <fieldset className="kinds">
        <legend>{t('amendments.kind')}</legend>
        {(['replace', 'insertAfter', 'delete'] as const).map((value) => (
          <label key={value}>
            <input
              type="radio"
              name={`${id}-kind`}
              value={value}
              checked={kind === value}
              onChange={() => {
                setKind(value)
                setWording(value === 'replace' ? [target.initial] : [])
              }}
            />
            {t(`amendments.kinds.${value}`)}
          </label>
        ))}
      </fieldset>
      {kind !== 'delete' && (
        <WordingEditor
          key={kind}
          initial={kind === 'replace' ? [target.initial] : []}
          onChange={setWording}
          label={t(kind === 'replace' ? 'amendments.newWording' : 'amendments.newParagraphs')}
          lang={lang}
        />
      )}
      <div className="preview" aria-live="polite">
        <h3>{t('amendments.asTrackedChange')}</h3>
        {kind === 'insertAfter' ? (
          <TrackedChange before={[]} after={wording} color={color} lang={lang} />
        ) : (
          <TrackedChange before={[target.current]} after={kind === 'delete' ? [] : wording} color={color} lang={lang} />
        )}
      </div>
      <label htmlFor={`${id}-why`}>{t('amendments.justification')}</label>
      <textarea id={`${id}-why`} value={justification} onChange={(event) => setJustification(event.target.value)} required rows={3} />
      <ErrorNote message={error} />
      <div className="actions">
        <button type="submit" className="primary" disabled={busy || (kind !== 'delete' && wording.length === 0)}>
          {t('amendments.table')}
        </button>
        <button type="button" onClick={close}>
          {t('amendments.cancel')}
        </button>
      </div>
    </form>
  )
}
