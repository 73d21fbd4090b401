import { describe, expect, it } from 'vitest'
import type { Run } from './inline.ts'
import { threeWayMerge } from './merge.ts'
import { wordingText } from './wording.ts'

/**
 * A date, a time or an amount written with words the lists did not know
 * (ordinals, weekdays, "past", the part of the day, what is weighed or
 * measured, whose currency): each side changing one part of it merged
 * into one nobody proposed. Found by a hostile review.
 */
function merge(base: string, current: string, proposal: string): string | null {
  const merged = threeWayMerge([text(base)], [text(current)], [text(proposal)])
  return merged.ok ? wordingText(merged.wording) : null
}
const text = (value: string): Run[] => [{ text: value }]

describe('a date, a time or an amount in words the lists did not know, changed by two amendments', () => {
  // [base, current text (an accepted amendment or the chair), the amendment]: each changes another part of one thing.
  it.each([
    ['The Council meets on the first of May 2024 in Paris.', 'The Council meets on the first of May 2025 in Paris.', 'The Council meets on the second of May 2024 in Paris.'],
    ['The Council meets on the fifth of May 2024 in Paris.', 'The Council meets on the fifth of June 2024 in Paris.', 'The Council meets on the sixth of May 2024 in Paris.'],
    ['Payment is due on the twenty-first of March 2024.', 'Payment is due on the twenty-first of March 2025.', 'Payment is due on the twenty-second of March 2024.'],
    ['El plazo vence el primero de marzo de 2024.', 'El plazo vence el primero de abril de 2024.', 'El plazo vence el segundo de marzo de 2024.'],
    ['Le sommet aura lieu le deuxième jeudi de mai 2024.', 'Le sommet aura lieu le deuxième jeudi de mai 2025.', 'Le sommet aura lieu le troisième jeudi de mai 2024.'],
    ['The session opens at half past ten on Monday.', 'The session opens at quarter past ten on Monday.', 'The session opens at half past eleven on Monday.'],
    ['The plenary opens at ten o’clock in the morning.', 'The plenary opens at ten o’clock in the evening.', 'The plenary opens at eleven o’clock in the morning.'],
    ['La plénière s’ouvre à 10 heures du matin.', 'La plénière s’ouvre à 10 heures du soir.', 'La plénière s’ouvre à 11 heures du matin.'],
    ['La sesión empieza a las diez de la mañana.', 'La sesión empieza a las diez de la noche.', 'La sesión empieza a las once de la mañana.'],
    ['Le fonds dispose de 5 millions de francs CFA par an.', 'Le fonds dispose de 5 millions de francs suisses par an.', 'Le fonds dispose de 6 millions de francs CFA par an.'],
    ['El fondo dispone de 5 millones de francos al año.', 'El fondo dispone de 5 millones de pesos al año.', 'El fondo dispone de 6 millones de francos al año.'],
    ['Réduire de 5 millions de tonnes les émissions.', 'Réduire de 5 millions de kilos les émissions.', 'Réduire de 6 millions de tonnes les émissions.'],
    ['Proteger 2 millones de hectáreas de bosque.', 'Proteger 2 millones de acres de bosque.', 'Proteger 3 millones de hectáreas de bosque.'],
  ])('is a conflict: %s', (base, current, proposal) => {
    expect(merge(base, current, proposal)).toBeNull()
    expect(merge(base, proposal, current)).toBeNull()
  })

  // The same kinds of words, a part written on at one end or another connector of a clock.
  it.each([
    ['The plenary opens at ten o’clock sharp.', 'The plenary opens at ten o’clock in the evening sharp.', 'The plenary opens at eleven o’clock sharp.'],
    ['The vote is at quarter to eleven.', 'The vote is at ten to eleven.', 'The vote is at quarter to twelve.'],
    ['La séance reprend à dix heures moins le quart.', 'La séance reprend à onze heures moins le quart.', 'La séance reprend à dix heures moins vingt.'],
    ['The fund holds 5 million Swiss francs.', 'The fund holds 6 million Swiss francs.', 'The fund holds 5 million CFA francs.'],
    ['Il se tiendra le dix-septième jour de mars.', 'Il se tiendra le dix-huitième jour de mars.', 'Il se tiendra le dix-septième jour de mai.'],
  ])('is a conflict too: %s', (base, current, proposal) => {
    expect(merge(base, current, proposal)).toBeNull()
    expect(merge(base, proposal, current)).toBeNull()
  })

  // [base, one amendment, the other, both together]: the same words in prose, or changes beside a date that do not go on with it.
  it.each([
    ['The Council meets on the first of May 2024 in Paris.', 'The Council meets on the first of May 2024 in Brussels.', 'The Council meets on the second of May 2024 in Paris.', 'The Council meets on the second of May 2024 in Brussels.'],
    ['The Council meets on the first of May 2024 in Paris.', 'The Board meets on the first of May 2024 in Paris.', 'The Council meets on the first of May 2025 in Paris.', 'The Board meets on the first of May 2025 in Paris.'],
    ['The first step is to consult; the second step is to vote.', 'The initial step is to consult; the second step is to vote.', 'The first step is to consult; the final step is to vote.', 'The initial step is to consult; the final step is to vote.'],
    ['First, the Council consults; second, it votes.', 'First, the Board consults; second, it votes.', 'First, the Council consults; second, it decides.', 'First, the Board consults; second, it decides.'],
    ['The Council meets on Monday and the committee on Friday.', 'The Council meets on Tuesday and the committee on Friday.', 'The Council meets on Monday and the committee on Thursday.', 'The Council meets on Tuesday and the committee on Thursday.'],
    ['The Council votes 5 texts in the morning and 3 texts in the evening.', 'The Council votes 6 texts in the morning and 3 texts in the evening.', 'The Council votes 5 texts in the afternoon and 3 texts in the evening.', 'The Council votes 6 texts in the afternoon and 3 texts in the evening.'],
    ['Over the past two years the Council met.', 'Over the last two years the Council met.', 'Over the past two decades the Council met.', 'Over the last two decades the Council met.'],
    ['un fonds de 5 millions pour la Suisse', 'un fonds de 6 millions pour la Suisse', 'un fonds de 5 millions pour la Belgique', 'un fonds de 6 millions pour la Belgique'],
    // "Franco" is a name, not the "francos" of an amount (a later review).
    ['Las víctimas de Franco de 1939 a 1975.', 'Las víctimas de la dictadura de 1939 a 1975.', 'Las víctimas de Franco de 1936 a 1975.', 'Las víctimas de la dictadura de 1936 a 1975.'],
  ])('merges: %s', (base, one, other, both) => {
    expect(merge(base, one, other)).toBe(both)
    expect(merge(base, other, one)).toBe(both)
  })
})
