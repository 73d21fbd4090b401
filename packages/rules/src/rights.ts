import type { Role, Stage } from '@hemicycle/protocol'

/**
 * Who may change the text directly, by stage and role (CONTRACT.md, "Write
 * rights"). The server asks this for every websocket update and every route;
 * the client asks it only to explain, never to enforce.
 */
const DIRECT_EDITORS: Record<Stage, readonly Role[]> = {
  draft: ['secretariat', 'delegate', 'chair', 'steering'],
  amendments: [],
  consolidation: ['chair', 'secretariat'],
  final: [],
  adopted: [],
}

export function mayEditText(stage: Stage, role: Role): boolean {
  return DIRECT_EDITORS[stage].includes(role)
}

/** Why someone may not edit, for the message they see; null when they may. */
export type ReadOnlyReason = 'observer' | 'stage'

export function readOnlyReason(stage: Stage, role: Role): ReadOnlyReason | null {
  if (mayEditText(stage, role)) return null
  return role === 'observer' ? 'observer' : 'stage'
}
