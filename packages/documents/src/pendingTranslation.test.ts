import { describe, expect, it } from 'vitest'
import { pendingNote } from './pendingTranslation.ts'

describe('the note on a translation that is outstanding', () => {
  it('cites the original’s § the block belongs to, in the version’s language, bracketed', () => {
    const due = { pending: 'due', kind: 'paragraph', section: '5' } as const
    const missing = { ...due, pending: 'missing' } as const
    expect(pendingNote(due, 'en')).toBe('[Translation pending: this paragraph has not been confirmed against §5 of the original as it now reads.]')
    expect(pendingNote(missing, 'en')).toBe('[Not translated: see §5 of the original.]')
    expect(pendingNote(due, 'fr')).toBe('[Traduction en attente\u00a0: ce paragraphe n’a pas été confirmé au regard du §5 de l’original dans sa rédaction actuelle.]')
    expect(pendingNote(missing, 'fr')).toBe('[Non traduit\u00a0: voir le §5 de l’original.]')
    expect(pendingNote(due, 'es')).toBe('[Traducción pendiente: este párrafo no se ha confirmado con respecto al §5 del original en su redacción actual.]')
    expect(pendingNote(missing, 'es')).toBe('[Sin traducir: véase el §5 del original.]')
    // A paragraph added after §5 while numbers are frozen.
    expect(pendingNote({ ...missing, section: '5a' }, 'en')).toBe('[Not translated: see §5a of the original.]')
  })

  it('cites no § for a heading or a block before §1 (it belongs to none), and notes nothing on a current block', () => {
    expect(pendingNote({ pending: 'due', kind: 'heading', section: '4' }, 'en')).toBe('[Translation pending: this passage has not been confirmed against the original as it now reads.]')
    expect(pendingNote({ pending: 'missing', kind: 'paragraph', section: '0' }, 'es')).toBe('[Sin traducir: véase el original.]')
    expect(pendingNote({ pending: null, kind: 'paragraph', section: '2' }, 'fr')).toBeNull()
  })
})
