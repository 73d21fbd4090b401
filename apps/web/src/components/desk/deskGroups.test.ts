import type { Amendment } from '@hemicycle/protocol'
import type { NumberedBlock } from '@hemicycle/schema'
import { describe, expect, it } from 'vitest'
import { collisionClusters, deskGroups } from './deskGroups.ts'

const amendment = (number: number, blockId: string | null, collidesWith: number[] = []) =>
  ({ id: `a${number}`, number: `A${number}`, blockId, collidesWith: collidesWith.map((other) => `a${other}`) }) as Amendment
const block = (blockId: string, paragraph: number): NumberedBlock => ({ blockId, paragraph, numbered: true, firstLine: paragraph, lastLine: paragraph, label: String(paragraph), lineLabels: [String(paragraph)], text: '' })
const numbers = (clusters: Amendment[][]) => clusters.map((cluster) => cluster.map((a) => a.number))

describe('collisionClusters', () => {
  it('puts amendments that collide, even through a third, together and first; the others alone, in number order', () => {
    const list = [amendment(5, 'b'), amendment(1, 'b', [4]), amendment(2, 'b'), amendment(4, 'b', [1, 6]), amendment(6, 'b', [4])]
    expect(numbers(collisionClusters(list))).toEqual([['A1', 'A4', 'A6'], ['A2'], ['A5']])
  })

  it('ignores a collision with an amendment not shown in the group', () => {
    expect(numbers(collisionClusters([amendment(1, 'b', [9]), amendment(2, 'b')]))).toEqual([['A1'], ['A2']])
  })
})

describe('deskGroups', () => {
  it('follows the order of the live text, not the § numbers given at tabling, with the start first and vanished blocks last', () => {
    const groups = deskGroups([block('z', 1), block('y', 2), block('x', 3)], [amendment(1, 'x'), amendment(2, 'z'), amendment(3, 'gone'), amendment(4, null)])
    expect(groups.map((group) => [group.key, group.place, numbers(group.clusters)])).toEqual([
      ['start', 'start', [['A4']]],
      ['block:z', 'block', [['A2']]],
      ['block:x', 'block', [['A1']]],
      ['gone', 'gone', [['A3']]],
    ])
  })

  it('keeps a block whose id reads "start" or "gone" apart from the start of the text and from blocks gone', () => {
    const groups = deskGroups([block('start', 1), block('gone', 2)], [amendment(1, null), amendment(2, 'start'), amendment(3, 'gone'), amendment(4, 'vanished')])
    expect(groups.map((group) => [group.place, numbers(group.clusters)])).toEqual([
      ['start', [['A1']]],
      ['block', [['A2']]],
      ['block', [['A3']]],
      ['gone', [['A4']]],
    ])
    expect(new Set(groups.map((group) => group.key)).size).toBe(4)
  })
})
