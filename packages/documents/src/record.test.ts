import { describe, expect, it } from 'vitest'
import { adoptionRecord, voteCounts, votedOn } from './record.ts'

describe('the record of an adoption', () => {
  const vote = { yes: 24, no: 2, abstain: 3 }

  it('says who adopted the text, when, and by what vote, in the resolution’s language', () => {
    expect(adoptionRecord({ by: 'Council', at: '2019-08-31', vote }, 'en')).toBe('Adopted by the Council on 31 August 2019 (24 in favour, 2 against, 3 abstentions)')
    expect(adoptionRecord({ by: 'Council', at: '2019-08-31', vote }, 'fr')).toBe('Adoptée par le Conseil le 31 août 2019 (24 voix pour, 2 contre, 3 abstentions)')
    expect(adoptionRecord({ by: 'Council', at: '2019-08-31', vote }, 'es')).toBe('Aprobada por el Consejo el 31 de agosto de 2019 (24 votos a favor, 2 en contra, 3 abstenciones)')
    expect(adoptionRecord({ by: 'Steering Committee', at: '2019-08-31', vote }, 'fr')).toMatch(/^Adoptée par le Comité directeur le/)
    expect(adoptionRecord({ by: 'Conference', at: '2019-08-31', vote }, 'es')).toMatch(/^Aprobada por la Conferencia el/)
  })

  it('leaves the counts out when no vote was recorded', () => {
    expect(adoptionRecord({ by: 'Conference', at: '2019-08-31' }, 'en')).toBe('Adopted by the Conference on 31 August 2019')
  })

  it('counts one and none as each language does', () => {
    expect(voteCounts({ yes: 1, no: 0, abstain: 1 }, 'en')).toBe('1 in favour, 0 against, 1 abstention')
    expect(voteCounts({ yes: 1, no: 0, abstain: 0 }, 'fr')).toBe('1 voix pour, 0 contre, 0 abstention')
    expect(voteCounts({ yes: 1, no: 0, abstain: 1 }, 'es')).toBe('1 voto a favor, 0 en contra, 1 abstención')
    expect(votedOn('2019-08-31T10:00:00.000Z', vote, 'en')).toBe('by vote, 31 August 2019 (24 in favour, 2 against, 3 abstentions)')
  })

  it('says when a vote failed for want of a quorum, whatever its counts', () => {
    const inquorate = { yes: 4, no: 0, abstain: 0, quorumReached: false }
    expect(votedOn('2019-08-30', inquorate, 'fr')).toBe('par vote, 30 août 2019, faute de quorum (4 voix pour, 0 contre, 0 abstention)')
    expect(votedOn('2019-08-30', inquorate, 'en')).toBe('by vote, 30 August 2019, for want of a quorum (4 in favour, 0 against, 0 abstentions)')
    expect(votedOn('2019-08-30', inquorate, 'es')).toBe('por votación, 30 de agosto de 2019, por falta de quórum (4 votos a favor, 0 en contra, 0 abstenciones)')
    expect(votedOn('2019-08-30', { ...inquorate, quorumReached: true }, 'en')).toBe('by vote, 30 August 2019 (4 in favour, 0 against, 0 abstentions)')
  })
})
