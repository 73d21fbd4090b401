import { describe, expect, it } from 'vitest'
import { summarise } from './profile.ts'

const frame = (functionName: string, url = 'file:///app/dist/main.js', lineNumber = 0) => ({ functionName, url, lineNumber })

/**
 * (root) → run → write, and run → run (recursion) → write; (root) → (idle).
 * Samples: write at 0 ms, idle, write (recursive) in the next second, run alone.
 */
const profile = {
  nodes: [
    { id: 1, callFrame: frame('(root)', ''), children: [2, 5] },
    { id: 2, callFrame: frame('run'), children: [3, 4] },
    { id: 3, callFrame: frame('write', 'node:net', 9) },
    { id: 4, callFrame: frame('run'), children: [6] },
    { id: 5, callFrame: frame('(idle)', '') },
    { id: 6, callFrame: frame('write', 'node:net', 9) },
  ],
  samples: [3, 5, 6, 2],
  // µs before each sample: the time a sample stands for is the delta to the next one.
  timeDeltas: [0, 200_000, 900_000, 300_000],
}

describe('a CPU profile summed', () => {
  it('counts each sample for the time to the next, idle apart, and a recursive function once per sample', () => {
    const summary = summarise(profile)
    expect(summary.busyMs).toBe(500)
    expect(summary.idleMs).toBe(900)
    expect(summary.self.get('write node:net:10')).toBe(500)
    expect(summary.inclusive.get('run dist/main.js:1')).toBe(500)
    expect(summary.perSecond).toEqual([200, 300])
  })

  it('keeps a window, and the samples under one function', () => {
    expect(summarise(profile, { fromMs: 1000 }).busyMs).toBe(300)
    expect(summarise(profile, { under: 'write' }).inclusive.get('run dist/main.js:1')).toBe(500)
    expect(summarise(profile, { under: 'nothing' }).busyMs).toBe(0)
  })
})
