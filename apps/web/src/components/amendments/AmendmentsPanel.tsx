import { type Amendment, type AmendmentStatus, AmendmentStatus as Statuses, type BulkAcceptance, type Language, type Person, type TranslationBlock } from '@hemicycle/protocol'
import { rebase, type Run } from '@hemicycle/amendments'
import { candidateOf } from '@hemicycle/documents'
import { checkAmendmentAction } from '@hemicycle/rules'
import { useEffect, useId, useMemo, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useStore } from 'zustand'
import { endpoints } from '../../api/endpoints.ts'
import type { Room } from '../../editor/room.ts'
import { useAmendmentsAsTextStands } from './useAmendmentsAsTextStands.ts'
import type * as Y from 'yjs'
import { type FrozenNumbering, LINE_WIDTH, numberBlocks, readBody } from '@hemicycle/schema'
import { useDocumentChanges } from '../../editor/useDocumentChanges.ts'
import { citationOf, currentRuns } from './amendmentTarget.ts'
import { type PanelPlace, panelPlaces } from './panelPlaces.ts'
import { AmendmentCard } from './AmendmentCard.tsx'
import { CompromiseComposer } from './CompromiseComposer.tsx'
import { TrackedChange } from './TrackedChange.tsx'
import type { AmendmentTarget } from './ProposeAmendment.tsx'
import { ErrorNote } from '../ErrorNote.tsx'
import { refusalText } from '../../i18n/refusals.ts'
import { useNowAround } from '../useNowAround.ts'
import { useSelection } from './useSelection.ts'

interface Props {
  room: Room
  me: Person
  lang: string
  /** The current wording of a block, for composing a compromise and showing rebased changes. */
  blockText: (blockId: string) => AmendmentTarget | null
  /** The live text once loaded, against which the amendments are read as it changes. */
  doc: Y.Doc | null
  /** The § and line numbers in force (`useNumbering`): undefined until known. */
  numbering: FrozenNumbering | null | undefined
  /** The block whose amendments were asked for from its margin badge; null for all. */
  shownBlock?: string | null
  onShowAll?: () => void
}

