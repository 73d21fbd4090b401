import { encodeBody, schema, withBlockIds } from '@hemicycle/schema'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { mergeCase, show } from '../test/diff3.ts'
import { rebase } from './amendment.ts'
import { type AppliedChange, applyAmendment, revertApplied } from './applied.ts'
import { blockRuns } from './document.ts'
import { runsOfTokens, tokensOfRuns } from './tokens.ts'
import type { Run } from './inline.ts'

/**
 * Two amendments to one paragraph accepted one after the other (as a bulk
 * acceptance does), then both decisions reset, in either order: the
 * paragraph must read exactly as before, or a reset be refused. (That the
 * first reset must not take back words the other still stands for is the
 * service's check: see apps/server/test/corrections.test.ts.)
 */
const CASES = 2000

function docOf(runs: Run[]): { doc: Y.Doc; id: string } {
  const paragraph = schema.node('paragraph', null, runs.length ? runs.map((run) => schema.text(run.text, [...(run.bold ? [schema.marks['bold']!.create()] : []), ...(run.italic ? [schema.marks['italic']!.create()] : [])])) : [])
  const content = withBlockIds(schema.node('doc', null, [paragraph]))
  const doc = new Y.Doc()
  Y.applyUpdate(doc, encodeBody(content))
  return { doc, id: content.child(0).attrs['id'] as string }
}

function accept(doc: Y.Doc, id: string, base: Run[], proposal: Run[]): AppliedChange | 'conflict' | 'unchanged' {
  const rebased = rebase({ kind: 'replace', blockId: id, base, wording: [proposal] }, blockRuns(doc, id))
  if (rebased.state !== 'clean') return 'conflict'
  if (rebased.unchanged) return 'unchanged'
  let applied: AppliedChange | null = null
  doc.transact(() => (applied = applyAmendment(doc, 'replace', id, rebased.wording)))
  return JSON.parse(JSON.stringify(applied)) as AppliedChange
}

describe('two accepted amendments reset one after the other', () => {
  it('give back the paragraph exactly, in either order, or are refused', () => {
    const wrong: string[] = []
    for (let i = 0; i < CASES; i++) {
      const made = mergeCase(i + 1)
      const base = runsOfTokens(made.base)
      for (const order of [[0, 1], [1, 0]] as const) {
        const { doc, id } = docOf(base)
        const proposals = [runsOfTokens(made.current), runsOfTokens(made.proposal)]
        const a = accept(doc, id, base, proposals[0]!)
        if (typeof a === 'string') continue
        const b = accept(doc, id, base, proposals[1]!)
        if (typeof b === 'string') continue
        const applied = [a, b]
        const first = revertApplied(doc, applied[order[0]]!)
        if (!first.ok) continue
        const second = revertApplied(doc, applied[order[1]]!)
        if (!second.ok) continue
        const now = show(tokensOfRuns(blockRuns(doc, id)!))
        if (now !== show(made.base)) wrong.push(`seed ${made.seed} order ${order}: base ${show(made.base)} | A ${show(made.current)} | B ${show(made.proposal)} | after both resets ${now}`)
      }
    }
    expect(wrong.slice(0, 4)).toEqual([])
  })
})
