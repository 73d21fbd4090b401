import { describe, expect, it } from 'vitest'
import { type Proposal, rebase } from './amendment.ts'
import type { Run } from './inline.ts'
import { quantitySpans } from './quantities.ts'
import { tokensOfRuns } from './tokens.ts'
import { wordingText } from './wording.ts'

const runs = (text: string): Run[] => [{ text }]
const replace = (base: string, text: string): Proposal => ({ kind: 'replace', blockId: 'b', base: runs(base), wording: [runs(text)] })
const rebasedText = (proposal: Proposal, current: string) => {
  const rebased = rebase(proposal, runs(current))
  return rebased.state === 'clean' ? wordingText(rebased.wording) : rebased.state
}
/** The proposal rebased onto the current text is a conflict, and so is the current text rebased onto the proposal. */
const expectConflictBothWays = (base: string, current: string, proposal: string) => {
  expect(rebasedText(replace(base, proposal), current)).toBe('conflict')
  expect(rebasedText(replace(base, current), proposal)).toBe('conflict')
}
const spansRead = (text: string) => {
  const tokens = tokensOfRuns(runs(text))
  return quantitySpans(tokens).map(([from, to]) => tokens.slice(from, to).map((token) => token.text).join(''))
}

describe('an amount, a date, a time or a period written over several words', () => {
  it('is read whole, with the words that link its parts', () => {
    expect(spansRead('un fonds de 2 millions 500 000 euros pour la paix')).toEqual(['2 millions 500 000 euros'])
    expect(spansRead('Fait le douze mars deux mille vingt-quatre.')).toEqual(['douze mars deux mille vingt-quatre'])
    expect(spansRead('la séance reprend à 10 heures et 30 minutes')).toEqual(['10 heures et 30 minutes'])
    expect(spansRead('un plazo de 2 años y 6 meses')).toEqual(['2 años y 6 meses'])
    expect(spansRead("deux cents milliards d'euros")).toEqual(["deux cents milliards d'euros"])
    // One number alone is a word as any other; words that are not links end the amount.
    expect(spansRead('Le Conseil invite les 27 États membres à agir.')).toEqual([])
    expect(spansRead('en 2024 le Conseil a réuni 30 délégations')).toEqual([])
  })

  // Found by a hostile review: each side changed one part, and the merge wrote a figure, a date or a period no one wrote.
  it.each([
    ['un fonds de 2 millions 500 000 euros', 'un fonds de 3 millions 500 000 euros', 'un fonds de 2 millions 600 000 euros'],
    ['un montant de cinq cent mille euros', 'un montant de six cent mille euros', 'un montant de cinq cent cinquante mille euros'],
    ['a budget of five hundred thousand euros', 'a budget of six hundred thousand euros', 'a budget of five hundred fifty thousand euros'],
    ["un fonds de deux cents milliards d'euros", "un fonds de trois cents milliards d'euros", "un fonds de deux cents millions d'euros"],
    ['un presupuesto de dos millones quinientos mil euros', 'un presupuesto de tres millones quinientos mil euros', 'un presupuesto de dos millones seiscientos mil euros'],
    ['Fait le douze mars deux mille vingt-quatre.', 'Fait le treize mars deux mille vingt-quatre.', 'Fait le douze mars deux mille vingt-cinq.'],
    ['la séance est levée à onze heures trente.', 'la séance est levée à douze heures trente.', 'la séance est levée à onze heures quarante-cinq.'],
    ['la séance reprend à 10 heures et 30 minutes', 'la séance reprend à 11 heures et 30 minutes', 'la séance reprend à 10 heures et 45 minutes'],
    ['un plazo de 2 años y 6 meses', 'un plazo de 3 años y 6 meses', 'un plazo de 2 años y 9 meses'],
    ['entre le 1er et le 15 mars 2024', 'entre le 2 et le 15 mars 2024', 'entre le 1er et le 15 avril 2024'],
    ['le 12 du mois de mars 2024', 'le 13 du mois de mars 2024', 'le 12 du mois de avril 2024'],
  ])('is a conflict when each side changes a part of it: %s', (base, current, proposal) => {
    expectConflictBothWays(base, current, proposal)
  })

  // Found by a hostile review: one side wrote more of the amount at one end while the other changed a part of it.
  it.each([
    ['soit 2 millions de personnes', 'soit 3 millions de personnes', 'soit 2 millions 500 000 personnes'],
    ['cent vingt mille personnes', 'cent trente mille personnes', 'deux cent vingt mille personnes'],
    ['mil quinientas personas', 'mil seiscientas personas', 'dos mil quinientas personas'],
    ['twenty thousand people', 'thirty thousand people', 'twenty thousand five hundred people'],
    ['durante dos años para el debate', 'durante tres años para el debate', 'durante dos años y seis meses para el debate'],
    ['pendant deux ans pour le débat', 'pendant trois ans pour le débat', 'pendant deux ans et six mois pour le débat'],
    ['à onze heures pour le débat', 'à douze heures pour le débat', 'à onze heures trente pour le débat'],
    ['de deux millions pour 2025', 'de trois millions pour 2025', 'de deux millions et demi pour 2025'],
    ['le douze mars à Genève', 'le quinze mars à Genève', 'le douze mars deux mille vingt-cinq à Genève'],
  ])('is a conflict when one side writes more of it at one end and the other changes a part: %s', (base, current, proposal) => {
    expectConflictBothWays(base, current, proposal)
  })

  // Found by a hostile review: units and scales the lists did not know.
  it.each([
    ['a rate of 3 per cent', 'a rate of 4 per cent', 'a rate of 3 per mille'],
    ['un taux de trois pour cent', 'un taux de quatre pour cent', 'un taux de trois pour mille'],
    ['una tasa del 3 por ciento', 'una tasa del 4 por ciento', 'una tasa del 3 por mil'],
    ['limit warming to 1.5 degrees Celsius above', 'limit warming to 2 degrees Celsius above', 'limit warming to 1.5 degrees Fahrenheit above'],
    ['limiter le réchauffement à 1,5 degré Celsius', 'limiter le réchauffement à 2 degrés Celsius', 'limiter le réchauffement à 1,5 degré Fahrenheit'],
    ['a fund of 5 million US dollars', 'a fund of 6 million US dollars', 'a fund of 5 million Canadian dollars'],
    ['un fonds de 5 millions de dollars américains', 'un fonds de 6 millions de dollars américains', 'un fonds de 5 millions de dollars canadiens'],
  ])('is a conflict when each side changes a part of it, in a unit or on a scale: %s', (base, current, proposal) => {
    expectConflictBothWays(base, current, proposal)
  })

  // Found by a hostile review: each side changed one number of a legal reference, citing a provision nobody cited.
  it.each([
    ["conformément à l'article 5, paragraphe 3, du règlement", "conformément à l'article 6, paragraphe 3, du règlement", "conformément à l'article 5, paragraphe 4, du règlement"],
    ['under Article 5, paragraph 3 of the Statutes', 'under Article 6, paragraph 3 of the Statutes', 'under Article 5, paragraph 4 of the Statutes'],
    ['según el artículo 5, apartado 3, del reglamento', 'según el artículo 6, apartado 3, del reglamento', 'según el artículo 5, apartado 4, del reglamento'],
  ])('is a conflict when each side changes a number of one legal reference: %s', (base, current, proposal) => {
    expectConflictBothWays(base, current, proposal)
  })

  it('merges a change to a reference with a change after a comma that does not go on with it', () => {
    expect(rebasedText(replace("selon l'article 5, le Conseil décide", "selon l'article 6, le Conseil décide"), "selon l'article 5, le Conseil décide aujourd'hui")).toBe(
      "selon l'article 6, le Conseil décide aujourd'hui",
    )
  })

  it('merges a change to it with words written next to it that do not go on with it', () => {
    expect(rebasedText(replace('un fonds de 2 millions pour la paix', 'un fonds de 3 millions pour la paix'), 'un fonds de 2 millions pour la paix durable')).toBe(
      'un fonds de 3 millions pour la paix durable',
    )
    expect(rebasedText(replace('un fonds de 2 millions pour la paix', 'un fonds de 3 millions pour la paix'), 'un fonds de 2 millions en 2025 pour la paix')).toBe(
      'un fonds de 3 millions en 2025 pour la paix',
    )
    expect(rebasedText(replace('soit cent vingt mille personnes', 'soit cent trente mille personnes'), 'soit environ cent vingt mille personnes')).toBe('soit environ cent trente mille personnes')
  })

  it('merges a change to it on one side with changes around it on the other', () => {
    const base = 'Le Conseil alloue un fonds de 2 millions 500 000 euros à la paix.'
    expect(rebasedText(replace(base, 'Le Conseil alloue un fonds de 3 millions 500 000 euros à la paix.'), 'Le Conseil décide d’allouer un fonds de 2 millions 500 000 euros à la paix durable.')).toBe(
      'Le Conseil décide d’allouer un fonds de 3 millions 500 000 euros à la paix durable.',
    )
  })
})
