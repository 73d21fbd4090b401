// zz57 scratch (review helper): a network of tabs editing through y-tiptap's own binding code (updateYFragment), a server
// doc logging as the real server logs (a person's update under their name, the server's own Yjs tidying as 'server'),
// and each tab's own tidying sent back under its person, as y-websocket-like providers do.
import { BLOCK_ID, bodyOf, readBody, schema, writeBody } from '@hemicycle/schema'
import * as Y from 'yjs'
import type { DocumentNode as PMNode } from '@hemicycle/schema'
import { Transform, updateYFragment, ySyncPluginKey } from '../../../../packages/schema/src/zz57yt.ts'
import { deletedRanges, insertedRanges } from '../collab/storage.ts'
import { type LogRow, redlineBlocks } from './redline.ts'

const REMOTE = Symbol('remote')

export class Tab {
  readonly doc = new Y.Doc()
  outbox: Uint8Array[] = []
  inbox: Uint8Array[] = []
  undo: Y.UndoManager
  constructor(
    readonly net: Net,
    readonly person: string,
    clientID: number,
  ) {
    this.doc.clientID = clientID
    Y.applyUpdate(this.doc, Y.encodeStateAsUpdate(net.server), REMOTE)
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== REMOTE) this.outbox.push(update)
    })
    this.undo = new Y.UndoManager(bodyOf(this.doc), { trackedOrigins: new Set([ySyncPluginKey]) })
  }
  pm(): PMNode {
    return readBody(this.doc) as PMNode
  }
  /** A ProseMirror change as the editor makes it, written to Yjs by the binding's own code. */
  edit(change: (tr: Transform) => void) {
    const tr = new Transform(this.pm())
    change(tr)
    this.doc.transact(() => updateYFragment(this.doc, bodyOf(this.doc), tr.doc, { mapping: new Map(), isOMark: new Map() }), ySyncPluginKey)
  }
  bold(from: number, to: number, on = true) {
    this.edit((tr) => (on ? tr.addMark(1 + from, 1 + to, schema.marks.bold!.create()) : tr.removeMark(1 + from, 1 + to, schema.marks.bold!)))
  }
  italic(from: number, to: number, on = true) {
    this.edit((tr) => (on ? tr.addMark(1 + from, 1 + to, schema.marks.italic!.create()) : tr.removeMark(1 + from, 1 + to, schema.marks.italic!)))
  }
  type(at: number, text: string, marks: string[] = []) {
    this.edit((tr) => tr.insert(1 + at, schema.text(text, marks.map((mark) => schema.marks[mark]!.create()))))
  }
  del(from: number, to: number) {
    this.edit((tr) => tr.delete(1 + from, 1 + to))
  }
  text(): string {
    return this.pm().child(0).textContent
  }
  send() {
    const out = this.outbox
    this.outbox = []
    for (const update of out) Y.applyUpdate(this.net.server, update, this)
  }
  receive() {
    const got = this.inbox
    this.inbox = []
    for (const update of got) Y.applyUpdate(this.doc, update, REMOTE)
  }
}

export class Net {
  readonly server = new Y.Doc()
  readonly rows: LogRow[] = []
  readonly tabs: Tab[] = []
  at = Date.parse('2026-11-01T10:00:00Z')
  constructor(text: string) {
    this.server.clientID = 1
    this.server.on('update', (update: Uint8Array, origin: unknown) => {
      const person = origin instanceof Tab ? origin.person : null
      this.rows.push({ id: this.rows.length + 1, origin: person ? 'connection' : 'server', amendment_id: null, person_id: person, delegation_id: null, decision: null, inserts: insertedRanges(update), deletes: deletedRanges(update), created_at: new Date((this.at += 60_000)) })
      for (const tab of this.tabs) if (tab !== origin) tab.inbox.push(update)
    })
    writeBody(this.server, schema.node('doc', null, [schema.node('paragraph', { [BLOCK_ID]: 'p1' }, schema.text(text))]))
  }
  tab(person: string, clientID: number) {
    const tab = new Tab(this, person, clientID)
    this.tabs.push(tab)
    return tab
  }
  /** Everything sent and received until quiet. */
  settle() {
    for (let round = 0; round < 50; round++) {
      let moved = false
      for (const tab of this.tabs) {
        if (tab.outbox.length) {
          tab.send()
          moved = true
        }
      }
      for (const tab of this.tabs) {
        if (tab.inbox.length) {
          tab.receive()
          moved = true
        }
      }
      if (!moved) return
    }
    throw new Error('never settled')
  }
  saved() {
    const copy = new Y.Doc()
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(this.server))
    this.at += 1000
    return { doc: copy, at: new Date(this.at) }
  }
  /** The markers of the paragraph, as "who:key=value@offset". */
  markers(doc: Y.Doc = this.server) {
    const text = (bodyOf(doc).get(0) as Y.XmlElement).get(0) as Y.XmlText
    const out: string[] = []
    let offset = 0
    for (let item = text._start; item !== null; item = item.right) {
      if (item.deleted) continue
      if (item.content instanceof Y.ContentFormat) out.push(`${item.id.client}:${item.id.clock}:${item.content.key}=${JSON.stringify(item.content.value)}@${offset}`)
      else if (item.content instanceof Y.ContentString) offset += item.length
    }
    return out
  }
}

export function changed(from: { doc: Y.Doc; at: Date }, to: { doc: Y.Doc; at: Date }, rows: readonly LogRow[]) {
  return redlineBlocks(from.doc, to.doc, rows, [from.at, to.at]).flatMap((block) =>
    block.runs.filter((run) => run.change !== 'equal').map((run) => `${run.change === 'insert' ? '+' : '-'}${run.bold ? 'B' : ''}${run.italic ? 'I' : ''}[${run.text}] ${run.authors.map((a) => a.replace(/^person:|:$/g, '')).join(';')}${run.exact ? '' : ' (editors)'}`),
  )
}
