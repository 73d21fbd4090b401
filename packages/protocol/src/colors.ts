/**
 * Each delegation has a colour for its carets and tracked changes, the same
 * on every screen. Dark enough for white text and distinguishable in pairs;
 * the secretariat and people without a delegation are shown in slate.
 */
export const DELEGATION_PALETTE = [
  '#b91c1c',
  '#1d4ed8',
  '#047857',
  '#7e22ce',
  '#c2410c',
  '#0e7490',
  '#a21caf',
  '#4d7c0f',
  '#be123c',
  '#4338ca',
  '#92400e',
  '#0f766e',
] as const

export const NO_DELEGATION_COLOR = '#475569'

export function delegationColor(delegationId: string | null): string {
  if (delegationId === null) return NO_DELEGATION_COLOR
  let hash = 0
  for (const char of delegationId) hash = (Math.imul(hash, 31) + char.charCodeAt(0)) >>> 0
  return DELEGATION_PALETTE[hash % DELEGATION_PALETTE.length]!
}
