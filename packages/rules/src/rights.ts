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

/** Whether anyone may change the text directly at this stage: the server's repairs of what was typed stop with them. */
export function textOpenToEditing(stage: Stage): boolean {
  return DIRECT_EDITORS[stage].length > 0
}

/**
 * Why someone may not edit, for the message they see; null when they may.
 * `role`: their role never edits this text (a translator and the original,
 * a delegate and a language version), whatever the stage.
 */
export type ReadOnlyReason = 'observer' | 'stage' | 'role'

export function readOnlyReason(stage: Stage, role: Role): ReadOnlyReason | null {
  if (mayEditText(stage, role)) return null
  if (role === 'observer') return 'observer'
  return Object.values(DIRECT_EDITORS).some((editors) => editors.includes(role)) ? 'stage' : 'role'
}
