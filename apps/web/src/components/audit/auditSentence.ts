import { type AuditEntry, AmendmentStatus, Language, Stage } from '@hemicycle/protocol'
import type { TFunction } from 'i18next'
import { voteOutcome } from '@hemicycle/rules'
import { formatInstant } from '../../format.ts'
import { notAppliedText } from '../../i18n/refusals.ts'
import { versionLabel } from '../VersionsPanel.tsx'

/** Sessions are not the resolution's history: the log page leaves them out. */
export const SESSION_ACTIONS: ReadonlySet<string> = new Set(['login', 'logout'])

/** What an entry says in the interface's language: the action as a sentence, and the particulars that go with it (reason, deadline…). */
export interface AuditSentence {
  what: string
  particulars: string[]
}

const text = (detail: Record<string, unknown>, key: string): string | null => {
  const value = detail[key]
  return typeof value === 'string' || typeof value === 'number' ? String(value) : null
}

/**
 * The audit entry as a sentence of the interface's language, read from its
 * action and detail; instants in the viewer's zone. An action this page does
 * not know (a newer server's) is still named, never dropped.
 */
export function auditSentence(entry: AuditEntry, t: TFunction, language: string, timeZone: string): AuditSentence {
  const { detail } = entry
  const amendment = text(detail, 'amendment') ?? '?'
  const stage = (key: string) => {
    const value = Stage.safeParse(detail[key])
    return value.success ? t(`stage.${value.data}`) : (text(detail, key) ?? '?')
  }
  const instant = (key: string) => {
    const value = text(detail, key)
    return value && !Number.isNaN(Date.parse(value)) ? formatInstant(value, language, timeZone) : null
  }
  const languageName = () => {
    const value = Language.safeParse(detail['language'])
    return value.success ? t(`translations.languageName.${value.data}`) : (text(detail, 'language') ?? '?')
  }
  const particulars: string[] = []
  const reason = text(detail, 'reason')
  if (reason) particulars.push(t('auditLog.reason', { reason }))
  const lapsed = Array.isArray(detail['lapsed']) ? detail['lapsed'].filter((item): item is string => typeof item === 'string') : []
  if (lapsed.length > 0) particulars.push(t('auditLog.lapsed', { list: new Intl.ListFormat(language, { type: 'conjunction' }).format(lapsed) }))
  const sentence = (): string => {
    switch (entry.action) {
      case 'create':
        return t('auditLog.action.create', { title: text(detail, 'title') ?? '' })
      case 'import':
        return t(detail['format'] === 'docx' ? 'auditLog.action.importDocx' : 'auditLog.action.importMarkdown', { title: text(detail, 'title') ?? '' })
      case 'stage':
      case 'reopen': {
        const deadline = instant('deadline')
        if (deadline) particulars.push(t('auditLog.deadline', { deadline }))
        return t(`auditLog.action.${entry.action}`, { from: stage('from'), to: stage('to') })
      }
      case 'lock':
        return t('auditLog.action.lock')
      case 'version':
        return t('auditLog.action.version', { version: text(detail, 'version') ?? '?', label: versionLabel(text(detail, 'label') ?? '', t) })
      case 'table':
      case 'edit':
      case 'cosponsor':
      case 'withdraw':
      case 'objectionReply':
      case 'reset':
        return t(`auditLog.action.${entry.action}`, { amendment })
      case 'response':
        return t(detail['agree'] === false ? 'auditLog.action.objected' : 'auditLog.action.agreed', { amendment })
      case 'lateTyping': {
        const written = text(detail, 'text')
        if (written !== null) particulars.push(t('auditLog.readThen', { text: written }))
        // Typing blind to a decision taken back (a reset) rather than to the acceptance, which the reset cleared.
        const key = text(detail, 'resetBy') === null ? 'auditLog.action.lateTyping' : 'auditLog.action.lateTypingAfterReset'
        return t(key, { amendment, paragraph: text(detail, 'paragraph') ?? '?' })
      }
      case 'lateTypingChecked': {
        const checked = text(detail, 'text')
        if (checked !== null) particulars.push(t('auditLog.readThen', { text: checked }))
        return t('auditLog.action.lateTypingChecked', { amendment, paragraph: text(detail, 'paragraph') ?? '?' })
      }
      case 'decision': {
        if (text(detail, 'vote')) particulars.push(t('auditLog.byVote'))
        const status = AmendmentStatus.safeParse(detail['status'])
        return t('auditLog.action.decision', { amendment, status: status.success ? t(`amendments.status.${status.data}`) : (text(detail, 'status') ?? '?') })
      }
      case 'compromise': {
        const merged = Array.isArray(detail['merged']) ? detail['merged'].filter((item): item is string => typeof item === 'string') : []
        return t('auditLog.action.compromise', { amendment, merged: new Intl.ListFormat(language, { type: 'conjunction' }).format(merged) })
      }
      case 'deadline': {
        const to = instant('to') ?? '?'
        const from = instant('from')
        return from ? t('auditLog.action.deadlineMoved', { from, to }) : t('auditLog.action.deadlineSet', { to })
      }
      case 'vote': {
        const on = text(detail, 'amendment')
        const opened = detail['opened'] as { kind?: unknown } | null | undefined
        const adoption = detail['subject'] === 'adoption' || (typeof opened === 'object' && opened?.kind === 'adoption')
        const closed = detail['closed'] as { passed?: unknown; yes?: unknown; no?: unknown; abstain?: unknown; notVoting?: unknown; quorumReached?: unknown } | undefined
        if (closed === undefined) return on ? t('auditLog.action.voteOpenedOn', { amendment: on }) : t(adoption ? 'auditLog.action.voteOpenedOnAdoption' : 'auditLog.action.voteOpened')
        // Entries written before the subject was recorded say only that a vote closed.
        if (!on && !adoption) return t('auditLog.action.voteClosed')
        const notApplied = text(detail, 'notApplied')
        const outcome = `${t(`votes.${voteOutcome({ passed: closed.passed === true, quorumReached: closed.quorumReached === false ? false : undefined })}`)} (${t('votes.result', closed)})${notApplied ? `. ${notAppliedText(notApplied, t)}` : ''}`
        return on ? t('auditLog.action.voteClosedOn', { amendment: on, outcome }) : t('auditLog.action.voteClosedOnAdoption', { outcome })
      }
      case 'ballot':
        return t('auditLog.action.ballot')
      case 'language':
        return t('auditLog.action.language', { language: languageName() })
      case 'confirm':
        return t('auditLog.action.confirm', { language: languageName(), paragraph: text(detail, 'paragraph') ?? '?' })
      case 'versionTitle': {
        const to = text(detail, 'to')
        return to === null ? t('auditLog.action.versionTitleCleared', { language: languageName() }) : t('auditLog.action.versionTitle', { language: languageName(), title: to })
      }
      default:
        return t('auditLog.action.unknown', { action: entry.action })
    }
  }
  return { what: sentence(), particulars }
}