/** Every amendment, filterable by paragraph, delegation and status, with the chair's bulk actions. */
export function AmendmentsPanel({ room, me, lang, blockText, doc, numbering, shownBlock = null, onShowAll }: Props) {
  const { t } = useTranslation()
  const id = useId()
  const amendments = useAmendmentsAsTextStands(room, doc)
  const resolution = useStore(room.store, (state) => state.resolution)
  const now = useNowAround(resolution.deadline)
  const [status, setStatus] = useState<AmendmentStatus | ''>('')
  const [delegation, setDelegation] = useState('')
  const [paragraph, setParagraph] = useState('')
  const { selected, tick, clear } = useSelection()
  const [composing, setComposing] = useState(false)
  const [report, setReport] = useState<string | null>(null)
  const [preview, setPreview] = useState<BulkAcceptance | null>(null)
  const section = useRef<HTMLElement>(null)
  useEffect(() => {
    if (shownBlock) section.current?.scrollIntoView({ block: 'start' })
  }, [shownBlock])
  const [error, setError] = useState<string | null>(null)
  const [versions, setVersions] = useState<Language[]>([])
  const [beside, setBeside] = useState<Language | ''>('')
  const [besideBlocks, setBesideBlocks] = useState<ReadonlyMap<string, TranslationBlock>>(new Map())
  const announced = useStore(room.store, (state) => state.translations)

  useEffect(() => {
    let current = true
    endpoints.languages(resolution.id).then(
      (list) => {
        if (current) setVersions(list.filter((entry) => !entry.original).map((entry) => entry.language))
      },
      () => {},
    )
    return () => {
      current = false
    }
  }, [resolution.id, resolution.stage])

  // The chosen version's paragraphs, read again whenever one of its statuses is announced (its text or its source changed).
  useEffect(() => {
    if (!beside) return
    let current = true
    endpoints.translationBlocks(resolution.id, beside).then(
      (list) => {
        if (current) setBesideBlocks(new Map(list.map((block) => [block.sourceId, block])))
      },
      () => {},
    )
    return () => {
      current = false
    }
  }, [resolution.id, beside, announced])

  const byId = useMemo(() => new Map(amendments.map((amendment) => [amendment.id, amendment])), [amendments])
  const delegations = [...new Map(amendments.flatMap((a) => (a.delegation ? [[a.delegation.id, a.delegation] as const] : []))).values()]
  const changes = useDocumentChanges(doc)
  const blocks = useMemo(
    () => (doc && numbering !== undefined ? numberBlocks(readBody(doc), LINE_WIDTH, numbering) : null),
    // `changes` is what tells the text moved on.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [doc, numbering, changes],
  )
  const { amendments: inOrder, places, placeOf, blockOf } = useMemo(() => panelPlaces(amendments, blocks), [amendments, blocks])
  // Read once per change of the text for every card, not through `blockText`, which numbers the whole text per call.
  const currentOf = (blockId: string | null) => (doc && blockId ? currentRuns(doc, blockId) : null)
  const citationNow = (blockId: string | null) => {
    const block = blockId ? blockOf(blockId) : undefined
    return block ? citationOf(block, t) : undefined
  }
  const shown = inOrder
    .filter((a) => !shownBlock || a.blockId === shownBlock)
    .filter((a) => (!status || a.status === status) && (!delegation || a.delegation?.id === delegation) && (!paragraph || placeOf(a) === paragraph))
  const placeName = (place: PanelPlace) => (place.kind === 'block' ? citationOf(place.block, t) : t(`desk.${place.kind}`))
  const deadline = resolution.deadline ? new Date(resolution.deadline) : null
  const mayDecide = checkAmendmentAction('decide', me, { stage: resolution.stage, deadline, now }) === null
  const chosen = [...selected].map((key) => byId.get(key)).filter((a): a is Amendment => a?.status === 'tabled')
  const sameBlock = chosen.length >= 2 && new Set(chosen.map((a) => a.blockId)).size === 1 && chosen.every((a) => a.kind !== 'insertAfter')
  const target = sameBlock && chosen[0]!.blockId ? blockText(chosen[0]!.blockId) : null

  async function previewAll() {
    setError(null)
    setReport(null)
    try {
      setPreview(await endpoints.acceptNonColliding(resolution.id, true))
    } catch (failure) {
      setError(refusalText(failure, t))
    }
  }

  async function acceptAll(shown: BulkAcceptance) {
    setError(null)
    setPreview(null)
    try {
      // Those shown, and no other: what became acceptable since the preview was not shown.
      const result: BulkAcceptance = await endpoints.acceptNonColliding(resolution.id, false, shown.accepted)
      const number = (key: string) => byId.get(key)?.number ?? key
      setReport(
        t('amendments.bulkReport', {
          accepted: result.accepted.map(number).join(', ') || '—',
          skipped: result.skipped.map((skip) => `${number(skip.id)} (${t(`amendments.skip.${skip.reason}`)})`).join(', ') || '—',
        }),
      )
      await room.refresh()
    } catch (failure) {
      setError(refusalText(failure, t))
    }
  }

  return (
    <section className="amendments-panel" ref={section} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>
        {t('amendments.title')} <span className="count">({amendments.length})</span>
      </h2>
      {shownBlock && (
        <p className="shown-block" data-testid="shown-block">
          {t('amendments.onlyParagraph', { citation: citationNow(shownBlock) ?? '' })}{' '}
          <button type="button" onClick={onShowAll}>
            {t('amendments.showAll')}
          </button>
        </p>
      )}
      <div className="filters">
        <label>
          {t('amendments.filterParagraph')}
          <select value={paragraph} onChange={(event) => setParagraph(event.target.value)}>
            <option value="">{t('amendments.all')}</option>
            {places.map((place) => (
              <option key={place.key} value={place.key}>
                {placeName(place)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('amendments.filterDelegation')}
          <select value={delegation} onChange={(event) => setDelegation(event.target.value)}>
            <option value="">{t('amendments.all')}</option>
            {delegations.map((value) => (
              <option key={value.id} value={value.id}>
                {value.party}
              </option>
            ))}
          </select>
        </label>
        {versions.length > 0 && (
          <label>
            {t('amendments.beside')}
            <select value={beside} onChange={(event) => {
                setBesideBlocks(new Map())
                setBeside(event.target.value as Language | '')
              }}
            >
              <option value="">{t('amendments.besideNone')}</option>
              {versions.map((language) => (
                <option key={language} value={language}>
                  {t(`translations.languageName.${language}`)}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          {t('amendments.filterStatus')}
          <select value={status} onChange={(event) => setStatus(event.target.value as AmendmentStatus | '')}>
            <option value="">{t('amendments.all')}</option>
            {Statuses.options.map((value) => (
              <option key={value} value={value}>
                {t(`amendments.status.${value}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      {mayDecide && (
        <div className="bulk">
          <button type="button" onClick={() => (preview ? setPreview(null) : void previewAll())} aria-expanded={preview !== null}>
            {t('amendments.acceptNonColliding')}…
          </button>
          <button type="button" disabled={!sameBlock} onClick={() => setComposing(!composing)} aria-expanded={composing}>
            {t('amendments.composeCompromise', { count: chosen.length })}
          </button>
        </div>
      )}
      {preview && (
        <div className="inline-form bulk-preview" data-testid="bulk-preview">
          <p>{t('amendments.bulkPreview', { count: preview.accepted.length })}</p>
          <ul>
            {preview.accepted.map((key) => byId.get(key)).filter((a): a is Amendment => a !== undefined).map((amendment) => (
              <li key={amendment.id}>
                <strong>{amendment.label}</strong>{' '}
                <BulkChange amendment={amendment} all={amendments} current={amendment.blockId === null ? null : currentOf(amendment.blockId)} lang={lang} />
              </li>
            ))}
          </ul>
          {preview.skipped.length > 0 && (
            <p>
              {t('amendments.bulkSkipped', {
                list: preview.skipped.map((skip) => `${byId.get(skip.id)?.number ?? skip.id} (${t(`amendments.skip.${skip.reason}`)})`).join(', '),
              })}
            </p>
          )}
          <button type="button" className="primary" disabled={preview.accepted.length === 0} onClick={() => void acceptAll(preview)}>
            {t('amendments.confirmBulk', { count: preview.accepted.length })}
          </button>
          <button type="button" onClick={() => setPreview(null)}>
            {t('amendments.cancel')}
          </button>
        </div>
      )}
      {composing && target && (
        <CompromiseComposer
          room={room}
          lang={lang}
          chosen={chosen}
          target={target}
          onTabled={() => {
            clear()
            setComposing(false)
          }}
        />
      )}
      {report && (
        <p role="status" className="report">
          {report}
        </p>
      )}
      <ErrorNote message={error} />
      {shown.length === 0 && <p className="empty">{t('amendments.none')}</p>}
      <div className="amendment-list">
        {shown.map((amendment) => (
          <AmendmentCard
            key={amendment.id}
            amendment={amendment}
            current={currentOf(amendment.blockId)}
            doc={doc}
            citationNow={citationNow(amendment.blockId)}
            byId={byId}
            room={room}
            me={me}
            lang={lang}
            now={now}
            beside={beside && amendment.blockId && besideBlocks.has(amendment.blockId) ? { language: beside, block: besideBlocks.get(amendment.blockId)! } : null}
            selected={selected.has(amendment.id)}
            onSelect={
              mayDecide && amendment.status === 'tabled'
                ? (checked) => tick(amendment.id, checked)
                : undefined
            }
          />
        ))}
      </div>
    </section>
  )
}

/**
 * What accepting one amendment of a bulk acceptance does to its paragraph as it stands: its change brought up to the
 * paragraph (`rebase`), as the acceptance makes it. Its wording set against today's paragraph showed words others wrote
 * since as struck by it, which the acceptance kept.
 */
function BulkChange({ amendment, all, current, lang }: { amendment: Amendment; all: readonly Amendment[]; current: Run[] | null; lang: string }) {
  const before = amendment.kind === 'insertAfter' ? [] : [current ?? amendment.baseWording]
  const brought = rebase(candidateOf(amendment, all), current)
  const after = amendment.kind === 'delete' ? [] : brought.state === 'clean' ? brought.wording : amendment.wording
  return <TrackedChange before={before} after={after} color="#1d4ed8" lang={lang} />
}
