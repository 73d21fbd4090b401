import { Stage } from '@hemicycle/protocol'
import { describe, expect, it } from 'vitest'
import { lapsesOnMove } from './lapsing.ts'
import { TRANSITIONS } from './lifecycle.ts'

describe('tabled amendments on a stage move', () => {
  it('lapse when the text returns to draft or is locked over them, and stay on the table otherwise', () => {
    const lapsing = TRANSITIONS.filter((transition) => lapsesOnMove(transition.from, transition.to)).map((transition) => `${transition.from}→${transition.to}`)
    expect(lapsing).toEqual(['amendments→draft', 'consolidation→final'])
    for (const from of Stage.options) expect(lapsesOnMove(from, 'amendments')).toBe(false)
  })
})
