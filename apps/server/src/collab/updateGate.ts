import { bodyOf, MAX_NODES } from '@hemicycle/schema'
import * as Y from 'yjs'
import { type ClientHolder, ClientIds } from './clientIds.ts'
import { itemProblem } from './updateGuard.ts'

/**
 * Admits a connection's update into a live document, or refuses it with the
 * document unchanged. The update is first applied to a copy (the shadow,
 * kept identical to the live document by every change the live document
 * makes): there Yjs itself shows whether everything integrates at once (no
 * structs waiting for missing dependencies, no delete set reaching past the
 * document's state) and whether it throws, and the integrated items are
 * checked against the schema with their parents known. Only then does the
 * live document take the update (`applyAdmitted`), which by construction
 * integrates the same way, so the shadow, which has it already, does not
 * apply it a second time. A refused update leaves the shadow spoiled; it is
 * rebuilt from the live document before the next check. The shadow exists
 * only while someone writes: it is made at the first update and dropped
 * when the document has nobody connected (`rest`).
 */
export class UpdateGate {
  readonly clients = new ClientIds()
  private shadow: Y.Doc | null = null
  private spoiled = false
  private applyingAdmitted = false

  constructor(private readonly live: Y.Doc) {
    live.on('update', (update: Uint8Array) => {
      if (!this.shadow || this.spoiled || this.applyingAdmitted) return
      try {
        Y.applyUpdate(this.shadow, update)
      } catch {
        this.spoiled = true
      }
    })
  }

  private copy(): Y.Doc {
    const shadow = new Y.Doc({ gc: this.live.gc })
    // Defined first, so an update naming "body" finds the fragment and nothing else.
    bodyOf(shadow)
    Y.applyUpdate(shadow, Y.encodeStateAsUpdate(this.live))
    return shadow
  }

  /** Applies an update `admit` let in to the live document (`apply` does it): the shadow has it already. */
  applyAdmitted(apply: () => void): void {
    this.applyingAdmitted = true
    try {
      apply()
    } catch (error) {
      this.spoiled = true
      throw error
    } finally {
      this.applyingAdmitted = false
    }
  }

  /** Nobody is connected: the shadow is dropped until someone writes again. */
  rest(): void {
    this.shadow?.destroy()
    this.shadow = null
    this.spoiled = false
  }

  /** Why `update` from `holder` is refused, or null: then its client ids are claimed and the caller applies it to the live document. */
  admit(update: Uint8Array, holder: ClientHolder): string | null {
    let decoded: ReturnType<typeof Y.decodeUpdate>
    try {
      decoded = Y.decodeUpdate(update)
    } catch {
      return 'the Yjs update cannot be decoded'
    }
    const claiming = new Set<number>()
    for (const struct of decoded.structs) {
      if (struct instanceof Y.Skip) continue
      const { client, clock } = struct.id
      // Structs the document already has change nothing: a client resending what the server holds is no claim.
      const known = Y.getState(this.live.store, client)
      if (clock + struct.length <= known) continue
      // Content nobody is recorded as owning was written by the server (an import, a restored version).
      if (known > 0 && !this.clients.owner(client)) return `client id ${client} belongs to the server`
      const refusal = this.clients.refusal(client, holder, { claiming, takeOver: true })
      if (refusal) return refusal
      claiming.add(client)
    }

    if (!this.shadow || this.spoiled) {
      this.shadow?.destroy()
      this.shadow = this.copy()
      this.spoiled = false
    }
    const before = Y.decodeStateVector(Y.encodeStateVector(this.shadow))
    const problem = this.tryOnShadow(this.shadow, update, before)
    if (problem) {
      this.spoiled = true
      return problem
    }
    for (const client of claiming) this.clients.claim(client, holder)
    return null
  }

  private tryOnShadow(shadow: Y.Doc, update: Uint8Array, before: Map<number, number>): string | null {
    try {
      Y.applyUpdate(shadow, update)
    } catch {
      return 'the update cannot be applied to the document'
    }
    const { store } = shadow
    if (store.pendingStructs) return 'the update depends on changes the server does not have'
    if (store.pendingDs) return 'the update deletes content the server does not have'
    const body = bodyOf(shadow)
    let addsNodes = false
    for (const [client, structs] of store.clients) {
      const from = before.get(client) ?? 0
      if (Y.getState(store, client) <= from) continue
      for (let index = Y.findIndexSS(structs, from); index < structs.length; index++) {
        const struct = structs[index]!
        if (!(struct instanceof Y.Item) || struct.deleted) continue
        const problem = itemProblem(struct, body)
        if (problem) return problem
        if (struct.content instanceof Y.ContentType) addsNodes = true
      }
    }
    if (addsNodes && countNodes(body) > MAX_NODES) return `a resolution holds at most ${MAX_NODES} elements and text nodes`
    return null
  }

  destroy(): void {
    this.rest()
  }
}

/** Elements and text nodes in the body, counted without recursion. */
function countNodes(body: Y.XmlFragment): number {
  let count = 0
  const stack: Array<Y.XmlFragment | Y.XmlElement> = [body]
  while (stack.length > 0 && count <= MAX_NODES) {
    for (let item = stack.pop()!._start; item !== null; item = item.right) {
      if (item.deleted || !(item.content instanceof Y.ContentType)) continue
      count += 1
      const { type } = item.content
      if (type instanceof Y.XmlElement) stack.push(type)
    }
  }
  return count
}
