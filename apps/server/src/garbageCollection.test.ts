import { getHeapStatistics } from 'node:v8'
import { expect, it } from 'vitest'
import { collectGarbage } from './garbageCollection.ts'

let kept: Array<{ index: number; text: string }> | null = null

it('frees garbage in the old generation and gives the heap back', async () => {
  // Kept across a collection, so it lives in the old generation, where V8 otherwise waits before collecting.
  kept = Array.from({ length: 400_000 }, (_, index) => ({ index, text: `paragraph ${index}` }))
  await collectGarbage()
  expect(kept).toHaveLength(400_000)
  const before = getHeapStatistics()
  kept = null
  await collectGarbage()
  const after = getHeapStatistics()
  const MiB = 2 ** 20
  expect((before.used_heap_size - after.used_heap_size) / MiB).toBeGreaterThan(20)
  expect((before.total_heap_size - after.total_heap_size) / MiB).toBeGreaterThan(20)
})
