import { randomUUID } from 'node:crypto'
import type { Notification, NotificationsRead, NotificationSubject, Person, Role } from '@hemicycle/protocol'
import type { Database, Queryable } from '../db/database.ts'
import { type Channel, sseFrame } from '../events/liveEvents.ts'
import { type AgendaMeeting, latestMeeting } from '@hemicycle/rules'
import { AGENDA_MEETINGS } from '../resolutions/repository.ts'

/** Whom a notification is for: everyone, or people of these roles, or of this delegation, or this one person (any matches). */
export interface Audience {
  roles?: readonly Role[]
  delegationId?: string
  personId?: string
}

/** A notification as stored and sent between instances, before it is shown to one person. */
export interface NotificationRecord {
  id: string
  at: string
  resolutionId: string | null
  resolutionTitle: string
  timeZone: string
  audience: Audience
  actorId: string | null
  subject: NotificationSubject
}

interface Row {
  id: string
  at: Date
  resolution_id: string | null
  audience_roles: string | null
  audience_delegation: string | null
  audience_person: string | null
  actor_id: string | null
  subject: NotificationSubject
  title: string | null
  agenda_meetings: AgendaMeeting[] | null
  read: boolean
}

/** How far ahead of a deadline people are told it approaches. */
export const DEADLINE_NOTICE_MS = 24 * 60 * 60 * 1000

/** Whether `person` is told: meant for them, and not of their own doing. */
export function concerns(person: Person, record: Pick<NotificationRecord, 'audience' | 'actorId'>): boolean {
  if (record.actorId === person.id) return false
  const { roles, delegationId, personId } = record.audience
  if (!roles && !delegationId && !personId) return true
  // A delegation is told what it is asked to do (answer a decision, sign again): its observers, party leaders without a
  // vote, can do none of it.
  const ofDelegation = delegationId !== undefined && person.delegation?.id === delegationId && person.role !== 'observer'
  return (roles?.includes(person.role) ?? false) || ofDelegation || personId === person.id
}

/** `concerns` in SQL over `notifications n`, with `concernsParameters` as $1–$3. */
const CONCERNS_SQL = `(n.actor_id is null or n.actor_id <> $1)
  and ((n.audience_roles is null and n.audience_delegation is null and n.audience_person is null)
       or n.audience_roles like $2 or n.audience_delegation = $3 or n.audience_person = $1)`

// As `concerns`: a delegation's requests for action are not its observers'.
const concernsParameters = (person: Person): [string, string, string | null] => [person.id, `% ${person.role} %`, person.role === 'observer' ? null : (person.delegation?.id ?? null)]

/** The resolution's time zone: its latest meeting's (`latestMeeting`), else UTC. */
const timeZoneOf = (meetings: AgendaMeeting[] | null) => latestMeeting(meetings)?.timeZone ?? 'UTC'

/**
 * A record as every stream it concerns shows it, and as one server-sent event, made once per record (the channel hands
 * every subscriber the same record): each open stream made its own copy of the bytes, and streams that read nothing
 * held one each (60 streams of one person, 600 notices of 10 KB: 216 MB).
 */
const shown = new WeakMap<NotificationRecord, [Notification, Uint8Array]>()
function shownLive(record: NotificationRecord): [Notification, Uint8Array] {
  let known = shown.get(record)
  if (!known) {
    const { audience: _audience, actorId: _actor, ...visible } = record
    const notification = { ...visible, read: false }
    known = [notification, sseFrame('notification', new TextEncoder().encode(JSON.stringify({ type: 'notification', notification })))]
    shown.set(record, known)
  }
  return known
}

/**
 * What people are told without asking. A notification is recorded in the
 * transaction of what it tells (so it exists exactly when that happened),
 * then sent live to every instance, where each open stream passes on those
 * meant for its person. Each person marks their own as read.
 */
export class Notifications {
  constructor(private readonly options: { db: Database; channel: Channel<NotificationRecord>; now: () => Date }) {}

