import type { Run } from '@hemicycle/amendments'
import { wordingDigest } from '@hemicycle/translations'
import { describe, expect, it } from 'vitest'
import { digestOfRuns } from './texts.ts'

describe('the digest of a wording on the server', () => {
  it('is the digest pages compute, for every form of a wording, and is computed again for other runs', () => {
    const wordings: Run[][] = [
      [],
      [{ text: '' }],
      [{ text: 'Le Conseil ' }, { text: 'décide', bold: true }, { text: ' de renforcer', italic: true }],
      [{ text: 'e\u0301te\u0301' }],
      [{ text: 'un \ud800 isolé, 💶, « guillemets »' }],
    ]
    for (const runs of wordings) {
      expect(digestOfRuns(runs)).toBe(wordingDigest(runs))
      expect(digestOfRuns(runs)).toBe(wordingDigest(runs))
    }
    expect(digestOfRuns([{ text: 'a' }])).not.toBe(digestOfRuns([{ text: 'b' }]))
  })
})
