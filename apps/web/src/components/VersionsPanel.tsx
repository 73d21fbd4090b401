import type { TFunction } from 'i18next'
import { type Person, type Redline, Stage } from '@hemicycle/protocol'
import { useEffect, useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useStore } from 'zustand'
import { endpoints, type Version } from '../api/endpoints.ts'
import type { Room } from '../editor/room.ts'
import { formatWhen } from '../format.ts'
import { ErrorNote } from './ErrorNote.tsx'
import { refusalText } from '../i18n/refusals.ts'

/** The saved versions (one per stage change, and on demand), and any two, or one and the text as it stands, compared as a redline with who made each change. */
const STAGES = new Set<string>(Stage.options)

/** A run's words as they are formatted: a word only made bold shows as a change, struck plain and inserted bold. */
function formatted(run: { text: string; bold?: boolean; italic?: boolean }): React.ReactNode {
  let node: React.ReactNode = run.text
  if (run.italic) node = <em>{node}</em>
  if (run.bold) node = <strong>{node}</strong>
  return node
}

/** The labels the server writes for its own versions, in the interface's language; a label someone typed is shown as typed. */
export function versionLabel(label: string, t: TFunction): string {
  if (label === 'imported') return t('versions.imported')
  if (label === 'created') return t('versions.created')
  if (label === 'saved by the secretariat') return t('versions.saved')
  const move = /^(\w+) → (\w+)$/.exec(label)
  if (move && STAGES.has(move[1]!) && STAGES.has(move[2]!)) return t('versions.moved', { from: t(`stage.${move[1]}`), to: t(`stage.${move[2]}`) })
  return label
}

export function VersionsPanel({ room, me }: { room: Room; me: Person }) {
  const { t, i18n } = useTranslation()
  const id = useId()
  const resolution = useStore(room.store, (state) => state.resolution)
  const [versions, setVersions] = useState<Version[]>([])
  const [from, setFrom] = useState(1)
  const [to, setTo] = useState<number | 'current' | null>(null)
  const [label, setLabel] = useState('')
  /** The redline shown, with the two versions it compares: what its downloads give, whatever the lists say since. */
  const [shown, setShown] = useState<{ redline: Redline; from: number; to: number | 'current' } | null>(null)
  const redline = shown?.redline ?? null
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    let current = true
    endpoints.versions(resolution.id).then(
      (list) => {
        if (!current) return
        setVersions(list)
        setTo((previous) => previous ?? list.at(-1)?.id ?? 1)
      },
      () => {},
    )
    return () => {
      current = false
    }
  }, [resolution.id, resolution.stage])

  const fail = (failure: unknown) => setError(refusalText(failure, t))

  async function save() {
    try {
      const saved = await endpoints.saveVersion(resolution.id, label)
      setVersions((list) => [...list, saved])
      setTo(saved.id)
      setLabel('')
    } catch (failure) {
      fail(failure)
    }
  }

  async function compare() {
    if (to === null) return
    setError(null)
    try {
      setShown({ redline: await endpoints.redline(resolution.id, from, to), from, to })
    } catch (failure) {
      fail(failure)
    }
  }

  const option = (version: Version) => (
    <option key={version.id} value={version.id}>
      {version.id} · {versionLabel(version.label, t)} · {formatWhen(version.createdAt, i18n.language)}
    </option>
  )
  const base = `/api/resolutions/${encodeURIComponent(resolution.id)}/redline`
  return (
    <section className="versions-panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('versions.title')}</h2>
      {me.role === 'secretariat' && (
        <div className="inline-form">
          <label htmlFor={`${id}-label`}>{t('versions.label')}</label>
          <input id={`${id}-label`} value={label} onChange={(event) => setLabel(event.target.value)} />
          <button type="button" onClick={() => void save()}>
            {t('versions.save')}
          </button>
        </div>
      )}
      <div className="compare">
        <label>
          {t('versions.from')}
          <select value={from} onChange={(event) => setFrom(Number(event.target.value))}>
            {versions.map(option)}
          </select>
        </label>
        <label>
          {t('versions.to')}
          <select value={to ?? ''} onChange={(event) => setTo(event.target.value === 'current' ? 'current' : Number(event.target.value))}>
            {versions.map(option)}
            <option value="current">{t('versions.current')}</option>
          </select>
        </label>
        <button type="button" onClick={() => void compare()} disabled={to === null}>
          {t('versions.compare')}
        </button>
      </div>
      <ErrorNote message={error} />
      {redline && (
        <div className="redline" lang={resolution.language} data-testid="redline">
          <p className="redline-sides">
            {redline.from}
            <br />→ {redline.to}
          </p>
          <p className="downloads">
            <a href={`${base}.docx?from=${shown?.from}&to=${shown?.to}`}>{t('print.docx')}</a> · <a href={`${base}.pdf?from=${shown?.from}&to=${shown?.to}`}>{t('print.pdf')}</a>
          </p>
          {redline.blocks
            .filter((block) => block.status !== 'equal')
            .map((block, index) => (
              <div key={index} className={`redline-block ${block.status}`}>
                {block.number !== null && <span className="printed-number">§{block.number}</span>}
                {block.runs.map((run, at) => {
                  if (run.change === 'equal') return <span key={at}>{formatted(run)}</span>
                  const who = run.authors.join(' ; ')
                  const Tag = run.change === 'insert' ? 'ins' : 'del'
                  return (
                    <span key={at} className="redline-change">
                      <Tag title={who}>{formatted(run)}</Tag>
                      <span className="redline-author">[{who}]</span>
                    </span>
                  )
                })}
              </div>
            ))}
          {redline.blocks.every((block) => block.status === 'equal') && <p>{t('versions.noChange')}</p>}
        </div>
      )}
    </section>
  )
}
