import { CloseCode } from '@hemicycle/protocol'
import { afterAll, beforeAll, expect, it } from 'vitest'
import * as Y from 'yjs'
import { connectClient, eventually, importDraft, paragraphs, readBlocks, startTestServer, type TestServer, typeInto } from './harness.ts'

/**
 * After an instance dies, tabs may hold other people's typing that was never stored (they heard it there): the server
 * takes from each tab's answer to its sync request only what is the tab's own to write.
 *
 * A tab may have deleted such typing. Its answer to the sync request carries both; the server leaves the other's typing out (not the sender's to
 * write) and, with it, the deletion. The server used to drop that deletion for good: once the typist came back, the
 * text held the words again while the deleting tab showed them gone, and nobody was told. It is now awaited: once the
 * server holds what it reaches, the tab is asked for its state again and its answer deletes them.
 */
let server: TestServer

beforeAll(async () => {
  server = await startTestServer({ DATA_DIR: 'memory://', LOG_LEVEL: 'error' })
})
afterAll(async () => {
  await server?.close()
})

it("applies a deletion of another's lost typing once that typing comes back", { timeout: 30_000 }, async () => {
  const { id } = await importDraft(server, await server.login('secretariat'), await server.login('claire'), ['Premier alinéa.', 'Second alinéa.'])
  const [claire, lucia] = await Promise.all(['claire', 'lucia'].map(async (name) => connectClient(server.wsUrl, id, await server.login(name))))
  try {
    await Promise.all([claire!.synced, lucia!.synced])
    // Lucía types while cut off; Claire's tab hears it (as it would have from the instance that died before storing it).
    lucia!.provider.disconnect()
    claire!.provider.disconnect()
    typeInto(lucia!.doc, 0, 0, 'Lucía écrit ceci. ')
    Y.applyUpdate(claire!.doc, Y.encodeStateAsUpdate(lucia!.doc), 'remote')
    expect(paragraphs(claire!.doc)[0]).toBe('Lucía écrit ceci. Premier alinéa.')
    // Claire deletes those words, and comes back first.
    ;((claire!.doc.getXmlFragment('body').get(0) as Y.XmlElement).get(0) as Y.XmlText).delete(0, 'Lucía écrit ceci. '.length)
    claire!.provider.connect()
    await eventually(() => expect(claire!.provider.synced).toBe(true))
    // Her typing under her own id is taken; Lucía's words are not hers to bring.
    expect((await readBlocks(server.wsUrl, id, await server.login('ingrid'))).texts).toEqual(['Premier alinéa.', 'Second alinéa.'])
    lucia!.provider.connect()
    await lucia!.saved()
    // Lucía's words came and went: Claire deleted them, and every copy says so.
    await eventually(() => expect(paragraphs(lucia!.doc)).toEqual(['Premier alinéa.', 'Second alinéa.']))
    expect((await readBlocks(server.wsUrl, id, await server.login('ingrid'))).texts).toEqual(['Premier alinéa.', 'Second alinéa.'])
    expect(paragraphs(claire!.doc)).toEqual(['Premier alinéa.', 'Second alinéa.'])
  } finally {
    claire!.destroy()
    lucia!.destroy()
  }
})

/** Inserts `text` in the first paragraph just after `after`, as typing there does. */
function typeAfter(doc: Y.Doc, after: string, text: string): void {
  typeInto(doc, 0, paragraphs(doc)[0]!.indexOf(after) + after.length, text)
}

it("takes two tabs' typing when each built on the other's, which neither could bring", { timeout: 30_000 }, async () => {
  const { id } = await importDraft(server, await server.login('secretariat'), await server.login('claire'), ['Premier alinéa.'])
  const [claire, lucia] = await Promise.all(['claire', 'lucia'].map(async (name) => connectClient(server.wsUrl, id, await server.login(name))))
  try {
    await Promise.all([claire!.synced, lucia!.synced])
    claire!.provider.disconnect()
    lucia!.provider.disconnect()
    // As they typed through the instance that died: each heard the other at once, and wrote on what it heard.
    const hear = (from: Y.Doc, to: Y.Doc) => Y.applyUpdate(to, Y.encodeStateAsUpdate(from), 'remote')
    typeInto(claire!.doc, 0, 0, 'Claire ')
    hear(claire!.doc, lucia!.doc)
    typeAfter(lucia!.doc, 'Claire ', 'Lucía ')
    hear(lucia!.doc, claire!.doc)
    typeAfter(claire!.doc, 'Lucía ', 'encore ')
    hear(claire!.doc, lucia!.doc)
    const text = 'Claire Lucía encore Premier alinéa.'
    expect(paragraphs(lucia!.doc)).toEqual([text])
    const closes: number[] = []
    claire!.provider.on('connection-close', (event: { code: number } | null) => closes.push(event?.code ?? 0))
    // Claire's first words stand alone; her last ones stand on Lucía's, which only Lucía may bring, and hers on Claire's first.
    claire!.provider.connect()
    await eventually(() => expect(closes).toContain(CloseCode.WaitingForOthers))
    lucia!.provider.connect()
    await eventually(async () => expect((await readBlocks(server.wsUrl, id, await server.login('ingrid'))).texts).toEqual([text]), { timeout: 10_000 })
    await Promise.all([claire!.saved(), lucia!.saved()])
    expect(closes.filter((code) => code !== CloseCode.WaitingForOthers)).toEqual([])
  } finally {
    claire!.destroy()
    lucia!.destroy()
  }
})
