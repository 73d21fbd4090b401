/**
 * Whose Yjs client ids are whose. Every struct of a Yjs document carries the
 * client id of the document that made it, and the update log attributes
 * changes by those ids, so a connection may create structs only under ids
 * it owns. An id belongs to the first person whose connection uses it (in an
 * update or by introducing it in its presence), and is held by one live
 * connection at a time; ids already in the document belong to whoever the
 * update log says typed them, or else to the server, as do the ids the
 * server writes under itself. Nobody can claim an id the server uses.
 */

/** Who may write under a client id: the server, or a person through at most one live connection. */
export type ClientOwner = { kind: 'server' } | { kind: 'person'; personId: string; holder: ClientHolder | null }

/** A connection as the registry sees it. */
export interface ClientHolder {
  readonly id: string
  readonly personId: string
  /** Called when the same person's newer connection takes over one of this connection's ids. */
  supersede(): void
}

/** How owners travel between instances and are read from the update log: `server` or `person:<id>`. */
export type OwnerKey = 'server' | `person:${string}`

/** How many ids one connection may hold: a Y.Doc has one, and takes a new one only on a rare collision. */
export const MAX_CLIENT_IDS_PER_CONNECTION = 8

export class ClientIds {
  private readonly owners = new Map<number, ClientOwner>()
  private readonly held = new Map<ClientHolder, Set<number>>()
  /** Told when a person who may write becomes an id's owner, so that it can be recorded before anything is typed under it. */
  onFirstClaim: ((client: number, personId: string) => void) | null = null
  /** Ids recorded (told to `onFirstClaim`) or read from the record. */
  private readonly recorded = new Set<number>()

  owner(client: number): ClientOwner | undefined {
    return this.owners.get(client)
  }

  ownerKey(client: number): OwnerKey | undefined {
    const owner = this.owners.get(client)
    if (!owner) return undefined
    return owner.kind === 'server' ? 'server' : `person:${owner.personId}`
  }

  /** Records an owner the update log or another instance tells of; an id already owned keeps its owner. */
  adopt(client: number, key: OwnerKey): void {
    this.recorded.add(client)
    if (this.owners.has(client)) return
    this.owners.set(client, key === 'server' ? { kind: 'server' } : { kind: 'person', personId: key.slice('person:'.length), holder: null })
  }

  /**
   * Why `holder` may not use `client`, or null when it may: it holds the id,
   * may claim it, or (`takeOver`, for document updates) may take it over
   * from the same person's other connection. Presence never takes over: a
   * stock y-websocket client echoes every presence it hears, its own
   * person's other tabs included.
   */
  refusal(client: number, holder: ClientHolder, { claiming = new Set(), takeOver }: { claiming?: ReadonlySet<number>; takeOver: boolean }): string | null {
    const owner = this.owners.get(client)
    if (!owner) {
      const count = (this.held.get(holder)?.size ?? 0) + claiming.size + (claiming.has(client) ? 0 : 1)
      return count > MAX_CLIENT_IDS_PER_CONNECTION ? `a connection may write under at most ${MAX_CLIENT_IDS_PER_CONNECTION} client ids` : null
    }
    if (owner.kind === 'server') return `client id ${client} belongs to the server`
    if (owner.personId !== holder.personId) return `client id ${client} belongs to another person`
    if (owner.holder && owner.holder !== holder && !takeOver) return `client id ${client} is in use on another connection`
    return null
  }

  /** Whether `client` is recorded as written by someone other than `holder`'s person: another person, or the server. */
  isAnothers(client: number, holder: ClientHolder): boolean {
    const owner = this.owners.get(client)
    return owner !== undefined && (owner.kind === 'server' || owner.personId !== holder.personId)
  }

  /**
   * Gives `client` to `holder`, which `refusal` allowed. The same person's
   * newer connection takes an id over from an older one: it is the same tab
   * reconnecting before the server saw its old socket close, and the old
   * socket is closed so no two live connections ever write under one id.
   */
  claim(client: number, holder: ClientHolder, { record = true, hold = true }: { record?: boolean; hold?: boolean } = {}): void {
    const owner = this.owners.get(client)
    // Recorded only for one who may write: nothing is ever typed under a reader's id, and a reader's reconnections each
    // claiming eight new ids were rows without end (112,000 held a document's load 2 s).
    if (record && !this.recorded.has(client)) {
      this.recorded.add(client)
      this.onFirstClaim?.(client, holder.personId)
    }
    if (!hold) {
      // The person's other tab's changes, which this one brings back (`relayed`): the id is theirs, held by no
      // connection for it. Held, the other tab, typing again once back, took it over and closed this one (4409).
      if (!owner) this.owners.set(client, { kind: 'person', personId: holder.personId, holder: null })
      return
    }
    const previous = owner?.kind === 'person' ? owner.holder : null
    if (previous && previous !== holder) {
      this.held.get(previous)?.delete(client)
      previous.supersede()
    }
    this.owners.set(client, { kind: 'person', personId: holder.personId, holder })
    let ids = this.held.get(holder)
    if (!ids) {
      ids = new Set()
      this.held.set(holder, ids)
    }
    ids.add(client)
  }

  /** The server writes under this id; it must be one nobody owns yet. */
  claimForServer(client: number): void {
    if (this.owners.has(client)) throw new Error(`client id ${client} already has an owner`)
    this.owners.set(client, { kind: 'server' })
  }

  /** The connection closed: its ids stay its person's, for that person's next connection. */
  release(holder: ClientHolder): void {
    for (const client of this.held.get(holder) ?? []) {
      const owner = this.owners.get(client)
      if (owner?.kind === 'person' && owner.holder === holder) owner.holder = null
    }
    this.held.delete(holder)
  }

  /** Whether `holder` has introduced ids (in its presence or its updates), `client` not among them. */
  introducedOthers(holder: ClientHolder, client: number): boolean {
    const ids = this.heldBy(holder)
    return ids.size > 0 && !ids.has(client)
  }

  heldBy(holder: ClientHolder): ReadonlySet<number> {
    return this.held.get(holder) ?? new Set()
  }
}
