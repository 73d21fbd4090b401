import { type ImportPreview, type ImportWarning, Language } from '@hemicycle/protocol'
import type { TFunction } from 'i18next'
import { type FormEvent, useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { endpoints, type TrackedChanges } from '../api/endpoints.ts'
import { refusalText } from '../i18n/refusals.ts'
import { useRouter } from '../stores/router.ts'
import { ErrorNote } from './ErrorNote.tsx'

type Source = 'empty' | 'file'

type Reading = { state: 'none' } | { state: 'reading' } | { state: 'read'; file: File; preview: ImportPreview }

/** A warning of the import, said in the interface's language from its code and count (the server's sentence is English). */
export function importWarningText(warning: ImportWarning, t: TFunction): string {
  return t(`newResolution.warning.${warning.code}`, { count: warning.count, defaultValue: '' }) || t('newResolution.warning.other', { count: warning.count, code: warning.code })
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
  const [trackedChanges, setTrackedChanges] = useState<TrackedChanges | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  const pending = reading.state === 'read' ? reading.preview.warnings.find((warning) => warning.choices && warning.choices.length > 0) : undefined

  async function read(file: File | undefined, choice: TrackedChanges | null) {
    setError(null)
    if (!file) {
      setReading({ state: 'none' })
      return
    }
    setReading({ state: 'reading' })
    try {
      const preview = await endpoints.previewImport(file, choice ?? undefined)
      setReading({ state: 'read', file, preview })
      setTitle(preview.title)
      const parsed = Language.safeParse(preview.language)
      if (parsed.success) setLanguage(parsed.data)
    } catch (failure) {
      setReading({ state: 'none' })
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
            ? await endpoints.importResolution(reading.file, { title, language }, trackedChanges ?? undefined)
            : null
      if (created) navigate({ page: 'resolution', id: created.id })
    } catch (failure) {
      setError(refusalText(failure, t))
    } finally {
      setBusy(false)
    }
  }

  const ready = title.trim().length > 0 && (source === 'empty' || (reading.state === 'read' && (!pending || trackedChanges !== null)))

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
              onChange={(changed) => {
                setTrackedChanges(null)
                void read(changed.target.files?.[0], null)
              }}
            />
            {reading.state === 'reading' && <p aria-busy="true">{t('newResolution.reading')}</p>}
            {reading.state === 'read' && (
              <section className="import-preview" aria-label={t('newResolution.preview')} data-testid="import-preview">
                <p>{t('newResolution.size', { paragraphs: reading.preview.paragraphs, lines: reading.preview.lines })}</p>
                {reading.preview.warnings.length === 0 ? (
                  <p>{t('newResolution.nothingLost')}</p>
                ) : (
                  <>
                    <p>{t('newResolution.warningsIntro')}</p>
                    <ul className="import-warnings" data-testid="import-warnings">
                      {reading.preview.warnings.map((warning) => (
                        <li key={warning.code}>{importWarningText(warning, t)}</li>
                      ))}
                    </ul>
                  </>
                )}
                {pending && (
                  <fieldset>
                    <legend>{t('newResolution.trackedChanges')}</legend>
                    {(pending.choices ?? []).map((choice) => (
                      <label key={choice}>
                        <input type="radio" name={`${id}-tracked`} checked={trackedChanges === choice} onChange={() => setTrackedChanges(choice)} />{' '}
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
