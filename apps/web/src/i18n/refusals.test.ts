import i18next from 'i18next'
import { beforeAll, describe, expect, it } from 'vitest'
import { HttpError } from '../api/http.ts'
import { setupI18n } from './index.ts'
import { refusalText } from './refusals.ts'

beforeAll(() => setupI18n('fr'))

describe('refusals', () => {
  it('are worded from the error code in the interface’s language, never with the server’s English message', async () => {
    const refusal = new HttpError(409, 'deadline_passed', 'The deadline for amendments has passed.')
    await i18next.changeLanguage('fr')
    expect(refusalText(refusal, i18next.t)).toBe('La date limite de dépôt des amendements est passée.')
    expect(refusalText(new HttpError(0, 'unreachable', 'The server cannot be reached.'), i18next.t)).toMatch(/^Le serveur est injoignable/)
    expect(refusalText(new HttpError(401, 'unauthorized', 'Log in first.'), i18next.t)).toBe('Votre session a pris fin : reconnectez-vous.')
    expect(refusalText(new HttpError(409, 'something_new', 'Something new went wrong.'), i18next.t)).toBe('Le serveur a refusé (code something_new).')
    expect(refusalText(new HttpError(502, 'error', 'The server answered 502.'), i18next.t)).toBe('Le serveur a refusé (code 502).')
    expect(refusalText(new TypeError('x is undefined'), i18next.t)).toMatch(/rechargez-la/)
    await i18next.changeLanguage('es')
    expect(refusalText(refusal, i18next.t)).toBe('El plazo de presentación de enmiendas ha vencido.')
    await i18next.changeLanguage('en')
    expect(refusalText(refusal, i18next.t)).toBe('The deadline for amendments has passed.')
  })
})
