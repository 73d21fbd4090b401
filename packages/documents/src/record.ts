import type { AdoptingBody, Language, VoteResult } from '@hemicycle/protocol'
import { formatDate } from './dates.ts'

/**
 * How the record states a decision in the resolution's language: "Adopted
 * by the Council on 31 August 2019 (24 in favour, 2 against, 3
 * abstentions)". Written out per language rather than assembled from
 * words, since the grammar differs (gender of the resolution, articles,
 * French's singular for none).
 */
const BODIES: Record<Language, Record<AdoptingBody, string>> = {
  fr: { Council: 'le Conseil', 'Steering Committee': 'le Comité directeur', Conference: 'la Conférence' },
  en: { Council: 'the Council', 'Steering Committee': 'the Steering Committee', Conference: 'the Conference' },
  es: { Council: 'el Consejo', 'Steering Committee': 'el Comité Directivo', Conference: 'la Conferencia' },
}

type Counts = Pick<VoteResult, 'yes' | 'no' | 'abstain'>

/** "24 in favour, 2 against, 3 abstentions", "24 voix pour, 2 contre, 3 abstentions", "24 votos a favor, 2 en contra, 3 abstenciones". */
export function voteCounts({ yes, no, abstain }: Counts, language: Language): string {
  switch (language) {
    case 'fr':
      return `${yes} voix pour, ${no} contre, ${abstain} abstention${abstain > 1 ? 's' : ''}`
    case 'en':
      return `${yes} in favour, ${no} against, ${abstain} abstention${abstain === 1 ? '' : 's'}`
    case 'es':
      return `${yes} voto${yes === 1 ? '' : 's'} a favor, ${no} en contra, ${abstain} ${abstain === 1 ? 'abstención' : 'abstenciones'}`
  }
}

export interface AdoptionFacts {
  by: AdoptingBody
  /** ISO date. */
  at: string
  vote?: Counts | undefined
}

/** The sentence that closes an adopted resolution. */
export function adoptionRecord({ by, at, vote }: AdoptionFacts, language: Language): string {
  const body = BODIES[language][by]
  const date = formatDate(at, language)
  const counts = vote ? ` (${voteCounts(vote, language)})` : ''
  switch (language) {
    case 'fr':
      return `Adoptée par ${body} le ${date}${counts}`
    case 'en':
      return `Adopted by ${body} on ${date}${counts}`
    case 'es':
      return `Aprobada por ${body} el ${date}${counts}`
  }
}

/**
 * How the booklet states a decision taken by vote: "by vote, 31 August 2019
 * (24 in favour, 2 against, 3 abstentions)"; "…, for want of a quorum (4 in
 * favour, 0 against, 0 abstentions)" when too few delegations were present,
 * else the counts read as a wrong result.
 */
export function votedOn(at: string, vote: Counts & Pick<VoteResult, 'quorumReached'>, language: Language): string {
  const byVote = { fr: 'par vote', en: 'by vote', es: 'por votación' }[language]
  const quorum = vote.quorumReached === false ? { fr: ', faute de quorum', en: ', for want of a quorum', es: ', por falta de quórum' }[language] : ''
  return `${byVote}, ${formatDate(at, language)}${quorum} (${voteCounts(vote, language)})`
}
