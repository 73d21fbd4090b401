/**
 * The Yjs ids a person's tabs in this browser write one text under. Yjs gives
 * each new document a random id, and a text keeps every id that ever wrote in
 * it: every transaction, on the server and in each tab, walks them all (two
 * state vectors and more, yjs/yjs#415). A text typed into for months from new
 * tabs holds thousands; with 3,000, a typed character cost the server about
 * 1.7 ms and each tab about 0.5 ms, against a few microseconds in a new text.
 * So a tab reuses an id of its pool that no other tab of this browser holds
 * (a Web Lock, held for as long as the tab writes under it), and the pool
 * grows only with the tabs open at once. The server still decides who may
 * write under an id: it is this person's.
 */

/** Ids one person keeps for one text in one browser: tabs open at once beyond this take a new random id, not kept. */
export const POOL_SIZE = 4

export interface ClientIdLease {
  readonly id: number
  /** Lets another tab take the id. */
  release(): void
}

type Storage = Pick<globalThis.Storage, 'getItem' | 'setItem'>

const POOL_PREFIX = 'hemicycle.yjs-ids.'
const storageKey = (scope: string) => `${POOL_PREFIX}${scope}`
const lockName = (scope: string, id: number) => `hemicycle.yjs-id.${scope}.${id}`

/** A Yjs id: what `Y.Doc` draws, an unsigned 32-bit integer. */
const isClientId = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= 0 && (value as number) < 2 ** 32

/** The pool as stored; anything unreadable (another version, a hand edit) is an empty pool. */
export function readPool(storage: Storage, scope: string): number[] {
  try {
    const value: unknown = JSON.parse(storage.getItem(storageKey(scope)) ?? '[]')
    return Array.isArray(value) ? [...new Set(value.filter(isClientId))].slice(0, POOL_SIZE) : []
  } catch {
    return []
  }
}

function addToPool(storage: Storage, scope: string, id: number): void {
  // Read again: another tab may have added its own id meanwhile.
  const pool = readPool(storage, scope)
  if (pool.length >= POOL_SIZE || pool.includes(id)) return
  try {
    storage.setItem(storageKey(scope), JSON.stringify([...pool, id]))
  } catch {
    // Storage full or refused: the id serves this tab only.
  }
}

function randomClientId(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0]!
}

/** Holds `name` if no other tab does, until the lease is released; null if another tab holds it. */
function tryLock(locks: LockManager, name: string, id: number): Promise<ClientIdLease | null> {
  return new Promise((resolve, reject) => {
    locks
      .request(name, { ifAvailable: true }, (lock) => {
        if (!lock) {
          resolve(null)
          return undefined
        }
        return new Promise<void>((release) => resolve({ id, release: () => release() }))
      })
      .catch(reject)
  })
}

/**
 * An id of the pool `scope` (a person and a text) no other tab holds, or a new
 * one added to the pool while it has room; null where this browser has no Web
 * Locks (a page not served over https or from localhost), or every id is held
 * and the pool is full: the tab then keeps the random id Yjs gave it.
 */
export async function leaseClientId(
  scope: string,
  { storage = globalThis.localStorage, locks = globalThis.navigator?.locks }: { storage?: Storage; locks?: LockManager } = {},
): Promise<ClientIdLease | null> {
  if (!locks || !storage) return null
  for (const id of readPool(storage, scope)) {
    const lease = await tryLock(locks, lockName(scope, id), id)
    if (lease) return lease
  }
  if (readPool(storage, scope).length >= POOL_SIZE) return null
  const id = randomClientId()
  const lease = await tryLock(locks, lockName(scope, id), id)
  if (lease) addToPool(storage, scope, id)
  return lease
}

/** Forgets every pool kept in this browser (at logout). */
export function forgetClientIdPools(storage: Pick<globalThis.Storage, 'key' | 'length' | 'removeItem'> | undefined = globalThis.localStorage): void {
  if (!storage) return
  try {
    const keys = Array.from({ length: storage.length }, (_, index) => storage.key(index)).filter((key): key is string => key?.startsWith(POOL_PREFIX) === true)
    for (const key of keys) storage.removeItem(key)
  } catch {
    // Storage refused: nothing was kept.
  }
}
