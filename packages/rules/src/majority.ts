import type { Choice, Majority, VoteResult } from '@hemicycle/protocol'

/**
 * How a vote is decided (CONTRACT.md, "Meetings and votes"). Abstentions are
 * not votes cast. A simple majority needs more yes than no; two thirds needs
 * yes to be at least two thirds of yes and no. A vote with no votes cast
 * (everyone abstained) fails, and so does one below its quorum. Counted in
 * integers: "exactly two thirds" must not depend on rounding.
 */
export function majorityReached(majority: Majority, yes: number, no: number): boolean {
  const cast = yes + no
  if (cast === 0) return false
  return majority === 'simple' ? yes > no : 3 * yes >= 2 * cast
}

/** The quorum when the meeting sets none: a majority of the delegations on the roll. */
export function defaultQuorum(delegationsOnRoll: number): number {
  return Math.floor(delegationsOnRoll / 2) + 1
}

export interface Count {
  yes: number
  no: number
  abstain: number
}

export function countChoices(choices: readonly Choice[]): Count {
  const count = { yes: 0, no: 0, abstain: 0 }
  for (const choice of choices) count[choice] += 1
  return count
}

export interface VoteFacts {
  majority: Majority
  quorum: number
  /** Delegations on the roll. */
  delegations: number
  /** Delegations present with a vote when the vote closes, those that voted included. */
  present: number
  /** One choice per delegation that voted. */
  choices: readonly Choice[]
}

export function voteResult({ majority, quorum, delegations, present, choices }: VoteFacts): VoteResult {
  const { yes, no, abstain } = countChoices(choices)
  const quorumReached = present >= quorum
  return {
    passed: quorumReached && majorityReached(majority, yes, no),
    yes,
    no,
    abstain,
    notVoting: Math.max(0, delegations - choices.length),
    // Kept so the record says why a vote whose counts would pass did not: "3 in favour, none against, rejected" reads as a wrong count.
    quorumReached,
  }
}

/** How a result reads: passed, failed on its counts, or failed for want of a quorum whatever its counts. */
export function voteOutcome(result: Pick<VoteResult, 'passed' | 'quorumReached'>): 'passed' | 'failed' | 'failedQuorum' {
  return result.passed ? 'passed' : result.quorumReached === false ? 'failedQuorum' : 'failed'
}
