import { describe, expect, it } from 'vitest'
import { indentation, indentSteps, MAX_INDENT_SHARE } from './indentation.ts'

describe('the indentation of a nested block', () => {
  it('is one step a level at the depths people write, as before', () => {
    // The PDF's column and steps: 443 points, 18 a level.
    for (const depth of [0, 1, 2, 3, 5, 9]) expect(indentation(depth, 18, 443.28)).toBe(depth * 18)
  })

  it('stops growing before it takes more than 40% of the text\'s width, however deep the block (the schema allows 32 levels)', () => {
    expect(MAX_INDENT_SHARE).toBe(0.4)
    for (const [step, width] of [[18, 443.28], [567, 9638], [1.8, 33.6], [10, 221.6]] as const) {
      const deepest = indentation(32, step, width)
      expect(deepest).toBeLessThanOrEqual(0.4 * width)
      // The last whole step that fits: one more would pass the share.
      expect(deepest + step).toBeGreaterThan(0.4 * width)
      for (let depth = 0; depth <= 32; depth++) expect(indentation(depth, step, width)).toBeLessThanOrEqual(deepest)
    }
    expect(indentSteps(20, 18, 443.28)).toBe(9)
    expect(indentSteps(26, 567, 9638)).toBe(6)
  })

  it('never sets a block out of its column: no step wider than the share, and no negative depth, indents at all', () => {
    expect(indentation(5, 300, 443.28)).toBe(0)
    expect(indentation(-1, 18, 443.28)).toBe(0)
  })
})
