import { describe, expect, it } from 'vitest'
import { amendmentLabel, findCollisions, rebase } from './amendment.ts'

const base = 'Nous devons investir dans les têtes pour nourrir tous les talents.'

describe('rebase', () => {
  it('gives the proposal itself on an untouched paragraph', () => {
    const proposal = { kind: 'replace' as const, blockId: 'b', baseText: base, text: base.replace('têtes', 'esprits') }
    expect(rebase(proposal, base)).toMatchObject({ state: 'clean', text: proposal.text })
  })

  it('carries the proposal onto a paragraph that moved on elsewhere, and shows the rebased change', () => {
    const proposal = { kind: 'replace' as const, blockId: 'b', baseText: base, text: base.replace('têtes', 'esprits') }
    const current = base.replace('tous les', 'chacun des')
    const rebased = rebase(proposal, current)
    expect(rebased).toMatchObject({ state: 'clean', text: 'Nous devons investir dans les esprits pour nourrir chacun des talents.' })
    if (rebased.state === 'clean') expect(rebased.diff.filter(([op]) => op !== 0)).toEqual([[-1, 'têtes'], [1, 'esprits']])
  })

  it('reports a conflict when the same words changed, and obsolescence when the block is gone', () => {
    const proposal = { kind: 'replace' as const, blockId: 'b', baseText: base, text: base.replace('têtes', 'esprits') }
    expect(rebase(proposal, base.replace('têtes', 'cerveaux'))).toMatchObject({ state: 'conflict' })
    expect(rebase(proposal, null)).toEqual({ state: 'obsolete' })
  })

  it('deletes only a paragraph that has not changed since', () => {
    const proposal = { kind: 'delete' as const, blockId: 'b', baseText: base, text: '' }
    expect(rebase(proposal, base)).toMatchObject({ state: 'clean', text: '' })
    expect(rebase(proposal, `${base} Ajout.`)).toMatchObject({ state: 'conflict' })
  })
})

describe('collisions', () => {
  it('pair amendments changing the same words of a paragraph, and only those', () => {
    const candidates = [
      { id: 'a1', kind: 'replace' as const, blockId: 'b', baseText: base, text: base.replace('têtes', 'esprits') },
      { id: 'a2', kind: 'replace' as const, blockId: 'b', baseText: base, text: base.replace('têtes', 'cerveaux') },
      { id: 'a3', kind: 'replace' as const, blockId: 'b', baseText: base, text: base.replace('talents', 'talents, partout') },
      { id: 'a4', kind: 'insertAfter' as const, blockId: 'b', baseText: base, text: 'Nouveau.' },
      { id: 'a5', kind: 'replace' as const, blockId: 'c', baseText: 'Autre.', text: 'Autre chose.' },
    ]
    const collisions = findCollisions(candidates, (id) => (id === 'b' ? base : 'Autre.'))
    expect([...(collisions.get('a1') ?? [])]).toEqual(['a2'])
    expect(collisions.has('a3')).toBe(false)
    expect(collisions.has('a4')).toBe(false)
    expect(collisions.has('a5')).toBe(false)
  })

  it('make a deletion collide with every other change to its block', () => {
    const collisions = findCollisions(
      [
        { id: 'd', kind: 'delete', blockId: 'b', baseText: base, text: '' },
        { id: 'r', kind: 'replace', blockId: 'b', baseText: base, text: `${base} Ajout.` },
      ],
      () => base,
    )
    expect(collisions.get('d')).toEqual(new Set(['r']))
  })

  it('label amendments as people cite them', () => {
    expect(amendmentLabel(12, 4)).toBe('A12 · §4')
  })
})
