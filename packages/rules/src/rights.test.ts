import { Role, Stage } from '@hemicycle/protocol'
import { describe, expect, it } from 'vitest'
import { mayEditText, readOnlyReason, textOpenToEditing } from './rights.ts'

const expected: Record<string, Role[]> = {
  draft: ['secretariat', 'delegate', 'chair', 'steering'],
  amendments: [],
  consolidation: ['secretariat', 'chair'],
  final: [],
  adopted: [],
}

describe('direct edits of the text', () => {
  for (const stage of Stage.options) {
    for (const role of Role.options) {
      const allowed = expected[stage]!.includes(role)
      it(`are ${allowed ? 'allowed' : 'refused'} to a ${role} in ${stage}`, () => {
        expect(mayEditText(stage, role)).toBe(allowed)
        expect(readOnlyReason(stage, role) === null).toBe(allowed)
      })
    }
  }

  it('are open to someone in the draft and at consolidation only: the server repairs typed text then, never after the lock', () => {
    expect(Stage.options.filter(textOpenToEditing)).toEqual(['draft', 'consolidation'])
  })

  it('are refused to observers because they observe, whatever the stage', () => {
    for (const stage of Stage.options) expect(readOnlyReason(stage, 'observer')).toBe('observer')
  })
})
