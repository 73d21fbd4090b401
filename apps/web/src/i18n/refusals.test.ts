import i18next from 'i18next'
import { beforeAll, describe, expect, it } from 'vitest'
import { HttpError } from '../api/http.ts'
import { setupI18n } from './index.ts'
import { refusalText } from './refusals.ts'

beforeAll(() => setupI18n('fr'))

describe('refusals', () => {
  it('of a Word import say, in each language, why the file could not be read now', async () => {
    const expected = {
      fr: ['Le fichier n’a pas pu être lu : sa lecture prend trop de temps', 'Plusieurs fichiers Word sont déjà en cours de lecture'],
      en: ['The file could not be read: it takes too long', 'Several Word files are being read already'],
      es: ['No se pudo leer el archivo: su lectura requiere demasiado tiempo', 'Ya se están leyendo varios archivos de Word'],
    }
    for (const [language, [complex, busy]] of Object.entries(expected)) {
      await i18next.changeLanguage(language)
      expect(refusalText(new HttpError(422, 'too_complex', '"a.docx" could not be read.'), i18next.t)).toContain(complex)
      expect(refusalText(new HttpError(503, 'import_busy', 'Several Word files are being read already.'), i18next.t)).toContain(busy)
    }
    await i18next.changeLanguage('fr')
  })

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

  it('name the outstanding translations of a refused lock, per language, in the interface’s language', async () => {
    const outstanding = [
      { language: 'es', sourceId: 'b1', paragraph: 1, status: 'due' },
      { language: 'es', sourceId: 'b0', paragraph: 0, status: 'missing' },
      { language: 'es', sourceId: 'b2', paragraph: 2, status: 'missing' },
    ]
    const refusal = new HttpError(409, 'translations_due', 'Translations are due or missing in es (3 blocks: §1, §2).', { outstanding })
    await i18next.changeLanguage('fr')
    expect(refusalText(refusal, i18next.t)).toMatch(/^Des traductions sont à revoir ou manquantes en espagnol \(3 blocs : §1, §2\)\./)
    await i18next.changeLanguage('en')
    expect(refusalText(refusal, i18next.t)).toMatch(/^Translations are due or missing in Spanish \(3 blocks: §1, §2\)\./)
  })
})