  /** Records a notification in `tx`; send it with `send` once `tx` has committed. Null when `onceKey` was already used. */
  async record(
    tx: Queryable,
    input: { resolutionId: string; audience?: Audience; actor: Person | null; subject: NotificationSubject; onceKey?: string; at?: Date },
  ): Promise<NotificationRecord | null> {
    const audience = input.audience ?? {}
    const at = input.at ?? this.options.now()
    const id = randomUUID()
    const [row] = await tx.query<{ title: string; agenda_meetings: AgendaMeeting[] | null }>(
      `insert into notifications (id, at, resolution_id, audience_roles, audience_delegation, audience_person, actor_id, subject, once_key)
       values ($1, $2, $3, $4, $5, $9, $6, $7::text::json, $8) on conflict (once_key) do nothing
       returning (select r.title from resolutions r where r.id = $3) as title,
                 (select ${AGENDA_MEETINGS} from resolutions r where r.id = $3) as agenda_meetings`,
      [id, at, input.resolutionId, audience.roles ? ` ${audience.roles.join(' ')} ` : null, audience.delegationId ?? null, input.actor?.id ?? null, JSON.stringify(input.subject), input.onceKey ?? null, audience.personId ?? null],
    )
    if (!row) return null
    return {
      id,
      at: at.toISOString(),
      resolutionId: input.resolutionId,
      resolutionTitle: row.title,
      timeZone: timeZoneOf(row.agenda_meetings),
      audience,
      actorId: input.actor?.id ?? null,
      subject: input.subject,
    }
  }

  /** Sends recorded notifications live, to every instance. */
  send(records: ReadonlyArray<NotificationRecord | null>): void {
    for (const record of records) if (record) this.options.channel.publish('all', record)
  }

  /** Records and sends at once, outside any other transaction. */
  async notify(input: Parameters<Notifications['record']>[1]): Promise<void> {
    this.send([await this.record(this.options.db, input)])
  }

  /** The person's latest notifications, newest first. */
  async list(person: Person, limit = 50): Promise<Notification[]> {
    const rows = await this.options.db.query<Row>(
      `select n.*, r.title, ${AGENDA_MEETINGS} as agenda_meetings,
              exists (select 1 from notification_reads nr where nr.notification_id = n.id and nr.person_id = $1) as read
       from notifications n left join resolutions r on r.id = n.resolution_id
       where ${CONCERNS_SQL}
       order by n.at desc, n.seq desc limit $4`,
      [...concernsParameters(person), limit],
    )
    return rows.map((row) => ({
      id: row.id,
      at: row.at.toISOString(),
      read: row.read,
      resolutionId: row.resolution_id,
      resolutionTitle: row.title ?? '',
      timeZone: timeZoneOf(row.agenda_meetings),
      subject: row.subject,
    }))
  }

  async markRead(person: Person, input: NotificationsRead): Promise<void> {
    if ('ids' in input) {
      await this.options.db.query(
        `insert into notification_reads (notification_id, person_id) select id, $2 from notifications where id = any($1::text[]) on conflict do nothing`,
        [input.ids, person.id],
      )
      return
    }
    // Every one the person is told of, not the newest page: "mark all read" marked the newest 500 and left older ones
    // counted unread for good.
    await this.options.db.query(
      `insert into notification_reads (notification_id, person_id)
       select n.id, $1 from notifications n
       where ${CONCERNS_SQL} and ($4::timestamptz is null or n.at <= $4)
         and not exists (select 1 from notification_reads nr where nr.notification_id = n.id and nr.person_id = $1)
       on conflict do nothing`,
      [...concernsParameters(person), input.upTo ? new Date(input.upTo) : null],
    )
  }

  /** Notifications for `person` as they are sent, shown as they would be listed. */
  subscribe(person: Person, handler: (notification: Notification, frame: Uint8Array) => void): () => void {
    return this.options.channel.subscribe('all', (record) => {
      if (concerns(person, record)) handler(...shownLive(record))
    })
  }

  /**
   * Tells everyone once that a deadline approaches (within a day), for each
   * resolution whose amendments are open. Several instances may sweep: the
   * deadline's once-key lets one of them record it.
   */
  async sweep(): Promise<number> {
    const now = this.options.now()
    const due = await this.options.db.query<{ id: string; amendment_deadline: Date }>(
      `select id, amendment_deadline from resolutions where stage = 'amendments' and amendment_deadline > $1 and amendment_deadline <= $2`,
      [now, new Date(now.getTime() + DEADLINE_NOTICE_MS)],
    )
    const sent: Array<NotificationRecord | null> = []
    for (const resolution of due) {
      const deadline = resolution.amendment_deadline.toISOString()
      sent.push(await this.record(this.options.db, { resolutionId: resolution.id, actor: null, subject: { kind: 'deadlineSoon', deadline }, onceKey: `deadlineSoon:${resolution.id}:${deadline}`, at: now }))
    }
    this.send(sent)
    return sent.filter(Boolean).length
  }
}
