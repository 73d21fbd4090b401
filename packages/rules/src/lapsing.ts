import type { Stage } from '@hemicycle/protocol'

/**
 * What a stage move does to amendments still `tabled`. Returning to draft
 * ends the round: the text is edited directly again and the next round
 * starts afresh, so they lapse. A lock (only possible over them by the
 * Steering Committee's explicit override) leaves them undecided for good,
 * so they lapse too. Reopening amendments keeps them: their delegations
 * may change or withdraw them until the new deadline.
 */
export function lapsesOnMove(from: Stage, to: Stage): boolean {
  return (from === 'amendments' && to === 'draft') || (from === 'consolidation' && to === 'final')
}
