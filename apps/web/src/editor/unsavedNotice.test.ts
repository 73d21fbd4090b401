import i18next from 'i18next'
import { beforeAll, describe, expect, it } from 'vitest'
import { setupI18n } from '../i18n/index.ts'
import { type UnsavedPlace, unsavedNoticeKey } from './unsavedNotice.ts'

const places: UnsavedPlace[] = ['paragraph', 'newParagraph', 'deletion', 'translation']

beforeAll(async () => {
  await setupI18n('en')
})

describe('the notice for words the server does not hold', () => {
  it('says, wherever they were shown, in every language, that others’ words were lost in a cut, never that the server refused them', () => {
    for (const language of ['en', 'fr', 'es']) {
      const t = i18next.getFixedT(language)
      for (const place of places) {
        const [rights, refused, lost] = (['rights', 'refused', 'lost'] as const).map((because) => unsavedNoticeKey(place, because))
        for (const key of [rights!, refused!, lost!]) expect(i18next.exists(key, { lng: language }), `${language}: ${key}`).toBe(true)
        expect(new Set([rights, refused, lost]).size).toBe(3)
        const text = t(lost!, { citation: '§ 3' })
        expect(text, `${language}: ${place}`).not.toMatch(/refus|rechaz/i)
        expect(text, `${language}: ${place}`).toMatch({ en: /connection cut lost/, fr: /une coupure l/, es: /un corte l/ }[language]!)
      }
    }
  })
})
