import type { AuditEntry } from '@hemicycle/protocol'
import type { i18n as I18n } from 'i18next'
import { beforeAll, describe, expect, it } from 'vitest'
import { setupI18n } from '../../i18n/index.ts'
import { auditSentence } from './auditSentence.ts'

let i18n: I18n

beforeAll(async () => {
  i18n = await setupI18n('fr')
})

const entry = (action: string, detail: Record<string, unknown>): AuditEntry => ({ id: 1, at: '2026-11-28T09:00:00.000Z', person: 'p', delegation: null, action, resolutionId: 'r', detail })

function say(action: string, detail: Record<string, unknown>, language = 'fr', zone = 'Europe/Paris') {
  return auditSentence(entry(action, detail), i18n.getFixedT(language), language, zone)
}

describe('an audit entry in plain language', () => {
  it('says each action as a sentence of the interface’s language, with its particulars', () => {
    expect(say('table', { amendment: 'A3', amendmentId: 'x' }).what).toBe('A déposé l’amendement A3')
    expect(say('table', { amendment: 'A3' }, 'es').what).toBe('Presentó la enmienda A3')
    expect(say('decision', { amendment: 'A2', status: 'acceptedModified' }).what).toBe('A statué sur l’amendement A2\u00a0: Adopté modifié')
    expect(say('stage', { from: 'draft', to: 'amendments', deadline: '2026-12-01T17:00:00.000Z' })).toEqual({
      what: 'A fait passer la résolution de «\u00a0Projet\u00a0» à «\u00a0Amendements ouverts\u00a0»',
      particulars: [expect.stringMatching(/^Date limite de dépôt des amendements\u00a0: 1 déc\. 2026.*18:00 UTC\+1$/)],
    })
    expect(say('reopen', { from: 'amendments', to: 'draft', reason: 'Texte à revoir', lapsed: ['A1', 'A4'] }, 'en').particulars).toEqual(['Reason given: Texte à revoir', 'Lapsed: A1 and A4'])
    expect(say('import', { title: 'Cohésion', format: 'docx' }).what).toBe('A créé la résolution «\u00a0Cohésion\u00a0» à partir d’un fichier Word')
    expect(say('compromise', { amendment: 'A7', merged: ['A2', 'A5'] }).what).toBe('A établi le compromis A7 à partir de A2 et A5')
    expect(say('lateTyping', { amendment: 'A3', paragraph: 4, typist: 'Amina Diallo', text: 'Nous devons agir rapidements.' }, 'en')).toEqual({
      what: 'Typed in the words of amendment A3 (§4) before its acceptance had reached the screen: the paragraph differs from the decision',
      particulars: ['The paragraph then read: “Nous devons agir rapidements.”'],
    })
    expect(say('lateTyping', { amendment: 'A3', paragraph: 4, typist: 'Amina Diallo', resetBy: 'p', text: 'Nous devons agir vites.' }, 'en').what).toBe(
      'Typed in the words of amendment A3 (§4) before the decision’s reset had reached the screen: the paragraph differs from the text as it stood before the decision',
    )
    // A vote names its subject and, closed, its outcome; a decision it made says so.
    expect(say('vote', { vote: 'v', opened: { kind: 'amendment', amendmentId: 'x' }, amendment: 'A3', majority: 'simple', quorum: 3 }).what).toBe('A ouvert un vote sur l’amendement A3')
    expect(say('vote', { vote: 'v', subject: 'amendment', amendment: 'A3', closed: { passed: true, yes: 3, no: 1, abstain: 0, notVoting: 1 } }, 'en').what).toBe(
      'Closed the vote on amendment A3: Passed (Yes 3 · No 1 · Abstain 0 · Not voting 1)',
    )
    expect(say('vote', { vote: 'v', subject: 'adoption', closed: { passed: false, yes: 1, no: 2, abstain: 0, notVoting: 0 } }, 'es').what).toMatch(/^Cerró la votación sobre la adopción de la resolución: /)
    expect(say('vote', { vote: 'v', closed: { passed: true } }, 'en').what).toBe('Closed a vote')
    expect(say('vote', { vote: 'v', subject: 'amendment', amendment: 'A4', closed: { passed: false, yes: 4, no: 0, abstain: 0, notVoting: 1, quorumReached: false } }, 'en').what).toBe(
      'Closed the vote on amendment A4: Not passed: quorum not reached (Yes 4 · No 0 · Abstain 0 · Not voting 1)',
    )
    // A vote whose subject could no longer take its result says so: the minutes never read "passed" for an unchanged text.
    expect(say('vote', { vote: 'v', subject: 'amendment', amendment: 'A7', closed: { passed: true, yes: 5, no: 0, abstain: 0, notVoting: 0 }, notApplied: 'obsolete' }, 'en').what).toBe(
      'Closed the vote on amendment A7: Passed (Yes 5 · No 0 · Abstain 0 · Not voting 0). Not applied. This amendment no longer applies: its paragraph is gone.',
    )
    expect(say('vote', { vote: 'v', subject: 'amendment', amendment: 'A7', closed: { passed: true, yes: 5, no: 0, abstain: 0, notVoting: 0 }, notApplied: 'obsolete' }).what).toBe(
      'A clos le vote sur l’amendement A7\u00a0: Adopté (Pour 5 · Contre 0 · Abstention 0 · Sans vote 0). Non appliqué. Cet amendement est devenu sans objet : son paragraphe a disparu.',
    )
    // A ballot says who cast it, never how (the closing entry carries the roll-call).
    expect(say('ballot', { vote: 'v', meeting: 'm', delegation: 'fr-pp', replacesEarlier: true }, 'en')).toEqual({ what: 'Cast the delegation’s ballot', particulars: [] })
    expect(
      say('vote', { vote: 'v', subject: 'amendment', amendment: 'A3', closed: { passed: true, yes: 1, no: 0, abstain: 0, notVoting: 0 }, ballots: [{ delegation: 'fr-pp', choice: 'yes', castBy: 'p', at: 'x' }] }, 'en').what,
    ).toBe('Closed the vote on amendment A3: Passed (Yes 1 · No 0 · Abstain 0 · Not voting 0)')
    expect(say('decision', { amendment: 'A3', status: 'accepted', vote: 'v' }, 'en').particulars).toEqual(['Decided by the meeting’s vote'])
    // A version's title, given and taken back.
    expect(say('versionTitle', { language: 'es', from: null, to: 'Resolución: cohesión social' }, 'en').what).toBe('Titled the Spanish version “Resolución: cohesión social”')
    expect(say('versionTitle', { language: 'en', from: 'Resolution', to: null }).what).toMatch(/^A redonné à la version en anglais le titre de l’original$/)
  })

  it('gives deadlines in the viewer’s zone: Santiago and Kuala Lumpur name the same instant each in its own time', () => {
    const detail = { from: '2026-12-01T17:00:00.000Z', to: '2026-12-02T17:00:00.000Z' }
    expect(say('deadline', detail, 'fr', 'America/Santiago').what).toMatch(/du 1 déc\. 2026.*14:00 UTC−3 au 2 déc\. 2026.*14:00 UTC−3$/)
    expect(say('deadline', detail, 'fr', 'Asia/Kuala_Lumpur').what).toMatch(/du 2 déc\. 2026.*01:00 UTC\+8 au 3 déc\. 2026.*01:00 UTC\+8$/)
    expect(say('deadline', { from: null, to: '2026-12-02T17:00:00.000Z' }, 'fr', 'UTC').what).toMatch(/^A fixé la date limite de dépôt des amendements\u00a0: 2 déc\. 2026.*17:00 UTC\+0$/)
  })

  it('names an action it does not know, and survives a detail of the wrong shape', () => {
    expect(say('teleport', { anything: 1 }).what).toBe('A enregistré une action que cette page ne décrit pas («\u00a0teleport\u00a0»)')
    expect(say('decision', { amendment: 5, status: 'vanished' }).what).toBe('A statué sur l’amendement 5\u00a0: vanished')
    expect(say('stage', { from: ['x'], to: null, deadline: 'not a date' })).toEqual({ what: 'A fait passer la résolution de «\u00a0?\u00a0» à «\u00a0?\u00a0»', particulars: [] })
  })
})
