import i18next from 'i18next'
import { beforeAll, describe, expect, it } from 'vitest'
import { HttpError } from '../api/http.ts'
import { setupI18n } from './index.ts'
import en from './locales/en.json'
import es from './locales/es.json'
import fr from './locales/fr.json'
import { refusalText } from './refusals.ts'

beforeAll(() => setupI18n('fr'))

/** The codes the account routes refuse with (docs/CONTRACT-CHANGES.md, "Managing accounts"). */
const ACCOUNT_CODES = ['username_taken', 'delegation_required', 'delegation_not_allowed', 'password_too_short', 'password_too_long', 'own_account', 'last_secretariat', 'delegation_exists', 'delegation_in_use']
const CATALOGUES = { en, fr, es } as const

describe('refusals of account management', () => {
  it('are worded by each interface language’s own catalogue, never by the server’s English', async () => {
    for (const [language, catalogue] of Object.entries(CATALOGUES)) {
      await i18next.changeLanguage(language)
      for (const code of ACCOUNT_CODES) {
        const own = (catalogue.errors as Record<string, string | undefined>)[code]
        expect(own, `${language}: errors.${code}`).toBeTypeOf('string')
        expect(refusalText(new HttpError(409, code, 'English from the server.'), i18next.t)).toBe(own)
      }
    }
    await i18next.changeLanguage('fr')
    expect(refusalText(new HttpError(422, 'password_too_short', 'A password has at least 10 characters.'), i18next.t)).toBe('Un mot de passe compte au moins 10 caractères.')
  })
})
