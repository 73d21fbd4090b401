import { presenceOf } from '@hemicycle/protocol'
import type { i18n as I18n } from 'i18next'
import { beforeAll, describe, expect, it } from 'vitest'
import { setupI18n } from '../i18n/index.ts'
import { presenceDelegation } from './presenceLabel.ts'

let i18n: I18n
beforeAll(async () => {
  i18n = await setupI18n('fr')
})

describe('a delegation in the presence list and on carets', () => {
  it('names the country in the interface’s language, the party as it is', () => {
    const presence = presenceOf({ id: 'p', username: 'ingrid', name: 'Ingrid', role: 'chair', delegation: { id: 'se-ap', party: 'Arbetarpartiet', country: 'Sweden' } })
    expect(presenceDelegation(presence, i18n.getFixedT('fr'), 'fr')).toBe('Arbetarpartiet (Suède)')
    expect(presenceDelegation(presence, i18n.getFixedT('es'), 'es')).toBe('Arbetarpartiet (Suecia)')
    expect(presenceDelegation(presence, i18n.getFixedT('en'), 'en')).toBe('Arbetarpartiet (Sweden)')
  })

  it('keeps the English label of a presence sent without the parts, and shows nobody’s delegation for the secretariat', () => {
    const older = { ...presenceOf({ id: 'p', username: 'c', name: 'C', role: 'delegate', delegation: { id: 'x', party: 'Partido', country: 'Chile' } }), party: null, country: null }
    expect(presenceDelegation(older, i18n.getFixedT('fr'), 'fr')).toBe('Partido (Chile)')
    expect(presenceDelegation(presenceOf({ id: 's', username: 's', name: 'S', role: 'secretariat', delegation: null }), i18n.getFixedT('fr'), 'fr')).toBeNull()
  })
})
