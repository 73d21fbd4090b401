import type { Notification } from '@hemicycle/protocol'
import type { TFunction } from 'i18next'
import { formatInstant } from '../format.ts'

/** What a notification says, worded in the interface's language from the facts the server sent; reasons and comments are quoted as written. */
export function notificationText(notification: Notification, t: TFunction, language: string): string {
  const subject = notification.subject
  const when = (iso: string) => formatInstant(iso, language, notification.timeZone)
  switch (subject.kind) {
    case 'stage':
      return [
        t('notifications.stage', { by: subject.by, from: t(`stage.${subject.from}`), to: t(`stage.${subject.to}`) }),
        subject.deadline ? t('notifications.until', { when: when(subject.deadline) }) : '',
        subject.reason ? t('notifications.reason', { reason: subject.reason }) : '',
      ]
        .filter(Boolean)
        .join(' ')
    case 'deadline':
      return t('notifications.deadline', { by: subject.by, when: when(subject.deadline) })
    case 'deadlineSoon':
      return t('notifications.deadlineSoon', { when: when(subject.deadline) })
    case 'answerAwaited':
      return t(`notifications.answerAwaited.${subject.status}`, { by: subject.by, amendment: subject.amendment })
    case 'objection':
      return [t('notifications.objection', { delegation: subject.delegation, amendment: subject.amendment }), subject.comment ? t('notifications.comment', { comment: subject.comment }) : '']
        .filter(Boolean)
        .join(' ')
    case 'decisionReset':
      return t('notifications.decisionReset', { by: subject.by, amendment: subject.amendment, reason: subject.reason })
    case 'cosponsorAgain':
      return t('notifications.cosponsorAgain', { by: subject.by, amendment: subject.amendment })
    case 'lateTyping':
      return t('notifications.lateTyping', { typist: subject.typist, amendment: subject.amendment, paragraph: subject.paragraph, text: subject.text })
  }
}
