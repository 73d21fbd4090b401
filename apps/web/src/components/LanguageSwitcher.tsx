import { useId } from 'react'
import { useTranslation } from 'react-i18next'
import { changeLanguage, isUiLanguage, LANGUAGES } from '../i18n/index.ts'

/** Switches the interface language; the resolution text stays in its own language. */
export function LanguageSwitcher() {
  const { t, i18n } = useTranslation()
  const id = useId()
  return (
    <div className="language-switcher">
      <label htmlFor={id}>{t('language.label')}</label>
      <select
        id={id}
        value={i18n.language}
        onChange={(event) => {
          if (isUiLanguage(event.target.value)) void changeLanguage(event.target.value)
        }}
      >
        {LANGUAGES.map((language) => (
          <option key={language.code} value={language.code} lang={language.code}>
            {language.name}
          </option>
        ))}
      </select>
    </div>
  )
}
