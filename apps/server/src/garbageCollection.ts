import { Session } from 'node:inspector/promises'

/**
 * Asks V8 for the collection it makes when the system says memory is low:
 * full, repeated until nothing more is freed, compacting, and giving the
 * heap's empty pages back to the system. It stops the process while it
 * runs (measured: 160–200 ms with 150 MiB of heap, 30 MiB of it live), so
 * it is for quiet moments only. The in-process inspector session opens no port and enables
 * nothing; it is the one way to reach this collection without starting
 * node with a flag (`--expose-gc`'s `gc()` collects without giving back).
 */
export async function collectGarbage(): Promise<void> {
  const session = new Session()
  session.connect()
  try {
    await session.post('HeapProfiler.collectGarbage')
  } finally {
    session.disconnect()
  }
}
