import { CloseCode } from '@hemicycle/protocol'
import { afterAll, beforeAll, expect, it } from 'vitest'
import * as Y from 'yjs'
import { type Client, connectClient, eventually, importDraft, paragraphs, readBlocks, sleep, startTestServer, type TestServer, typeInto } from './harness.ts'

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
  server = await startTestServer({ DATA_DIR: 'memory://', LOG_LEVEL: 'error', LOST_CHANGES_GRACE_MS: '4000' })
})
afterAll(async () => {
  await server?.close()
})

/** A draft of `texts`, and a synced tab for each of `names` (the same order), given to `body`; every tab is destroyed after it. */
async function withTabs<const Names extends readonly string[]>(texts: string[], names: Names, body: (id: string, tabs: { [K in keyof Names]: Client }) => Promise<void>): Promise<void> {
  const { id } = await importDraft(server, await server.login('secretariat'), await server.login('claire'), texts)
  const tabs = await Promise.all(names.map(async (name) => connectClient(server.wsUrl, id, await server.login(name))))
  try {
    await Promise.all(tabs.map((tab) => tab.synced))
    await body(id, tabs as { [K in keyof Names]: Client })
  } finally {
    for (const tab of tabs) if (!tab.doc.isDestroyed) tab.destroy()
  }
}

/** The close codes a tab's socket gets from now on, in order. */
function closesOf(tab: Client): number[] {
  const closes: number[] = []
  tab.provider.on('connection-close', (event: { code: number } | null) => closes.push(event?.code ?? 0))
  return closes
}

/** The text as a reader opening it now reads it. */
async function stored(id: string): Promise<string[]> {
  return (await readBlocks(server.wsUrl, id, await server.login('ingrid'))).texts
}

it("applies a deletion of another's lost typing once that typing comes back", { timeout: 30_000 }, async () => {
  await withTabs(['Premier alinéa.', 'Second alinéa.'], ['claire', 'lucia'], async (id, [claire, lucia]) => {
    // Lucía types while cut off; Claire's tab hears it (as it would have from the instance that died before storing it).
    lucia.provider.disconnect()
    claire.provider.disconnect()
    typeInto(lucia.doc, 0, 0, 'Lucía écrit ceci. ')
    Y.applyUpdate(claire.doc, Y.encodeStateAsUpdate(lucia.doc), 'remote')
    expect(paragraphs(claire.doc)[0]).toBe('Lucía écrit ceci. Premier alinéa.')
    // Claire deletes those words, and comes back first.
    ;((claire.doc.getXmlFragment('body').get(0) as Y.XmlElement).get(0) as Y.XmlText).delete(0, 'Lucía écrit ceci. '.length)
    claire.provider.connect()
    await eventually(() => expect(claire.provider.synced).toBe(true))
    // Her typing under her own id is taken; Lucía's words are not hers to bring.
    expect(await stored(id)).toEqual(['Premier alinéa.', 'Second alinéa.'])
    lucia.provider.connect()
    await lucia.saved()
    // Lucía's words came and went: Claire deleted them, and every copy says so.
    await eventually(() => expect(paragraphs(lucia.doc)).toEqual(['Premier alinéa.', 'Second alinéa.']))
    expect(await stored(id)).toEqual(['Premier alinéa.', 'Second alinéa.'])
    expect(paragraphs(claire.doc)).toEqual(['Premier alinéa.', 'Second alinéa.'])
  })
})

/** Inserts `text` in the first paragraph just after `after`, as typing there does. */
function typeAfter(doc: Y.Doc, after: string, text: string): void {
  typeInto(doc, 0, paragraphs(doc)[0]!.indexOf(after) + after.length, text)
}

it("takes two tabs' typing when each built on the other's, which neither could bring", { timeout: 30_000 }, async () => {
  await withTabs(['Premier alinéa.'], ['claire', 'lucia'], async (id, [claire, lucia]) => {
    claire.provider.disconnect()
    lucia.provider.disconnect()
    // As they typed through the instance that died: each heard the other at once, and wrote on what it heard.
    const hear = (from: Y.Doc, to: Y.Doc) => Y.applyUpdate(to, Y.encodeStateAsUpdate(from), 'remote')
    typeInto(claire.doc, 0, 0, 'Claire ')
    hear(claire.doc, lucia.doc)
    typeAfter(lucia.doc, 'Claire ', 'Lucía ')
    hear(lucia.doc, claire.doc)
    typeAfter(claire.doc, 'Lucía ', 'encore ')
    hear(claire.doc, lucia.doc)
    const text = 'Claire Lucía encore Premier alinéa.'
    expect(paragraphs(lucia.doc)).toEqual([text])
    const closes = closesOf(claire)
    // Claire's first words stand alone; her last ones stand on Lucía's, which only Lucía may bring, and hers on Claire's first.
    claire.provider.connect()
    await eventually(() => expect(closes).toContain(CloseCode.WaitingForOthers))
    lucia.provider.connect()
    await eventually(async () => expect(await stored(id)).toEqual([text]), { timeout: 10_000 })
    await Promise.all([claire.saved(), lucia.saved()])
    expect(closes.filter((code) => code !== CloseCode.WaitingForOthers)).toEqual([])
  })
})

