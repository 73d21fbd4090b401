import { type Language, STAMP_WORDS } from '@hemicycle/protocol'
import { formatDate } from './dates.ts'

/** The alliance's name in its three languages, as every document it issues is headed. */
export const ALLIANCE_NAMES = ['Progressive Alliance', 'Alliance progressiste', 'Alianza Progresista'] as const

/**
 * Letters set in capitals in the header: Latin, Greek and Cyrillic, whose
 * capitals every face documents are printed in carries. Other scripts stay
 * as written: Georgian's capitals (Mtavruli) exist in Unicode but in few
 * fonts and little use, and would print as boxes.
 */
const CASED = /[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}]/u

/** Capitals where the script has them in print; every other letter as written. */
export function capitals(text: string): string {
  return [...text].map((char) => (CASED.test(char) ? char.toLocaleUpperCase('fr') : char)).join('')
}

/**
 * The header line: the organisation's names in capitals, separated by
 * middle dots ("PROGRESSIVE ALLIANCE · ALLIANCE PROGRESSISTE · ALIANZA
 * PROGRESISTA"). A resolution's `organisation` is written with slashes
 * between the languages; without one, the alliance's own names stand.
 */
export function letterhead(organisation: string): string {
  const names = organisation
    .split('/')
    .map((name) => name.trim())
    .filter((name) => name.length > 0)
  return (names.length > 0 ? names : [...ALLIANCE_NAMES]).map(capitals).join(' · ')
}

export interface StampFacts {
  language: Language
  /** The stage the text is (or was, for a saved version) at; versions store it as text. */
  stage: string
  draftDate: string | null
  adoptedAt: string | null
}

/** The stamp's word and date: PROJET and the draft's date until adoption, then ADOPTÉE and the day it was adopted. */
export function stampOf({ language, stage, draftDate, adoptedAt }: StampFacts): { label: string; date: string | null } {
  const words = STAMP_WORDS[language]
  return stage === 'adopted' ? { label: words.adopted, date: adoptedAt } : { label: words.draft, date: draftDate }
}

/** "PROJET 03 juillet 2019", the stamp as printed. */
export function stampText(stamp: { label: string; date: string | null }, language: Language): string {
  return stamp.date ? `${stamp.label} ${formatDate(stamp.date, language)}` : stamp.label
}
