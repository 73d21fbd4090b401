import type { Delegation } from '@hemicycle/protocol'

/** Region codes by English name ("Sweden" → "SE"), built once from the runtime's own region names. */
let regionsByEnglishName: Map<string, string> | null = null

function regionOf(englishName: string): string | undefined {
  if (!regionsByEnglishName) {
    const english = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' })
    regionsByEnglishName = new Map()
    const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'
    for (const first of letters)
      for (const second of letters) {
        const name = english.of(first + second)
        if (name && !regionsByEnglishName.has(name)) regionsByEnglishName.set(name, first + second)
      }
  }
  return regionsByEnglishName.get(englishName)
}

/**
 * A country stored under its English name, named in `language` ("Sweden" →
 * "Suède"); a name that is no region's is given as written.
 */
export function countryName(englishName: string, language: string): string {
  const code = regionOf(englishName)
  return code ? (new Intl.DisplayNames([language], { type: 'region' }).of(code) ?? englishName) : englishName
}

/** "Arbetarpartiet (Suède)": a delegation as a document in `language` names it. */
export const delegationName = (delegation: Delegation, language: string) =>
  delegation.country ? `${delegation.party} (${countryName(delegation.country, language)})` : delegation.party
