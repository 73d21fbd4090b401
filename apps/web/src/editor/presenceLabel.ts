import type { Presence } from '@hemicycle/protocol'
import type { TFunction } from 'i18next'
import { formatCountry } from '../format.ts'

/** A person's delegation as the interface's language names it ("Arbetarpartiet (Suède)"); a presence without the parts keeps its English label. */
export function presenceDelegation(presence: Presence, t: TFunction, language: string): string | null {
  if (presence.party === null) return presence.delegation
  if (presence.country === null || presence.country === '') return presence.party
  return t('people.delegationName', { party: presence.party, country: formatCountry(presence.country, language) })
}
