import { MeetingKind, Role, Stage } from '@hemicycle/protocol'
import { describe, expect, it } from 'vitest'
import { adoptingBody, checkVoteOpening } from './voting.ts'

describe('opening a vote, for every role, body, subject and stage', () => {
  for (const role of Role.options) {
    it(`by ${role}`, () => {
      for (const meeting of MeetingKind.options) {
        for (const stage of Stage.options) {
          for (const status of ['tabled', 'accepted', 'withdrawn']) {
            const conducts = role === 'secretariat' || role === 'chair'
            const amendment = checkVoteOpening(role, meeting, { kind: 'amendment', stage, status })
            expect({ meeting, stage, status, allowed: amendment === null }).toEqual({
              meeting,
              stage,
              status,
              allowed: conducts && stage === 'consolidation' && status === 'tabled',
            })
            if (!conducts) expect(amendment?.status).toBe(403)
          }
          const adoption = checkVoteOpening(role, meeting, { kind: 'adoption', stage })
          expect({ meeting, stage, allowed: adoption === null }).toEqual({
            meeting,
            stage,
            allowed: (role === 'secretariat' || role === 'chair') && stage === 'final' && meeting !== 'workingGroup',
          })
        }
      }
    })
  }

  it('names the adopting body after the meeting', () => {
    expect(MeetingKind.options.map(adoptingBody)).toEqual(['Council', 'Steering Committee', 'Conference', null])
  })
})
