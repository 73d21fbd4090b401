import { type ImportPreview, type ImportWarning, Language } from '@hemicycle/protocol'
import type { TFunction } from 'i18next'
import { type FormEvent, useId, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { endpoints, type TrackedChanges } from '../api/endpoints.ts'
import { refusalText } from '../i18n/refusals.ts'
import { useRouter } from '../stores/router.ts'
import { ErrorNote } from './ErrorNote.tsx'

type Source = 'empty' | 'file'

/**
 * The file as last read (a dry run). `choices`: what the file's pending
 * tracked changes allow, from the first reading; `choice`: the one the
 * preview was read with (null: none yet); `rereading` while the preview is
 * read again for a new choice, as it may differ (paragraphs a tracked change
 * inserts or deletes, the warnings of the text kept).
 */
type Reading =
  | { state: 'none' }
  | { state: 'reading' }
  | { state: 'read'; file: File; preview: ImportPreview; choices: readonly TrackedChanges[] | null; choice: TrackedChanges | null; rereading: boolean }

/** A warning of the import, said in the interface's language from its code and count (the server's sentence is English). */
export function importWarningText(warning: ImportWarning, t: TFunction, choice: TrackedChanges | null = null): string {
  // Tracked changes read with a choice were accepted or rejected as asked: not "neither accepted nor rejected".
  const context = warning.code === 'tracked_changes' && choice ? { context: choice } : {}
  return t(`newResolution.warning.${warning.code}`, { count: warning.count, defaultValue: '', ...context }) || t('newResolution.warning.other', { count: warning.count, code: warning.code })
}

/**
 * The secretariat creates a resolution: an empty draft to write in the editor,
 * or a Markdown or Word file read first (a dry run) so that what the text
 * cannot keep is said before anything is created.
 */
export function NewResolutionPage() {
  const { t } = useTranslation()
  const id = useId()
  const navigate = useRouter((state) => state.navigate)
  const [source, setSource] = useState<Source>('file')
  const [title, setTitle] = useState('')
  const [language, setLanguage] = useState<Language>('fr')
  const [event, setEvent] = useState('')
  const [reading, setReading] = useState<Reading>({ state: 'none' })
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  /** The latest reading asked for: an earlier one answering later is dropped (a choice changed twice quickly). */
  const latestRead = useRef(0)

  /** A new file: read without a choice; the title and language come from it. */
  async function read(file: File | undefined) {
    setError(null)
    const asked = ++latestRead.current
    if (!file) {
      setReading({ state: 'none' })
      return
    }
    setReading({ state: 'reading' })
    try {
      const preview = await endpoints.previewImport(file)
      if (asked !== latestRead.current) return
      const choices = preview.warnings.find((warning) => warning.choices && warning.choices.length > 0)?.choices ?? null
      setReading({ state: 'read', file, preview, choices, choice: null, rereading: false })
      setTitle(preview.title)
      const parsed = Language.safeParse(preview.language)
      if (parsed.success) setLanguage(parsed.data)
    } catch (failure) {
      if (asked !== latestRead.current) return
      setReading({ state: 'none' })
      setError(refusalText(failure, t))
    }
  }

  /** A choice for the tracked changes: the preview is read again with it, keeping the title and language as edited. */
  async function choose(choice: TrackedChanges) {
    if (reading.state !== 'read') return
    setError(null)
    const asked = ++latestRead.current
    const { file, choices } = reading
    setReading({ ...reading, choice, rereading: true })
    try {
      const preview = await endpoints.previewImport(file, choice)
      if (asked === latestRead.current) setReading({ state: 'read', file, preview, choices, choice, rereading: false })
    } catch (failure) {
      if (asked !== latestRead.current) return
      setReading({ state: 'read', file, preview: reading.preview, choices, choice: null, rereading: false })
      setError(refusalText(failure, t))
    }
  }

  async function submit(submitted: FormEvent) {
    submitted.preventDefault()
    setError(null)
    setBusy(true)
    try {
      const created =
        source === 'empty'
          ? await endpoints.createResolution({ title, language, ...(event.trim() ? { event } : {}) })
          : reading.state === 'read'
            ? await endpoints.importResolution(reading.file, { title, language }, reading.choice ?? undefined)
            : null
      if (created) navigate({ page: 'resolution', id: created.id })
    } catch (failure) {
      setError(refusalText(failure, t))
    } finally {
      setBusy(false)
    }
  }

  // Created only from the preview shown: read with the choice made, if the file asks for one.
  const ready = title.trim().length > 0 && (source === 'empty' || (reading.state === 'read' && !reading.rereading && (!reading.choices || reading.choice !== null)))

  return (
    <main id="main" className="new-resolution">
      <h1>{t('newResolution.title')}</h1>
      <form onSubmit={submit} aria-label={t('newResolution.title')}>
        <fieldset>
          <legend>{t('newResolution.source')}</legend>
          <label>
            <input type="radio" name={`${id}-source`} checked={source === 'file'} onChange={() => setSource('file')} /> {t('newResolution.fromFile')}
          </label>
          <label>
            <input type="radio" name={`${id}-source`} checked={source === 'empty'} onChange={() => setSource('empty')} /> {t('newResolution.empty')}
          </label>
        </fieldset>

        {source === 'file' && (
          <div className="import-file">
            <label htmlFor={`${id}-file`}>{t('newResolution.file')}</label>
            <input
              id={`${id}-file`}
              type="file"
              accept=".md,.markdown,.docx,text/markdown,application/vnd.openxmlformats-officedocument.wordprocessingml.document"
              onChange={(changed) => void read(changed.target.files?.[0])}
            />
            {reading.state === 'reading' && <p aria-busy="true">{t('newResolution.reading')}</p>}
            {reading.state === 'read' && (
              <section className="import-preview" aria-label={t('newResolution.preview')} aria-busy={reading.rereading} data-testid="import-preview">
                <p>{t('newResolution.size', { count: reading.preview.paragraphs, lines: t('newResolution.lines', { count: reading.preview.lines }) })}</p>
                {reading.preview.warnings.length === 0 ? (
                  <p>{t('newResolution.nothingLost')}</p>
                ) : (
                  <>
                    <p>{t('newResolution.warningsIntro')}</p>
                    <ul className="import-warnings" data-testid="import-warnings">
                      {reading.preview.warnings.map((warning) => (
                        <li key={warning.code}>{importWarningText(warning, t, reading.choice)}</li>
                      ))}
                    </ul>
                  </>
                )}
                {reading.choices && (
                  <fieldset>
                    <legend>{t('newResolution.trackedChanges')}</legend>
                    {reading.choices.map((choice) => (
                      <label key={choice}>
                        <input type="radio" name={`${id}-tracked`} checked={reading.choice === choice} onChange={() => void choose(choice)} />{' '}
                        {t(`newResolution.tracked.${choice}`)}
                      </label>
                    ))}
                  </fieldset>
                )}
              </section>
            )}
          </div>
        )}

        <div className="inline-form">
          <label htmlFor={`${id}-title`}>{t('newResolution.name')}</label>
          <input id={`${id}-title`} value={title} onChange={(changed) => setTitle(changed.target.value)} required maxLength={500} />
          <label htmlFor={`${id}-language`}>{t('newResolution.language')}</label>
          <select id={`${id}-language`} value={language} onChange={(changed) => setLanguage(changed.target.value as Language)}>
            {Language.options.map((option) => (
              <option key={option} value={option}>
                {t(`translations.languageName.${option}`)}
              </option>
            ))}
          </select>
          {source === 'empty' && (
            <>
              <label htmlFor={`${id}-event`}>{t('newResolution.event')}</label>
              <input id={`${id}-event`} value={event} onChange={(changed) => setEvent(changed.target.value)} maxLength={500} />
            </>
          )}
        </div>
        <ErrorNote message={error} />
        <button type="submit" disabled={!ready || busy}>
          {t('newResolution.create')}
        </button>
      </form>
    </main>
  )
}
