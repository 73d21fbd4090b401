import { type Language, type LanguageEntry, Language as Languages, type Person } from '@hemicycle/protocol'
import { checkVersionCreation } from '@hemicycle/rules'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useStore } from 'zustand'
import { endpoints } from '../../api/endpoints.ts'
import { refusalText } from '../../i18n/refusals.ts'
import type { Room } from '../../editor/room.ts'
import { ErrorNote } from '../ErrorNote.tsx'
import { AppLink } from '../AppLink.tsx'

/**
 * The resolution's language versions: how far each is translated, a link to
 * each side by side with the original, and for the secretariat the versions
 * it may still add. Amendments are tabled against the original's wording.
 */
export function LanguageVersions({ room, me }: { room: Room; me: Person }) {
  const { t } = useTranslation()
  const resolution = useStore(room.store, (state) => state.resolution)
  const announced = useStore(room.store, (state) => state.translations)
  const [entries, setEntries] = useState<LanguageEntry[]>([])
  const [error, setError] = useState<unknown>(null)

  useEffect(() => {
    let current = true
    endpoints.languages(resolution.id).then(
      (list) => {
        if (current) setEntries(list)
      },
      () => {},
    )
    return () => {
      current = false
    }
  }, [resolution.id, resolution.stage, announced])

  const mayAdd = checkVersionCreation(resolution.stage, me.role) === null
  const addable = Languages.options.filter((language) => !entries.some((entry) => entry.language === language))
  const name = (language: Language) => t(`translations.languageName.${language}`)

  async function add(language: Language) {
    setError(null)
    try {
      const added = await endpoints.addLanguage(resolution.id, language)
      setEntries((list) => [...list.filter((entry) => entry.language !== language), added])
    } catch (failure) {
      setError(failure)
    }
  }

  return (
    <section className="panel language-versions" aria-labelledby="language-versions-heading">
      <h2 id="language-versions-heading">{t('translations.heading')}</h2>
      <p className="note">{t('translations.amendOriginal', { language: name(resolution.language) })}</p>
      <ul>
        {entries.map((entry) => (
          <li key={entry.language} data-language={entry.language}>
            {entry.original ? (
              <span>
                {name(entry.language)} ({t('translations.original')})
              </span>
            ) : (
              <>
                <AppLink to={{ page: 'translation', id: resolution.id, language: entry.language }}>
                  {t('translations.open', { language: name(entry.language) })}
                </AppLink>{' '}
                <span className="counts" data-testid={`counts-${entry.language}`}>
                  {t('translations.counts', { ...entry.counts, missing: t('translations.missing', { count: entry.counts.missing }) })}
                </span>
              </>
            )}
          </li>
        ))}
      </ul>
      {mayAdd &&
        entries.length > 0 &&
        addable.map((language) => (
          <button type="button" key={language} onClick={() => void add(language)}>
            {t('translations.add', { language: name(language) })}
          </button>
        ))}
      <ErrorNote message={error === null ? null : refusalText(error, t)} />
    </section>
  )
}
