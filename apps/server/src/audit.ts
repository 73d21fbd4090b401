import type { Person } from '@hemicycle/protocol'
import type { Queryable } from './db/database.ts'

/** What the append-only audit log records. */
export type AuditAction =
  | 'login'
  | 'logout'
  | 'import'
  | 'create'
  | 'stage'
  | 'lock'
  | 'reopen'
  | 'version'
  // Every amendment action, so the record shows who did what to each wording, and when.
  | 'table'
  | 'edit'
  | 'cosponsor'
  | 'withdraw'
  | 'response'
  | 'decision'
  | 'compromise'
  // Correcting the record: a decision taken back, an objection answered, a deadline moved.
  | 'reset'
  | 'objectionReply'
  // Typing that landed unseen in the words of an accepted amendment: the text differs from the decision.
  | 'lateTyping'
  // A chair or the secretariat says a paragraph typed over so reads as meant.
  | 'lateTypingChecked'
  | 'deadline'
  // Accounts: the secretariat manages the alliance's people and delegations.
  | 'delegation'
  | 'person'
  | 'password'
  // Meetings and votes.
  | 'meeting'
  | 'roll'
  | 'attendance'
  | 'vote'
  | 'ballot'
  // Language versions: one added, a translation confirmed against its source, a version's title changed.
  | 'language'
  | 'confirm'
  | 'versionTitle'

export async function audit(
  db: Queryable,
  entry: { person: Person | null; action: AuditAction; resolutionId?: string | null; detail?: Record<string, unknown> },
): Promise<void> {
  await db.query('insert into audit_log (person_id, delegation_id, action, resolution_id, detail) values ($1, $2, $3, $4, $5::text::jsonb)', [
    entry.person?.id ?? null,
    entry.person?.delegation?.id ?? null,
    entry.action,
    entry.resolutionId ?? null,
    JSON.stringify(entry.detail ?? {}),
  ])
}