/**
 * A tab showing another's typing the server never got, whose author does not come back (a closed laptop, a tab that
 * crashed): its words are in no one else's text. Past the grace the tab is told to open the text afresh (4411); the web
 * client then offers back what it showed that the text lacks. Its author coming back in time changes nothing for it.
 */
it("tells a tab that shows another's lost typing, whose author does not come back, to open the text afresh", { timeout: 30_000 }, async () => {
  await withTabs(['Premier alinéa.'], ['claire', 'lucia', 'kwame'], async (id, [claire, lucia, kwame]) => {
    for (const client of [claire, lucia, kwame]) client.provider.disconnect()
    // Lucía typed, Claire and Kwame heard it, and the instance died before storing it.
    typeInto(lucia.doc, 0, 0, 'Perdu. ')
    for (const heard of [claire, kwame]) Y.applyUpdate(heard.doc, Y.encodeStateAsUpdate(lucia.doc), 'remote')
    const closes = new Map([['claire', closesOf(claire)], ['kwame', closesOf(kwame)]])
    claire.provider.connect()
    kwame.provider.connect()
    await Promise.all([claire, kwame].map((client) => eventually(() => expect(client.provider.synced).toBe(true))))
    // Claire's tab shows "Perdu. ", which nobody else's text holds.
    expect(paragraphs(claire.doc)).toEqual(['Perdu. Premier alinéa.'])
    expect(await stored(id)).toEqual(['Premier alinéa.'])
    // Lucía's tab is gone for good.
    lucia.destroy()
    await eventually(() => expect(closes.get('claire')).toContain(CloseCode.OthersLost), { timeout: 10_000 })
    // Kwame's answer came a moment after Claire's: so does his grace's end.
    await eventually(() => expect(closes.get('kwame')).toContain(CloseCode.OthersLost), { timeout: 10_000 })
  })
})

it('leaves a tab alone whose heard typing its author brings back within the grace', { timeout: 30_000 }, async () => {
  await withTabs(['Premier alinéa.'], ['claire', 'lucia'], async (id, [claire, lucia]) => {
    claire.provider.disconnect()
    lucia.provider.disconnect()
    typeInto(lucia.doc, 0, 0, 'Retrouvé. ')
    Y.applyUpdate(claire.doc, Y.encodeStateAsUpdate(lucia.doc), 'remote')
    const closes = closesOf(claire)
    claire.provider.connect()
    await eventually(() => expect(claire.provider.synced).toBe(true))
    lucia.provider.connect()
    await lucia.saved()
    // Past the grace (4 s here, counted from Claire's answer): nothing said.
    await sleep(4500)
    expect(closes).toEqual([])
    expect(await stored(id)).toEqual(['Retrouvé. Premier alinéa.'])
  })
})

/**
 * Found by a hostile review: a tab that deleted another's lost words, whose typist never comes back, then types where
 * they were. Yjs places the new words after the deleted ones, so they stand on content the server will never have: the
 * tab came back with 4208 for good, flapping, each round a copy of the text for the server. Past the grace it is told
 * to open the text afresh (4411), where the web client offers its words back.
 */
it('tells a tab whose typing stands on lost words that never come to open the text afresh, not to come back for good', { timeout: 30_000 }, async () => {
  await withTabs(['Premier alinéa.', 'Second alinéa.'], ['claire', 'lucia'], async (id, [claire, lucia]) => {
    lucia.provider.disconnect()
    claire.provider.disconnect()
    typeInto(lucia.doc, 0, 0, 'Lucía écrit ceci. ')
    Y.applyUpdate(claire.doc, Y.encodeStateAsUpdate(lucia.doc), 'remote')
    lucia.destroy()
    ;((claire.doc.getXmlFragment('body').get(0) as Y.XmlElement).get(0) as Y.XmlText).delete(0, 'Lucía écrit ceci. '.length)
    const closes = closesOf(claire)
    claire.provider.connect()
    await eventually(() => expect(claire.provider.synced).toBe(true))
    typeInto(claire.doc, 0, 0, 'Claire ajoute. ')
    await eventually(() => expect(closes).toContain(CloseCode.OthersLost), { timeout: 15_000 })
    // Told once, then left closed (a stock client does not reconnect after 44xx): no flapping after.
    const told = closes.length
    await sleep(1000)
    expect(closes.length).toBe(told)
    expect(closes.at(-1)).toBe(CloseCode.OthersLost)
    expect(await stored(id)).toEqual(['Premier alinéa.', 'Second alinéa.'])
  })
})

