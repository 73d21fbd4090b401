import type { Logger } from '../../logger.ts'
import type { Extension } from '../extension.ts'

export interface MemoryReleaseOptions {
  /** How long nothing must happen on any live document, after one unloaded, before memory is given back. */
  quietMs: number
  /** Gives memory back (`garbageCollection.ts`); it stops the process while it runs. */
  collect: () => Promise<void>
  logger: Pick<Logger, 'warn'>
}

/**
 * Gives back the memory of unloaded documents once the server is quiet.
 * An unloaded document leaves only garbage, but V8 keeps it: its own
 * memory-reducing collection waits for the allocation rate to fall, which
 * it measures at collections, so after a busy hour followed by silence the
 * heap stays as large as the busy hour left it (measured: 1,000 documents
 * unloaded, 125 MiB of old space of which 30 MiB live, still there 60 s and
 * more later). A full collection when nothing has happened on any live
 * document for `quietMs` gives it back; the pause it costs (about 160 ms at
 * that size) falls when nobody is typing, joining or leaving, and happens
 * once per quiet spell after unloads, never while documents are busy.
 */
export function memoryRelease({ quietMs, collect, logger }: MemoryReleaseOptions): Extension {
  let lastActivity = performance.now()
  let due = false
  let timer: NodeJS.Timeout | null = null
  let destroyed = false

  const active = () => {
    lastActivity = performance.now()
  }

  const check = () => {
    timer = null
    if (destroyed || !due) return
    const quietFor = performance.now() - lastActivity
    if (quietFor < quietMs) return arm(quietMs - quietFor)
    due = false
    collect().catch((error: unknown) => logger.warn('memory could not be given back', { error }))
  }

  const arm = (delay: number) => {
    if (timer || destroyed) return
    timer = setTimeout(check, delay)
    timer.unref()
  }

  return {
    name: 'memoryRelease',
    async afterLoadDocument() {
      active()
    },
    onChange: active,
    onConnect: active,
    onDisconnect: active,
    async onUnloadDocument() {
      active()
      due = true
      arm(quietMs)
    },
    async onDestroy() {
      destroyed = true
      if (timer) clearTimeout(timer)
    },
  }
}
