import { describe, expect, it } from 'vitest'
import { POOL_SIZE, readPool } from './clientIdPool.ts'

const storageWith = (value: string | null) => ({ getItem: () => value, setItem: () => {} })

describe('the pool of Yjs ids a person reuses in a text', () => {
  it('reads only Yjs ids (unsigned 32-bit integers), each once, at most POOL_SIZE, and anything else as an empty pool', () => {
    expect(readPool(storageWith(null), 'p.r')).toEqual([])
    expect(readPool(storageWith('not json'), 'p.r')).toEqual([])
    expect(readPool(storageWith('{"0": 12}'), 'p.r')).toEqual([])
    expect(readPool(storageWith(JSON.stringify([12, 12, -1, 2 ** 32, 1.5, '7', null, 2 ** 32 - 1])), 'p.r')).toEqual([12, 2 ** 32 - 1])
    expect(readPool(storageWith(JSON.stringify([1, 2, 3, 4, 5, 6])), 'p.r')).toHaveLength(POOL_SIZE)
  })
})
