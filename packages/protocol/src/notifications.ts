import { z } from 'zod'
import { Stage } from './model.ts'

/**
 * What people are told without asking: stage changes (with the reason),
 * amendments opening with their deadline, a deadline moved or approaching,
 * a decision awaiting a delegation's answer, an objection for the chairs,
 * a decision taken back, a co-sponsored wording changed, typing that
 * landed unseen in the words of a decision. The interface words each in its own language from
 * these facts; names are given as they are written.
 */
export const NotificationSubject = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('stage'), from: Stage, to: Stage, by: z.string(), reason: z.string().optional(), deadline: z.string().optional() }),
  z.object({ kind: z.literal('deadline'), deadline: z.string(), previous: z.string().nullable(), by: z.string() }),
  z.object({ kind: z.literal('deadlineSoon'), deadline: z.string() }),
  z.object({
    kind: z.literal('answerAwaited'),
    amendmentId: z.string(),
    amendment: z.string().meta({ description: '"A3"' }),
    status: z.enum(['acceptedModified', 'merged']),
    by: z.string(),
  }),
  z.object({ kind: z.literal('objection'), amendmentId: z.string(), amendment: z.string(), delegation: z.string(), by: z.string(), comment: z.string().optional() }),
  z.object({ kind: z.literal('cosponsorAgain'), amendmentId: z.string(), amendment: z.string(), by: z.string() }).meta({ description: 'the wording a delegation co-sponsored has changed: it is asked to co-sponsor again' }),
  z.object({ kind: z.literal('decisionReset'), amendmentId: z.string(), amendment: z.string(), reason: z.string(), by: z.string() }),
  z
    .object({
      kind: z.literal('lateTyping'),
      amendmentId: z.string(),
      amendment: z.string(),
      paragraph: z.number().int().meta({ description: 'the § the amendment cites' }),
      typist: z.string(),
      text: z.string().meta({ description: 'what the paragraph reads now, as plain text (cut at 1,000 characters)' }),
    })
    .meta({ description: 'typing landed in the words an acceptance changed, by someone who had not received it yet: the paragraph differs from the decision; told to the decision’s author and the typist' }),
])
export type NotificationSubject = z.infer<typeof NotificationSubject>

export const Notification = z
  .object({
    id: z.string(),
    at: z.string(),
    read: z.boolean(),
    resolutionId: z.string().nullable(),
    resolutionTitle: z.string(),
    timeZone: z.string().meta({ description: 'the time zone the resolution’s deadlines are shown in' }),
    subject: NotificationSubject,
  })
  .meta({ id: 'Notification' })
export type Notification = z.infer<typeof Notification>

export const NotificationsRead = z.union([
  z.strictObject({ ids: z.array(z.string().min(1).max(100)).min(1).max(500) }),
  z.strictObject({
    all: z.literal(true),
    upTo: z.iso
      .datetime({ offset: true })
      .optional()
      .meta({ description: 'only those recorded at or before this instant (the newest one the reader was shown), so one arriving meanwhile stays unread' }),
  }),
])
export type NotificationsRead = z.infer<typeof NotificationsRead>

/** What `GET /api/notifications/events` streams (server-sent events; the event name is `type`). */
export const NotificationEvent = z.object({ type: z.literal('notification'), notification: Notification })
export type NotificationEvent = z.infer<typeof NotificationEvent>
