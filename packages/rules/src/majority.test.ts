import fc from 'fast-check'
import type { Choice, Majority } from '@hemicycle/protocol'
import { describe, expect, it } from 'vitest'
import { countChoices, defaultQuorum, majorityReached, voteOutcome, voteResult } from './majority.ts'

const ballots = (yes: number, no: number, abstain: number): Choice[] => [
  ...Array<Choice>(yes).fill('yes'),
  ...Array<Choice>(no).fill('no'),
  ...Array<Choice>(abstain).fill('abstain'),
]

describe('majorities', () => {
  const cases: Array<[Majority, number, number, boolean, string]> = [
    ['simple', 3, 2, true, 'more yes than no'],
    ['simple', 3, 3, false, 'a tie fails'],
    ['simple', 0, 0, false, 'all abstain: nothing cast, fails'],
    ['simple', 1, 0, true, 'one yes and the rest abstain'],
    ['simple', 0, 1, false, 'one no'],
    ['twoThirds', 2, 1, true, 'exactly two thirds passes'],
    ['twoThirds', 20, 10, true, 'exactly two thirds, larger'],
    ['twoThirds', 19, 10, false, 'just under two thirds'],
    ['twoThirds', 3, 2, false, 'three fifths is not two thirds'],
    ['twoThirds', 1, 1, false, 'a tie fails'],
    ['twoThirds', 0, 0, false, 'all abstain fails'],
    ['twoThirds', 1, 0, true, 'unanimous'],
  ]
  for (const [majority, yes, no, passed, why] of cases) {
    it(`${majority}, ${yes} yes, ${no} no: ${passed ? 'passes' : 'fails'} (${why})`, () => {
      expect(majorityReached(majority, yes, no)).toBe(passed)
    })
  }

  it('fail below the quorum, however unanimous, say so, and count the delegations that did not vote', () => {
    const facts = { majority: 'simple' as const, quorum: 3, delegations: 5, choices: ballots(2, 0, 0) }
    expect(voteResult({ ...facts, present: 2 })).toEqual({ passed: false, yes: 2, no: 0, abstain: 0, notVoting: 3, quorumReached: false })
    expect(voteResult({ ...facts, present: 3 })).toEqual({ passed: true, yes: 2, no: 0, abstain: 0, notVoting: 3, quorumReached: true })
    const abstained = voteResult({ majority: 'simple', quorum: 3, delegations: 5, present: 5, choices: ballots(0, 0, 5) })
    expect([abstained.passed, abstained.quorumReached]).toEqual([false, true])
    expect([voteResult({ ...facts, present: 2 }), voteResult({ ...facts, present: 3 }), abstained].map(voteOutcome)).toEqual(['failedQuorum', 'passed', 'failed'])
    // Results recorded before the quorum was kept read as they did.
    expect(voteOutcome({ passed: false })).toBe('failed')
  })

  it('set the default quorum at a majority of the roll', () => {
    expect([0, 1, 2, 5, 6, 29, 30].map(defaultQuorum)).toEqual([1, 1, 2, 3, 4, 15, 16])
  })
})

const count = fc.integer({ min: 0, max: 60 })
const majority = fc.constantFrom<Majority>('simple', 'twoThirds')

/** The contract restated without multiplication: two thirds of yes and no means no more than half as many no as yes. */
const reference = (kind: Majority, yes: number, no: number) => yes + no > 0 && (kind === 'simple' ? yes > no : no <= yes / 2)

describe('majorities, as properties', () => {
  it('agree with the contract restated', () => {
    fc.assert(
      fc.property(majority, count, count, (kind, yes, no) => {
        expect(majorityReached(kind, yes, no)).toBe(reference(kind, yes, no))
      }),
    )
  })

  it('never lose a vote by one more yes, nor win it by one more no', () => {
    fc.assert(
      fc.property(majority, count, count, (kind, yes, no) => {
        if (majorityReached(kind, yes, no)) expect(majorityReached(kind, yes + 1, no)).toBe(true)
        if (!majorityReached(kind, yes, no)) expect(majorityReached(kind, yes, no + 1)).toBe(false)
      }),
    )
  })

  it('pass by simple majority whatever passes by two thirds', () => {
    fc.assert(fc.property(count, count, (yes, no) => !majorityReached('twoThirds', yes, no) || majorityReached('simple', yes, no)))
  })

  it('are not changed by abstentions once the quorum is met', () => {
    fc.assert(
      fc.property(majority, count, count, count, (kind, yes, no, abstain) => {
        const delegations = yes + no + abstain
        const result = voteResult({ majority: kind, quorum: 0, delegations, present: delegations, choices: ballots(yes, no, abstain) })
        expect(result.passed).toBe(majorityReached(kind, yes, no))
        expect(result.yes + result.no + result.abstain + result.notVoting).toBe(delegations)
        expect(countChoices(ballots(yes, no, abstain))).toEqual({ yes, no, abstain })
      }),
    )
  })
})
