import type { Amendment, Person, Stage } from '@hemicycle/protocol'
import type { StageMove } from '@hemicycle/rules'
import type { Queryable } from '../db/database.ts'
import type { NotificationRecord, Notifications } from './notifications.ts'

/** A stage change, with its reason (and the deadline when amendments open), for everyone. */
export function notifyStageMove(
  notifications: Notifications,
  tx: Queryable,
  { resolutionId, from, move, person }: { resolutionId: string; from: Stage; move: StageMove; person: Person },
): Promise<NotificationRecord | null> {
  return notifications.record(tx, {
    resolutionId,
    actor: move.vote ? null : person,
    subject: {
      kind: 'stage',
      from,
      to: move.to,
      by: person.name,
      ...(move.reason?.trim() ? { reason: move.reason.trim() } : {}),
      ...(move.to === 'amendments' && move.deadline ? { deadline: new Date(move.deadline).toISOString() } : {}),
    },
  })
}

/** A decision that asks the tabling delegation to answer: an acceptance as modified, a merge into a compromise. */
export function notifyAnswerAwaited(
  notifications: Notifications,
  tx: Queryable,
  { resolutionId, amendment, status, person }: { resolutionId: string; amendment: { id: string; number: number; delegation_id: string | null }; status: 'acceptedModified' | 'merged'; person: Person },
): Promise<NotificationRecord | null> {
  if (!amendment.delegation_id) return Promise.resolve(null)
  return notifications.record(tx, {
    resolutionId,
    audience: { delegationId: amendment.delegation_id },
    actor: person,
    subject: { kind: 'answerAwaited', amendmentId: amendment.id, amendment: `A${amendment.number}`, status, by: person.name },
  })
}

/** A delegation objects to a modified or merged wording: the chairs and the secretariat are told. */
export function notifyObjection(
  notifications: Notifications,
  tx: Queryable,
  { resolutionId, amendment, person, comment, onceKey }: { resolutionId: string; amendment: Pick<Amendment, 'id' | 'number'>; person: Person; comment: string | undefined; onceKey?: string },
): Promise<NotificationRecord | null> {
  return notifications.record(tx, {
    resolutionId,
    ...(onceKey ? { onceKey } : {}),
    audience: { roles: ['chair', 'secretariat'] },
    actor: person,
    subject: {
      kind: 'objection',
      amendmentId: amendment.id,
      amendment: amendment.number,
      delegation: person.delegation?.party ?? '',
      by: person.name,
      ...(comment ? { comment } : {}),
    },
  })
}

/** A tabled amendment's wording changed: the delegations that had co-sponsored it are asked to sign again. */
export function notifyCosponsorsAgain(
  notifications: Notifications,
  tx: Queryable,
  { resolutionId, amendment, delegationIds, person }: { resolutionId: string; amendment: { id: string; number: number }; delegationIds: readonly string[]; person: Person },
): Promise<Array<NotificationRecord | null>> {
  return Promise.all(
    delegationIds.map((delegationId) =>
      notifications.record(tx, {
        resolutionId,
        audience: { delegationId },
        actor: person,
        subject: { kind: 'cosponsorAgain', amendmentId: amendment.id, amendment: `A${amendment.number}`, by: person.name },
      }),
    ),
  )
}
