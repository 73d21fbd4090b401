import i18next from 'i18next'
import { initReactI18next } from 'react-i18next'
import en from './locales/en.json'
import es from './locales/es.json'
import fr from './locales/fr.json'

/** The interface speaks the alliance's three languages; the resolution text is never translated. */
export const LANGUAGES = [
  { code: 'en', name: 'English' },
  { code: 'fr', name: 'Français' },
  { code: 'es', name: 'Español' },
] as const
export type UiLanguage = (typeof LANGUAGES)[number]['code']

const STORAGE_KEY = 'hemicycle.language'

export function isUiLanguage(value: unknown): value is UiLanguage {
  return LANGUAGES.some((language) => language.code === value)
}

/** The saved choice, else the browser's first supported language, else English. */
export function initialLanguage(saved: string | null, preferred: readonly string[]): UiLanguage {
  if (isUiLanguage(saved)) return saved
  for (const tag of preferred) {
    const base = tag.slice(0, 2).toLowerCase()
    if (isUiLanguage(base)) return base
  }
  return 'en'
}

export async function setupI18n(language?: UiLanguage) {
  const saved = typeof localStorage === 'undefined' ? null : localStorage.getItem(STORAGE_KEY)
  const lng = language ?? initialLanguage(saved, typeof navigator === 'undefined' ? [] : navigator.languages)
  await i18next.use(initReactI18next).init({
    resources: { en: { translation: en }, fr: { translation: fr }, es: { translation: es } },
    lng,
    fallbackLng: 'en',
    interpolation: { escapeValue: false },
    returnNull: false,
  })
  document.documentElement.lang = lng
  return i18next
}

export async function changeLanguage(language: UiLanguage) {
  await i18next.changeLanguage(language)
  document.documentElement.lang = language
  try {
    localStorage.setItem(STORAGE_KEY, language)
  } catch {
    // Private browsing may refuse storage; the choice then lasts for this page only.
  }
}
