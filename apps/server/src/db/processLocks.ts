/**
 * Named locks inside one process, shared or exclusive: what PostgreSQL's
 * advisory locks give instances sharing a server, for instances sharing an
 * embedded database (which only one process can open). Waiters are served
 * in order, so an exclusive one is not starved by a stream of shared ones.
 */
export class ProcessLocks {
  private readonly locks = new Map<string, { holders: number; exclusive: boolean; waiting: Array<{ exclusive: boolean; grant: () => void }> }>()

  acquire(key: string, exclusive: boolean): Promise<() => Promise<void>> {
    let lock = this.locks.get(key)
    if (!lock) {
      lock = { holders: 0, exclusive: false, waiting: [] }
      this.locks.set(key, lock)
    }
    const state = lock
    const release = async () => {
      state.holders -= 1
      if (state.holders === 0) state.exclusive = false
      this.grant(key)
    }
    return new Promise((resolve) => {
      state.waiting.push({ exclusive, grant: () => resolve(release) })
      this.grant(key)
    })
  }

  private grant(key: string): void {
    const lock = this.locks.get(key)
    if (!lock) return
    while (lock.waiting.length > 0) {
      const next = lock.waiting[0]!
      const free = lock.holders === 0 || (!lock.exclusive && !next.exclusive)
      if (!free) return
      lock.waiting.shift()
      lock.holders += 1
      lock.exclusive = next.exclusive
      next.grant()
    }
    if (lock.holders === 0) this.locks.delete(key)
  }
}
