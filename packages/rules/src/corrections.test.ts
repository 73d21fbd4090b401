import { Role, Stage } from '@hemicycle/protocol'
import { describe, expect, it } from 'vitest'
import { checkDecisionReset, checkObjectionReply } from './corrections.ts'

const STATUSES = ['tabled', 'withdrawn', 'accepted', 'acceptedModified', 'rejected', 'merged', 'obsolete', 'lapsed']

describe('correcting the record', () => {
  it('resets a decision for chairs and the secretariat, during consolidation only, for accepted, modified or rejected amendments', () => {
    for (const role of Role.options) {
      for (const stage of Stage.options) {
        for (const status of STATUSES) {
          const refusal = checkDecisionReset(role, stage, { number: 'A1', status })
          const allowed = (role === 'chair' || role === 'secretariat') && stage === 'consolidation' && ['accepted', 'acceptedModified', 'rejected'].includes(status)
          expect({ role, stage, status, allowed: refusal === null }).toEqual({ role, stage, status, allowed })
          if (refusal) {
            expect(refusal.status).toBe(role === 'chair' || role === 'secretariat' ? 409 : 403)
            expect(refusal.message.length).toBeGreaterThan(15)
          }
        }
      }
    }
  })

  it('says why: a locked text, a merged amendment, nothing decided', () => {
    expect(checkDecisionReset('secretariat', 'final', { number: 'A1', status: 'accepted' })).toMatchObject({ code: 'locked' })
    expect(checkDecisionReset('secretariat', 'consolidation', { number: 'A1', status: 'merged' })).toMatchObject({ code: 'merged' })
    expect(checkDecisionReset('secretariat', 'consolidation', { number: 'A1', status: 'tabled' })).toMatchObject({ code: 'not_decided' })
    expect(checkDecisionReset('secretariat', 'consolidation', { number: 'A1', status: 'accepted', byVote: true })).toMatchObject({ status: 409, code: 'decided_by_vote' })
    expect(checkDecisionReset('chair', 'consolidation', { number: 'A1', status: 'rejected', byVote: false })).toBeNull()
    expect(checkDecisionReset('chair', 'consolidation', { number: 'A1', status: 'accepted', earlierRound: true })).toMatchObject({ status: 409, code: 'earlier_round' })
  })

  it('answers an objection for chairs and the secretariat while it stands, during consolidation or at the lock', () => {
    const objection = { id: 'a', number: 'A1', status: 'acceptedModified', response: { agree: false }, objectionReply: null }
    for (const role of Role.options) {
      for (const stage of Stage.options) {
        const allowed = (role === 'chair' || role === 'secretariat') && (stage === 'consolidation' || stage === 'final')
        expect({ role, stage, allowed: checkObjectionReply(role, stage, objection) === null }).toEqual({ role, stage, allowed })
      }
    }
    expect(checkObjectionReply('chair', 'consolidation', { ...objection, objectionReply: { at: '2026-11-24T10:00:00Z' } })).toMatchObject({ status: 409, code: 'no_objection' })
    expect(checkObjectionReply('chair', 'consolidation', { ...objection, response: { agree: true } })).toMatchObject({ code: 'no_objection' })
    expect(checkObjectionReply('chair', 'consolidation', { ...objection, status: 'accepted' })).toMatchObject({ code: 'no_objection' })
  })
})
