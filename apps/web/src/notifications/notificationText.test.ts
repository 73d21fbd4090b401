import type { Notification } from '@hemicycle/protocol'
import i18next from 'i18next'
import { beforeAll, describe, expect, it } from 'vitest'
import { setupI18n } from '../i18n/index.ts'
import { notificationText } from './notificationText.ts'

beforeAll(() => setupI18n('fr'))

const base = { id: 'n1', at: '2026-11-23T09:00:00.000Z', read: false, resolutionId: 'r1', resolutionTitle: 'Cohésion sociale', timeZone: 'Asia/Kuala_Lumpur' }
const text = (subject: Notification['subject'], language = 'fr') => notificationText({ ...base, subject }, i18next.getFixedT(language), language).replace(/[\u00a0\u202f]/g, ' ')

describe('notifications', () => {
  it('say in the interface’s language why the text went back, and quote the reason as written', () => {
    expect(text({ kind: 'stage', from: 'amendments', to: 'draft', by: 'Mateo Rojas', reason: 'Le texte doit être réécrit.' })).toBe(
      'Mateo Rojas a fait passer le texte de « Amendements ouverts » à « Projet ». Motif : Le texte doit être réécrit.',
    )
    expect(text({ kind: 'stage', from: 'draft', to: 'amendments', by: 'Amina Diallo', deadline: '2026-11-30T10:00:00.000Z' }, 'es')).toBe(
      'Amina Diallo pasó el texto de «Proyecto» a «Enmiendas abiertas». Las enmiendas pueden presentarse hasta el 30 nov 2026, 18:00 GMT+8.',
    )
  })

  it('carry an objection’s comment and a reset’s reason to those who must act on them', () => {
    expect(text({ kind: 'objection', amendmentId: 'a', amendment: 'A2', delegation: 'Parti progressiste', by: 'Claire Martin', comment: 'Nous tenons à notre rédaction.' })).toBe(
      'Parti progressiste s’oppose à la décision sur A2. « Nous tenons à notre rédaction. »',
    )
    expect(text({ kind: 'decisionReset', amendmentId: 'a', amendment: 'A1', by: 'Ingrid Johansson', reason: 'Vote à refaire.' }, 'en')).toBe(
      'Ingrid Johansson reset the decision on A1, which is tabled again. Reason: Vote à refaire.',
    )
    expect(text({ kind: 'deadlineSoon', deadline: '2026-11-30T10:00:00.000Z' })).toBe('Le dépôt ferme bientôt : 30 nov. 2026, 18:00 UTC+8.')
  })

  it('say whose typing landed in which amendment’s words unseen, and quote the paragraph as it now reads, in every language', () => {
    const subject = { kind: 'lateTyping' as const, amendmentId: 'a', amendment: 'A3', paragraph: 4, typist: 'Amina Diallo', text: 'Nous devons agir rapidements.' }
    expect(text(subject, 'en')).toBe(
      'Typing by Amina Diallo landed in the words of A3 (§4) before the decision had reached their screen: the paragraph now differs from the decision. It reads: “Nous devons agir rapidements.”',
    )
    expect(text(subject)).toContain('A3 (§4)')
    expect(text(subject)).toContain('« Nous devons agir rapidements. »')
    expect(text(subject, 'es')).toContain('«Nous devons agir rapidements.»')
  })
})