const hear = (from: Y.Doc, to: Y.Doc) => Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)), 'remote')

/**
 * A second loss after one made good: Lucía types `words` cut off, Claire's tab hears them and comes back; Lucía comes
 * back 300 ms later. Claire's tab must not be told 4411 (its grace starts now, not at the first loss).
 */
async function loseAgain(claire: Client, lucia: Client, closes: number[], words: string): Promise<void> {
  lucia.provider.disconnect()
  claire.provider.disconnect()
  typeInto(lucia.doc, 0, 0, words)
  hear(lucia.doc, claire.doc)
  closes.length = 0
  claire.provider.connect()
  // Connected, or already closed (4411 at its first answer: a stock client does not reconnect).
  await eventually(() => expect(claire.provider.wsconnected || closes.length > 0).toBe(true))
  await sleep(300)
  lucia.provider.connect()
  await lucia.saved()
  await sleep(4500)
  expect(closes).not.toContain(CloseCode.OthersLost)
}

/**
 * Found by a hostile review (helper-160): a loss the server made good stayed recorded with the time it was first seen
 * when the tab that showed it closed before its timer looked. A later loss under the same author's id (a second
 * instance death) was then past the grace at once: the tab was closed with 4411 at its first answer, though the author
 * brought the words back 300 ms later.
 */
it('gives a second loss by the same author its own grace', { timeout: 40_000 }, async () => {
  await withTabs(['Premier alinéa.'], ['claire', 'lucia'], async (id, [claire, lucia]) => {
    const closes = closesOf(claire)
    // Round 1: Lucía's typing heard by Claire on the instance that died; Claire's tab answers first, then blips.
    claire.provider.disconnect()
    lucia.provider.disconnect()
    typeInto(lucia.doc, 0, 0, 'Un. ')
    hear(lucia.doc, claire.doc)
    claire.provider.connect()
    await eventually(() => expect(claire.provider.synced).toBe(true))
    await sleep(200)
    claire.provider.disconnect()
    // Lucía comes back well within the grace: nothing is lost.
    lucia.provider.connect()
    await lucia.saved()
    // Past the grace since round 1.
    await sleep(4500)
    // Round 2, minutes or hours later in real life: the same thing again, Lucía again back within a second.
    await loseAgain(claire, lucia, closes, 'Deux. ')
    expect(await stored(id)).toEqual(['Deux. Un. Premier alinéa.'])
  })
})

/** The same, the first loss being a 4208 round that ended well (Claire's typing stood on Lucía's words until she came). */
it('gives a later loss its grace after a 4208 round that ended well', { timeout: 40_000 }, async () => {
  await withTabs(['Premier alinéa.'], ['claire', 'lucia'], async (id, [claire, lucia]) => {
    claire.provider.disconnect()
    lucia.provider.disconnect()
    typeInto(lucia.doc, 0, 0, 'Lucía ')
    hear(lucia.doc, claire.doc)
    // Claire types where Lucía's words are: her typing stands on them (4208 until Lucía is back).
    typeInto(claire.doc, 0, 'Lucía '.length, 'Claire ')
    const closes = closesOf(claire)
    claire.provider.connect()
    await eventually(() => expect(closes).toContain(CloseCode.WaitingForOthers))
    lucia.provider.connect()
    await Promise.all([claire.saved(), lucia.saved()])
    expect(closes.filter((code) => code !== CloseCode.WaitingForOthers)).toEqual([])
    await sleep(4500)
    await loseAgain(claire, lucia, closes, 'Encore ')
  })
})

/** A tab that may not write (an observer, a delegate at a stage closed to them) shows lost words just the same (helper-160). */
it("tells an observer's tab showing another's lost typing to open the text afresh", { timeout: 30_000 }, async () => {
  await withTabs(['Premier alinéa.'], ['kofi', 'lucia'], async (id, [kofi, lucia]) => {
    kofi.provider.disconnect()
    lucia.provider.disconnect()
    typeInto(lucia.doc, 0, 0, 'Perdu. ')
    hear(lucia.doc, kofi.doc)
    lucia.destroy()
    const closes = closesOf(kofi)
    kofi.provider.connect()
    await eventually(() => expect(kofi.provider.synced).toBe(true))
    expect(paragraphs(kofi.doc)).toEqual(['Perdu. Premier alinéa.'])
    expect(await stored(id)).toEqual(['Premier alinéa.'])
    await eventually(() => expect(closes).toContain(CloseCode.OthersLost), { timeout: 10_000 })
  })
})
