import { findBlock } from '@hemicycle/amendments'
import { type Amendment, type Notification, NotificationEvent } from '@hemicycle/protocol'
import { BODY, readBody } from '@hemicycle/schema'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { connectClient, eventually, freshPostgresUrl, memoryDatabase, ok, paragraphs, sleep, startTestServer, type TestServer, typedOffline } from './harness.ts'
import { listen } from './sse.ts'
import { InProcessFanout } from '../src/collab/fanout.ts'
import type { Database, Queryable } from '../src/db/database.ts'
import { openDatabase } from '../src/db/open.ts'
import { storedBody } from '../src/resolutions/documents.ts'

/**
 * A hostile review of decisions racing the secretariat's live editing: the
 * editor, cut off for a moment (or slow), changes the paragraph's structure
 * or deletes words, without having received an acceptance the chair made
 * meanwhile. What the text then says must be what was decided plus what was
 * typed, or someone must be told (the late-typing warning).
 */
let server: TestServer
const tokens: Record<string, string> = {}
const clock = new Date('2026-11-23T09:00:00Z')
const FIRST = 'Nous devons agir vite pour la cohésion sociale.'
const SECOND = 'Les collectivités locales doivent être associées.'

const post = (path: string, body: unknown, as: string) =>
  server.api(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), token: tokens[as]! })

/** A fresh resolution at consolidation with two paragraphs and the amendments `proposals` gives for their block ids, tabled by Kwame. */
async function tabled(proposals: (blocks: string[]) => object[]): Promise<{ id: string; blocks: string[]; amendments: Amendment[] }> {
  const form = new FormData()
  form.append('file', new File([`---\ntitle: "Course ${Math.random()}"\nlanguage: fr\n---\n\n${FIRST}\n\n${SECOND}\n`], 'course.md'))
  const { id } = await ok<{ id: string }>(await server.api('/api/resolutions/import', { method: 'POST', body: form, token: tokens['secretariat']! }), 201)
  const reader = connectClient(server.wsUrl, id, tokens['tomas']!)
  await reader.synced
  const blocks: string[] = []
  readBody(reader.doc).forEach((node) => blocks.push(node.attrs['id'] as string))
  reader.destroy()
  await ok(await post(`/api/resolutions/${id}/stage`, { to: 'amendments', deadline: '2026-11-30T17:00:00Z' }, 'secretariat'))
  const amendments: Amendment[] = []
  for (const proposal of proposals(blocks)) amendments.push(await ok<Amendment>(await post(`/api/resolutions/${id}/amendments`, { justification: 'Plus clair.', ...proposal }, 'kwame'), 201))
  await ok(await post(`/api/resolutions/${id}/stage`, { to: 'consolidation' }, 'secretariat'))
  return { id, blocks, amendments }
}

/** As `tabled`, with one amendment replacing `from` by `to` in the paragraph holding it. */
async function amended(from: string, to: string): Promise<{ id: string; blocks: string[]; amendment: Amendment }> {
  const index = FIRST.includes(from) ? 0 : 1
  const paragraph = [FIRST, SECOND][index]!
  const { id, blocks, amendments } = await tabled((ids) => [{ kind: 'replace', blockId: ids[index], text: paragraph.replace(from, to) }])
  return { id, blocks, amendment: amendments[0]! }
}

const accept = (amendmentId: string, as = 'ingrid') => post(`/api/amendments/${amendmentId}/decision`, { decision: 'accept' }, as)
const textOf = (element: Y.XmlElement) => element.get(0) as Y.XmlText
const blockText = (doc: Y.Doc, blockId: string) => textOf(findBlock(doc, blockId)!.element)
const liveParagraphs = async (id: string) => paragraphs((await server.hemicycle.services.collab.open(id)).doc)
const notices = (stream: { events: Notification[] }, resolutionId: string) => stream.events.filter((event) => event.resolutionId === resolutionId && event.subject.kind === 'lateTyping')

let streams: Array<{ close(): void }> = []
const chairListening = async () => {
  const stream = await listen<Notification>(`${server.url}/api/notifications/events`, tokens['ingrid']!, (data) => NotificationEvent.parse(data).notification)
  streams.push(stream)
  return stream
}

/** The secretariat's stock client edits while cut off; the chair accepts meanwhile; the client comes back. */
async function raced(id: string, amendmentId: string, edit: (doc: Y.Doc) => void) {
  const client = await typedOffline(server.wsUrl, id, tokens['secretariat']!, edit, async () => void (await ok(await accept(amendmentId))))
  return client
}

/** Whether anyone was told, within a moment, that the decision and the typing merged into something else. */
async function warned(id: string, amendmentId: string, chair: { events: Notification[] }): Promise<boolean> {
  await sleep(300)
  const view = await ok<Amendment>(await server.api(`/api/amendments/${amendmentId}`, { token: tokens['ingrid']! }))
  return notices(chair, id).length > 0 || (view.decision?.lateTyping?.length ?? 0) > 0
}

beforeAll(async () => {
  server = await startTestServer({ DATA_DIR: 'memory://', LOG_LEVEL: 'error' }, { now: () => clock })
  for (const name of ['secretariat', 'kwame', 'ingrid', 'tomas']) tokens[name] = await server.login(name)
})
afterAll(async () => {
  for (const stream of streams) stream.close()
  streams = []
  await server?.close()
})

describe('an acceptance racing a change of the paragraph’s structure its editor made without it', () => {
  // Yjs merges both as they come: what the editor did stands, and the chair is told. An editor's update that recreates
  // the paragraph's old words elsewhere deletes the old ones, among them the words the decision deleted, which one that
  // had the decision could not (see `deletesDecided` in the amendments package).
  it('joined into the paragraph before: the accepted words are gone from the text, and the chair is told', async () => {
    const { id, blocks, amendment } = await amended('locales', 'territoriales')
    const chair = await chairListening()
    // What ProseMirror's binding (y-prosemirror) sends for Backspace at the start of the second paragraph: its text
    // appended to the first paragraph's, the second paragraph element removed.
    const client = await raced(id, amendment.id, (doc) => {
      const first = blockText(doc, blocks[0]!)
      first.insert(first.length, ` ${SECOND}`)
      doc.getXmlFragment(BODY).delete(1, 1)
    })
    const text = await eventually(async () => {
      const now = await liveParagraphs(id)
      expect(now).toHaveLength(1)
      return now
    })
    // Neither "territoriales" nor the old words' paragraph: the record says A1 is accepted, and the warning says why it is not there.
    expect(text).toEqual([`${FIRST} ${SECOND}`])
    expect((await ok<Amendment>(await server.api(`/api/amendments/${amendment.id}`, { token: tokens['ingrid']! }))).status).toBe('accepted')
    expect(await warned(id, amendment.id, chair)).toBe(true)
    client.destroy()
  })

  // A decision that only added words deleted nothing for the join's update to delete again; the join deletes the old
  // paragraph, and the server, applying it, the words the decision wrote there, which the editor's update does not name.
  it('joined into the paragraph before, when the amendment only added words: they are gone from the text, and the chair is told', async () => {
    const { id, blocks, amendment } = await amended('locales', 'locales et régionales')
    const chair = await chairListening()
    const client = await raced(id, amendment.id, (doc) => {
      const first = blockText(doc, blocks[0]!)
      first.insert(first.length, ` ${SECOND}`)
      doc.getXmlFragment(BODY).delete(1, 1)
    })
    await eventually(async () => expect(await liveParagraphs(id)).toEqual([`${FIRST} ${SECOND}`]))
    expect(await warned(id, amendment.id, chair)).toBe(true)
    client.destroy()
  })

  // The new paragraph's items name none of the decision's neighbours; the first paragraph's tail, deleted, holds "vite".
  it('split inside the paragraph: the old word and the accepted one both stand, one in each paragraph, and the chair is told', async () => {
    const { id, blocks, amendment } = await amended('vite', 'rapidement')
    const chair = await chairListening()
    const at = FIRST.indexOf('vite')
    // Enter before "vite": the first paragraph loses its tail, a new one holds it.
    const client = await raced(id, amendment.id, (doc) => {
      const first = blockText(doc, blocks[0]!)
      first.delete(at, FIRST.length - at)
      const paragraph = new Y.XmlElement('paragraph')
      paragraph.insert(0, [new Y.XmlText(FIRST.slice(at))])
      doc.getXmlFragment(BODY).insert(1, [paragraph])
    })
    const text = await eventually(async () => {
      const now = await liveParagraphs(id)
      expect(now).toHaveLength(3)
      return now
    })
    expect(text).toEqual(['Nous devons agir rapidement', 'vite pour la cohésion sociale.', SECOND])
    expect(await warned(id, amendment.id, chair)).toBe(true)
    client.destroy()
  })

  // As for the join: the paragraph is a new element, and the old one's deletion holds "locales".
  it('moved above the paragraph before it: the accepted words are gone from the text, and the chair is told', async () => {
    const { id, blocks, amendment } = await amended('locales', 'territoriales')
    const chair = await chairListening()
    // A drag and drop: the element removed and the same paragraph (its id too) put back elsewhere.
    const client = await raced(id, amendment.id, (doc) => {
      const body = doc.getXmlFragment(BODY)
      body.delete(1, 1)
      const paragraph = new Y.XmlElement('paragraph')
      paragraph.setAttribute('id', blocks[1]!)
      paragraph.insert(0, [new Y.XmlText(SECOND)])
      body.insert(0, [paragraph])
    })
    const text = await eventually(async () => {
      const now = await liveParagraphs(id)
      expect(now[0]).toBe(SECOND)
      return now
    })
    expect(text).toEqual([SECOND, FIRST])
    expect(await warned(id, amendment.id, chair)).toBe(true)
    client.destroy()
  })
})

describe('an acceptance racing a deletion its editor made without it', () => {
  // The typist's update as sent deletes "vite", which the decision had deleted (an editor holding the decision cannot);
  // the change Yjs makes of it leaves that out, so it is read as received (`onReceive`).
  it('of the words around the replaced one: the text reads what neither wrote, glued to the next word, and the chair is told', async () => {
    const { id, blocks, amendment } = await amended('vite', 'rapidement')
    const chair = await chairListening()
    const client = await raced(id, amendment.id, (doc) => blockText(doc, blocks[0]!).delete(FIRST.indexOf('agir'), 'agir vite '.length))
    await eventually(async () => expect((await liveParagraphs(id))[0]).toBe('Nous devons rapidementpour la cohésion sociale.'))
    expect(await warned(id, amendment.id, chair)).toBe(true)
    client.destroy()
  })
})

describe('an editor that had the acceptance', () => {
  // Its deletions can never reach what the decision deleted (Yjs deletes an item once); its answer to the sync request
  // when it comes back carries every deletion it holds, the decision's too, and is told apart by what it announced.
  it('deleting around the accepted words and splitting the paragraph while cut off raises no alarm when it comes back', async () => {
    const { id, blocks, amendment } = await amended('vite', 'rapidement')
    const chair = await chairListening()
    await ok(await accept(amendment.id))
    const editor = connectClient(server.wsUrl, id, tokens['secretariat']!)
    await editor.synced
    await eventually(() => expect(paragraphs(editor.doc)[0]).toBe(FIRST.replace('vite', 'rapidement')))
    editor.provider.disconnect()
    const now = FIRST.replace('vite', 'rapidement')
    editor.doc.transact(() => {
      const first = blockText(editor.doc, blocks[0]!)
      first.delete(now.indexOf('agir'), 'agir rapidement '.length)
      const rest = 'Nous devons '.length
      const tail = first.toString().slice(rest)
      first.delete(rest, tail.length)
      const paragraph = new Y.XmlElement('paragraph')
      paragraph.insert(0, [new Y.XmlText(tail)])
      editor.doc.getXmlFragment(BODY).insert(1, [paragraph])
    })
    editor.provider.connect()
    await editor.saved()
    await eventually(async () => expect(await liveParagraphs(id)).toEqual(['Nous devons ', 'pour la cohésion sociale.', SECOND]))
    expect(await warned(id, amendment.id, chair)).toBe(false)
    editor.destroy()
  })

  it('joining the amended paragraph into the one before, or moving it, online or cut off, raises no alarm', async () => {
    const { id, blocks, amendment } = await amended('locales', 'territoriales')
    const chair = await chairListening()
    await ok(await accept(amendment.id))
    const amendedText = SECOND.replace('locales', 'territoriales')
    const editor = connectClient(server.wsUrl, id, tokens['secretariat']!)
    await editor.synced
    await eventually(() => expect(paragraphs(editor.doc)[1]).toBe(amendedText))
    const move = () =>
      editor.doc.transact(() => {
        const body = editor.doc.getXmlFragment(BODY)
        const last = body.length - 1
        const moved = body.get(last) as Y.XmlElement
        const [blockId, words] = [moved.getAttribute('id')!, (moved.get(0) as Y.XmlText).toString()]
        body.delete(last, 1)
        const paragraph = new Y.XmlElement('paragraph')
        paragraph.setAttribute('id', blockId)
        paragraph.insert(0, [new Y.XmlText(words)])
        body.insert(0, [paragraph])
      })
    move()
    await editor.saved()
    editor.provider.disconnect()
    move()
    editor.provider.connect()
    await editor.saved()
    // Moved up, then back down while cut off.
    await eventually(async () => expect(await liveParagraphs(id)).toEqual([FIRST, amendedText]))
    editor.doc.transact(() => {
      const first = blockText(editor.doc, blocks[0]!)
      first.insert(first.length, ` ${amendedText}`)
      editor.doc.getXmlFragment(BODY).delete(1, 1)
    })
    await editor.saved()
    await eventually(async () => expect(await liveParagraphs(id)).toEqual([`${FIRST} ${amendedText}`]))
    expect(await warned(id, amendment.id, chair)).toBe(false)
    editor.destroy()
  })
})

/** A bus that delivers every message `delayMs` late, in order: Redis under load, or across a slow link between instances. */
class SlowFanout extends InProcessFanout {
  delayMs = 0
  override publishCounted(channel: string, message: Uint8Array): Promise<number> {
    if (this.delayMs === 0) return super.publishCounted(channel, message)
    return new Promise((resolve) => setTimeout(() => resolve(super.publishCounted(channel, message)), this.delayMs))
  }
}

describe('two chairs on two instances deciding two amendments, one right after the other', () => {
  const opened: Array<{ close(): Promise<void> }> = []
  afterAll(async () => {
    for (const one of opened.reverse()) await one.close()
  })

  /**
   * Two instances sharing a database over a bus that can be made slow; the secretariat follows the text on one, Ingrid
   * (a chair) on two; Kwame and Claire table a replacement each of a word of FIRST, and the text is at consolidation.
   */
  async function twoInstances([kwameWants, claireWants]: Array<[from: string, to: string]>) {
    const db = await memoryDatabase()
    opened.push(db)
    const fanout = new SlowFanout()
    const one = await startTestServer({ LOG_LEVEL: 'silent' }, { db, fanout, now: () => clock })
    const two = await startTestServer({ LOG_LEVEL: 'silent' }, { db, fanout, now: () => clock })
    opened.push(two, one)
    const [secretariat, kwame, claire, ingrid] = [await one.login('secretariat'), await one.login('kwame'), await one.login('claire'), await one.login('ingrid')]
    const call = (server: TestServer, path: string, token: string, body: unknown) =>
      server.api(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), token })
    const form = new FormData()
    form.append('file', new File([`---\ntitle: "Deux instances"\nlanguage: fr\n---\n\n${FIRST}\n`], 'course.md'))
    const { id } = await ok<{ id: string }>(await one.api('/api/resolutions/import', { method: 'POST', body: form, token: secretariat }), 201)
    // People follow the text on both instances: each holds it live.
    const onOne = connectClient(one.wsUrl, id, secretariat)
    const onTwo = connectClient(two.wsUrl, id, ingrid)
    await Promise.all([onOne.synced, onTwo.synced])
    const blockId = readBody(onOne.doc).firstChild!.attrs['id'] as string
    await ok(await call(one, `/api/resolutions/${id}/stage`, secretariat, { to: 'amendments', deadline: '2026-11-30T17:00:00Z' }))
    const table = async (token: string, [from, to]: [string, string]) =>
      ok<Amendment>(await call(one, `/api/resolutions/${id}/amendments`, token, { kind: 'replace', blockId, text: FIRST.replace(from, to), justification: 'Plus clair.' }), 201)
    const amendments = [await table(kwame, kwameWants!), await table(claire, claireWants!)]
    await ok(await call(one, `/api/resolutions/${id}/stage`, secretariat, { to: 'consolidation' }))
    await eventually(() => expect(paragraphs(onTwo.doc)).toEqual([FIRST]))
    const decide = (server: TestServer, amendment: Amendment, token: string) => call(server, `/api/amendments/${amendment.id}/decision`, token, { decision: 'accept' })
    return { db, fanout, one, two, id, onOne, onTwo, amendments, decide, tokens: { secretariat, ingrid } }
  }

  // A decision rebases on its instance's live text, which need not yet hold a decision stored by another instance the
  // moment before (the turn orders the two; the bus carries the first to the second instance later): both were
  // accepted, and "rapidementpromptement" stored. The second now reads the decisions stored before its turn.
  it('to the same words: the second is rebased on the text with the first, and refused as a conflict', async () => {
    const { db, fanout, one, two, id, onOne, onTwo, amendments: [quick, prompt], decide, tokens } = await twoInstances([
      ['vite', 'rapidement'],
      ['vite', 'promptement'],
    ])
    fanout.delayMs = 300
    await ok(await decide(one, quick!, tokens.secretariat))
    // Had the text on two held the first acceptance, the second would be refused: the same word, changed since it was tabled.
    const second = await decide(two, prompt!, tokens.ingrid)
    await sleep(1000)
    fanout.delayMs = 0
    expect(await ok<{ error: { code: string } }>(second, 409)).toMatchObject({ error: { code: 'conflict' } })
    expect((await storedBody(db, id)).textContent).toBe(FIRST.replace('vite', 'rapidement'))
    await eventually(() => expect([paragraphs(onOne.doc), paragraphs(onTwo.doc)]).toEqual([[FIRST.replace('vite', 'rapidement')], [FIRST.replace('vite', 'rapidement')]]))
    onOne.destroy()
    onTwo.destroy()
  }, 60_000)

  // The first decision's update builds on typing that has not reached two yet: two cannot apply it, and a decision made
  // from a text without it would be made from the wrong text. Refused, nothing decided (503 text_behind), then taken.
  it('the first building on typing the second instance has not received: refused with 503 text_behind, nothing decided, then taken', async () => {
    const { db, fanout, one, two, id, onOne, onTwo, amendments: [quick, solidarity], decide, tokens } = await twoInstances([
      ['vite', 'rapidement'],
      ['cohésion', 'solidarité'],
    ])
    fanout.delayMs = 1500
    // The secretariat, on one, types the spaces around "vite" again (the words unchanged, so nothing conflicts): the
    // acceptance's "rapidement" then stands between new spaces, and its update cannot be applied where they have not arrived.
    const text = textOf(onOne.doc.getXmlFragment(BODY).get(0) as Y.XmlElement)
    onOne.doc.transact(() => {
      for (const space of [FIRST.indexOf('vite') - 1, FIRST.indexOf('vite') + 'vite'.length]) {
        text.delete(space, 1)
        text.insert(space, ' ')
      }
    })
    await onOne.saved()
    await ok(await decide(one, quick!, tokens.secretariat))
    const early = await decide(two, solidarity!, tokens.ingrid)
    expect(early.status).toBe(503)
    expect(early.headers.get('retry-after')).toBe('1')
    expect(await early.json()).toMatchObject({ error: { code: 'text_behind' } })
    expect((await ok<Amendment>(await two.api(`/api/amendments/${solidarity!.id}`, { token: tokens.ingrid }))).status).toBe('tabled')

    fanout.delayMs = 0
    const both = FIRST.replace('vite', 'rapidement').replace('cohésion', 'solidarité')
    await eventually(async () => expect((await decide(two, solidarity!, tokens.ingrid)).status).toBe(200), { timeout: 10_000, interval: 250 })
    expect((await storedBody(db, id)).textContent).toBe(both)
    await eventually(() => expect([paragraphs(onOne.doc), paragraphs(onTwo.doc)]).toEqual([[both], [both]]))
    onOne.destroy()
    onTwo.destroy()
  }, 60_000)
})

describe('a decision taken back while its words are being typed in', () => {
  // It read "vites" (or "svite") with no warning: only acceptances were watched for late typing, and the record the
  // warning went to was the acceptance's, which a reset clears. A reset is watched too; its warning goes to the audit
  // log and to the person who reset and the typist.
  it('the typing lands in the restored word, and the audit log and the person who reset say so', async () => {
    const { id, blocks, amendment } = await amended('vite', 'rapidement')
    const chair = await chairListening()
    await ok(await accept(amendment.id))
    const typed = FIRST.replace('vite', 'rapidement')
    const client = await typedOffline(
      server.wsUrl,
      id,
      tokens['secretariat']!,
      (doc) => blockText(doc, blocks[0]!).insert(typed.indexOf('rapidement') + 'rapidement'.length, 's'),
      async () => void (await ok(await post(`/api/amendments/${amendment.id}/reset`, { reason: 'Décidé trop tôt.' }, 'ingrid'))),
    )
    await eventually(async () => expect(['Nous devons agir vites pour la cohésion sociale.', 'Nous devons agir svite pour la cohésion sociale.']).toContain((await liveParagraphs(id))[0]))
    await sleep(300)
    const audit = await ok<Array<{ action: string }>>(await server.api(`/api/resolutions/${id}/audit`, { token: tokens['secretariat']! }))
    expect(notices(chair, id).length > 0 || audit.some((entry) => entry.action === 'lateTyping')).toBe(true)
    expect(notices(chair, id)).toHaveLength(1)
    expect(audit.filter((entry) => entry.action === 'lateTyping')).toHaveLength(1)
    client.destroy()
  })

  // A typist cut off before the acceptance, back after its reset, typed next to the word both took away and put back:
  // the typing is blind to the acceptance (its watch sees it), and that watch said nothing once the amendment was tabled
  // again. Its report now goes the reset's way.
  it('typing by someone who received neither the acceptance nor its reset, next to the word, is said too', async () => {
    const { id, blocks, amendment } = await amended('vite', 'rapidement')
    const chair = await chairListening()
    const client = await typedOffline(
      server.wsUrl,
      id,
      tokens['secretariat']!,
      (doc) => blockText(doc, blocks[0]!).insert(FIRST.indexOf('vite') + 'vite'.length, 's'),
      async () => {
        await ok(await accept(amendment.id))
        await ok(await post(`/api/amendments/${amendment.id}/reset`, { reason: 'Décidé trop tôt.' }, 'ingrid'))
      },
    )
    await eventually(async () => expect(['Nous devons agir vites pour la cohésion sociale.', 'Nous devons agir svite pour la cohésion sociale.']).toContain((await liveParagraphs(id))[0]))
    await sleep(300)
    const audit = await ok<Array<{ action: string; detail: { resetBy?: string } }>>(await server.api(`/api/resolutions/${id}/audit`, { token: tokens['secretariat']! }))
    expect(audit.filter((entry) => entry.action === 'lateTyping')).toHaveLength(1)
    expect(notices(chair, id)).toHaveLength(1)
    client.destroy()
  })

  it('typing elsewhere in the paragraph while a decision is taken back raises nothing', async () => {
    const { id, blocks, amendment } = await amended('vite', 'rapidement')
    const chair = await chairListening()
    await ok(await accept(amendment.id))
    const client = await typedOffline(
      server.wsUrl,
      id,
      tokens['secretariat']!,
      (doc) => blockText(doc, blocks[0]!).insert(0, 'Oui, '),
      async () => void (await ok(await post(`/api/amendments/${amendment.id}/reset`, { reason: 'Décidé trop tôt.' }, 'ingrid'))),
    )
    await eventually(async () => expect((await liveParagraphs(id))[0]).toBe(`Oui, ${FIRST}`))
    await sleep(300)
    const audit = await ok<Array<{ action: string }>>(await server.api(`/api/resolutions/${id}/audit`, { token: tokens['secretariat']! }))
    expect(notices(chair, id)).toEqual([])
    expect(audit.filter((entry) => entry.action === 'lateTyping')).toEqual([])
    client.destroy()
  })
})

describe('an acceptance after the paragraph moved on', () => {
  // The new paragraph was put inside the text of the one it was to follow, split in two since it was tabled, with no
  // word said: an insertion was never rebased, and the block id stays with the split's first half. It now conflicts
  // when the paragraph it follows lost its end; accepting it as modified cannot move it, so is refused alike.
  it('an insertion after a paragraph split since is refused as a conflict, the text untouched', async () => {
    const { id, blocks, amendments } = await tabled((ids) => [{ kind: 'insertAfter', blockId: ids[0], text: 'Un nouveau paragraphe.' }])
    // The secretariat, online, presses Enter before "pour" in the first paragraph (as ProseMirror's binding sends it).
    const editor = connectClient(server.wsUrl, id, tokens['secretariat']!)
    await editor.synced
    const at = FIRST.indexOf('pour')
    editor.doc.transact(() => {
      blockText(editor.doc, blocks[0]!).delete(at, FIRST.length - at)
      const paragraph = new Y.XmlElement('paragraph')
      paragraph.insert(0, [new Y.XmlText(FIRST.slice(at))])
      editor.doc.getXmlFragment(BODY).insert(1, [paragraph])
    })
    await editor.saved()
    const view = await ok<Amendment>(await server.api(`/api/amendments/${amendments[0]!.id}`, { token: tokens['ingrid']! }))
    expect(view.conflict).toBe(true)
    expect(await ok<{ error: { code: string } }>(await accept(amendments[0]!.id), 409)).toMatchObject({ error: { code: 'conflict' } })
    const modified = await post(`/api/amendments/${amendments[0]!.id}/decision`, { decision: 'acceptModified', text: 'Un paragraphe nouveau.' }, 'ingrid')
    expect(await ok<{ error: { code: string } }>(modified, 409)).toMatchObject({ error: { code: 'conflict' } })
    expect(await liveParagraphs(id)).toEqual(['Nous devons agir vite ', 'pour la cohésion sociale.', SECOND])
    // Joined back (Backspace at the start of the second half), the paragraph reads to its end again: it is accepted after it.
    editor.doc.transact(() => {
      blockText(editor.doc, blocks[0]!).insert(at, FIRST.slice(at))
      editor.doc.getXmlFragment(BODY).delete(1, 1)
    })
    await editor.saved()
    await ok(await accept(amendments[0]!.id))
    expect(await liveParagraphs(id)).toEqual([FIRST, 'Un nouveau paragraphe.', SECOND])
    editor.destroy()
  })

  it('an insertion after a paragraph edited since, its last word included, is accepted after it, with no conflict', async () => {
    const { id, blocks, amendments } = await tabled((ids) => [
      { kind: 'insertAfter', blockId: ids[0], text: 'Un nouveau paragraphe.' },
      { kind: 'insertAfter', blockId: ids[1], text: 'Un autre.' },
    ])
    const editor = connectClient(server.wsUrl, id, tokens['secretariat']!)
    await editor.synced
    editor.doc.transact(() => {
      const first = blockText(editor.doc, blocks[0]!)
      first.insert(FIRST.indexOf('vite') + 'vite'.length, ' et ensemble')
      const second = blockText(editor.doc, blocks[1]!)
      second.delete(SECOND.indexOf('associées'), 'associées'.length)
      second.insert(SECOND.indexOf('associées'), 'consultées')
    })
    await editor.saved()
    for (const amendment of amendments) {
      const view = await ok<Amendment>(await server.api(`/api/amendments/${amendment.id}`, { token: tokens['ingrid']! }))
      expect(view.conflict).toBe(false)
    }
    await ok(await accept(amendments[0]!.id))
    await ok(await post(`/api/amendments/${amendments[1]!.id}/decision`, { decision: 'acceptModified', text: 'Un autre, modifié.' }, 'ingrid'))
    const edited = [FIRST.replace('vite', 'vite et ensemble'), SECOND.replace('associées', 'consultées')]
    expect(await liveParagraphs(id)).toEqual([edited[0], 'Un nouveau paragraphe.', edited[1], 'Un autre, modifié.'])
    editor.destroy()
  })
})

/** A server on `real` whose decisions' own rows wait `hold()` ms to be written (PostgreSQL busy); everything else answers at once. */
async function holdingServer(real: Database): Promise<{ server: TestServer; hold(ms: number): void }> {
  let held = 0
  const late = (sql: string) => (held > 0 && sql.includes("decision = $3::text::json, updated_at = $4 where id = $1 and status = 'tabled'") ? sleep(held) : Promise.resolve())
  const slow = (target: Queryable): Queryable => ({ query: async (sql, params) => (await late(sql), target.query(sql, params)) })
  const db: Database = { ...real, query: (sql, params) => real.query(sql, params), transaction: (work) => real.transaction((tx) => work(slow(tx))) }
  const server = await startTestServer({ LOG_LEVEL: 'silent' }, { db, now: () => clock })
  return { server, hold: (ms) => void (held = ms) }
}

/** One paragraph, one amendment replacing "vite" by "rapidement", at consolidation, on `on`. */
async function oneAmendment(on: TestServer): Promise<{ id: string; blockId: string; amendment: Amendment; call(path: string, as: string, body: unknown): Promise<Response> }> {
  const names = ['secretariat', 'kwame', 'ingrid']
  const logins = Object.fromEntries(await Promise.all(names.map(async (name) => [name, await on.login(name)] as const)))
  const call = (path: string, as: string, body: unknown) =>
    on.api(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), token: logins[as]! })
  const form = new FormData()
  form.append('file', new File([`---\ntitle: "Un paragraphe ${Math.random()}"\nlanguage: fr\n---\n\n${FIRST}\n`], 'course.md'))
  const { id } = await ok<{ id: string }>(await on.api('/api/resolutions/import', { method: 'POST', body: form, token: logins['secretariat']! }), 201)
  const reader = connectClient(on.wsUrl, id, logins['secretariat']!)
  await reader.synced
  const blockId = readBody(reader.doc).firstChild!.attrs['id'] as string
  reader.destroy()
  await ok(await call(`/api/resolutions/${id}/stage`, 'secretariat', { to: 'amendments', deadline: '2026-11-30T17:00:00Z' }))
  const amendment = await ok<Amendment>(await call(`/api/resolutions/${id}/amendments`, 'kwame', { kind: 'replace', blockId, text: FIRST.replace('vite', 'rapidement'), justification: 'Plus clair.' }), 201)
  await ok(await call(`/api/resolutions/${id}/stage`, 'secretariat', { to: 'consolidation' }))
  return { id, blockId, amendment, call }
}

describe('an acceptance whose storing is slow', () => {
  const opened: Array<{ close(): Promise<void> }> = []
  afterAll(async () => {
    for (const one of opened.reverse()) await one.close()
  })

  // The decision applies its change to the document it opened, once stored: were that one unloaded meanwhile (nobody
  // connected), the one loaded for the next person, read before the decision was stored, would never show it.
  it('on a document nobody has open reaches the people who open the text meanwhile', async () => {
    const real = await openDatabase({ url: await freshPostgresUrl(), dataDir: '' })
    opened.push(real)
    const { server: one, hold } = await holdingServer(real)
    opened.push(one)
    const { id, amendment, call } = await oneAmendment(one)
    hold(1500)
    const decided = call(`/api/amendments/${amendment.id}/decision`, 'ingrid', { decision: 'accept' })
    // Past UNLOAD_AFTER_MS (200 ms here, 30 s by default) with nobody connected, the document is unloaded under the decision.
    await sleep(600)
    const opener = connectClient(one.wsUrl, id, await one.login('secretariat'))
    await opener.synced
    await ok(await decided)
    hold(0)
    expect((await storedBody(real, id)).textContent).toBe(FIRST.replace('vite', 'rapidement'))
    await sleep(500)
    expect(paragraphs(opener.doc)).toEqual([FIRST.replace('vite', 'rapidement')])
    opener.destroy()
  }, 60_000)

  /**
   * A server whose storing of the acceptance is held 800 ms, and a typist on it who makes `edit` 300 ms into it: the
   * decision is then made from the text and being stored, and the server has not applied it to anyone's text yet.
   */
  async function editedWhileStored(edit: (text: Y.XmlText, doc: Y.Doc) => void) {
    const real = await memoryDatabase()
    opened.push(real)
    const { server: one, hold } = await holdingServer(real)
    opened.push(one)
    const { id, blockId, amendment, call } = await oneAmendment(one)
    const typist = connectClient(one.wsUrl, id, await one.login('secretariat'))
    await typist.synced
    hold(800)
    const decided = call(`/api/amendments/${amendment.id}/decision`, 'ingrid', { decision: 'accept' })
    await sleep(300)
    edit(blockText(typist.doc, blockId), typist.doc)
    await ok(await decided)
    hold(0)
    return { one, amendment, typist }
  }

  // The typing reached the server after the decision was made from the text and before it was applied to it: the
  // watch, which starts when it is applied, checks what the text took since it was made too.
  it('is said to be raced by typing that reached the server while it was being stored, in its words', async () => {
    const { one, amendment, typist } = await editedWhileStored((text) => text.insert(FIRST.indexOf('vite') + 'vite'.length, 's'))
    await eventually(() => expect(['Nous devons agir rapidements pour la cohésion sociale.', 'Nous devons agir srapidement pour la cohésion sociale.']).toContain(paragraphs(typist.doc)[0]))
    await sleep(300)
    const record = await ok<Amendment>(await one.api(`/api/amendments/${amendment.id}`, { token: await one.login('ingrid') }))
    expect(record.decision?.lateTyping).toEqual([expect.objectContaining({ text: paragraphs(typist.doc)[0] })])
    typist.destroy()
  }, 60_000)

  // The deletion reached the text before the decision did, so Yjs leaves "vite" out of the decision's change as applied;
  // the change as made names it, and the deletions connections sent lately are read against it.
  it('is said to be raced by a deletion around its words that reached the server while it was being stored', async () => {
    const { one, amendment, typist } = await editedWhileStored((text) => text.delete(FIRST.indexOf('agir'), 'agir vite '.length))
    await eventually(() => expect(paragraphs(typist.doc)).toEqual(['Nous devons rapidementpour la cohésion sociale.']))
    await sleep(300)
    const record = await ok<Amendment>(await one.api(`/api/amendments/${amendment.id}`, { token: await one.login('ingrid') }))
    expect(record.decision?.lateTyping).toBeDefined()
    typist.destroy()
  }, 60_000)

  it('is not said to be raced by typing or deleting in other words that reached the server meanwhile', async () => {
    const { one, amendment, typist } = await editedWhileStored((text, doc) => {
      text.insert(FIRST.indexOf('agir') + 'agir'.length, ' ensemble')
      text.insert(0, 'Oui, ')
      text.delete(paragraphs(doc)[0]!.indexOf('la '), 'la '.length)
    })
    await eventually(() => expect(paragraphs(typist.doc)).toEqual(['Oui, Nous devons agir ensemble rapidement pour cohésion sociale.']))
    await sleep(300)
    const record = await ok<Amendment>(await one.api(`/api/amendments/${amendment.id}`, { token: await one.login('ingrid') }))
    expect(record.decision?.lateTyping).toBeUndefined()
    typist.destroy()
  }, 60_000)
})

describe('what held', () => {
  it('two chairs accepting rival replacements of one word at once, on one instance: one is accepted, the other refused as a conflict', async () => {
    const { id, amendments } = await tabled((ids) => [
      { kind: 'replace', blockId: ids[0], text: FIRST.replace('vite', 'rapidement') },
      { kind: 'replace', blockId: ids[0], text: FIRST.replace('vite', 'promptement') },
    ])
    const [one, two] = await Promise.all([accept(amendments[0]!.id, 'ingrid'), accept(amendments[1]!.id, 'secretariat')])
    expect([one.status, two.status].sort()).toEqual([200, 409])
    const won = one.status === 200 ? 'rapidement' : 'promptement'
    expect(await liveParagraphs(id)).toEqual([FIRST.replace('vite', won), SECOND])
    expect((await storedBody(server.hemicycle.services.db, id)).textContent).toBe(`${FIRST.replace('vite', won)}${SECOND}`)
  })

  it('an acceptance after its paragraph was moved lands in it where it now stands; after it was joined into another, it is refused as obsolete', async () => {
    const { id, blocks, amendments } = await tabled((ids) => [
      { kind: 'replace', blockId: ids[1], text: SECOND.replace('locales', 'territoriales') },
      { kind: 'replace', blockId: ids[0], text: FIRST.replace('vite', 'rapidement') },
    ])
    const editor = connectClient(server.wsUrl, id, tokens['secretariat']!)
    await editor.synced
    editor.doc.transact(() => {
      const body = editor.doc.getXmlFragment(BODY)
      body.delete(1, 1)
      const paragraph = new Y.XmlElement('paragraph')
      paragraph.setAttribute('id', blocks[1]!)
      paragraph.insert(0, [new Y.XmlText(SECOND)])
      body.insert(0, [paragraph])
    })
    await editor.saved()
    await ok(await accept(amendments[0]!.id))
    expect(await liveParagraphs(id)).toEqual([SECOND.replace('locales', 'territoriales'), FIRST])
    await eventually(() => expect(paragraphs(editor.doc)).toEqual([SECOND.replace('locales', 'territoriales'), FIRST]))
    // The first paragraph (now second) joined into the one before it.
    editor.doc.transact(() => {
      const first = blockText(editor.doc, blocks[1]!)
      first.insert(first.length, ` ${FIRST}`)
      editor.doc.getXmlFragment(BODY).delete(1, 1)
    })
    await editor.saved()
    const refused = await accept(amendments[1]!.id)
    expect(await ok<{ error: { code: string } }>(refused, 409)).toMatchObject({ error: { code: 'obsolete' } })
    expect(await liveParagraphs(id)).toEqual([`${SECOND.replace('locales', 'territoriales')} ${FIRST}`])
    editor.destroy()
  })

  it('an undo made without an acceptance (its typist cut off) puts back what it took, beside the accepted words, and raises no alarm', async () => {
    const { id, blocks, amendment } = await amended('vite', 'rapidement')
    const chair = await chairListening()
    const editor = connectClient(server.wsUrl, id, tokens['secretariat']!)
    await editor.synced
    const text = blockText(editor.doc, blocks[0]!)
    const undo = new Y.UndoManager(text)
    text.delete(0, 'Nous '.length)
    await editor.saved()
    editor.provider.disconnect()
    undo.undo()
    await ok(await accept(amendment.id))
    editor.provider.connect()
    await editor.saved()
    await eventually(async () => expect((await liveParagraphs(id))[0]).toBe(FIRST.replace('vite', 'rapidement')))
    expect(await warned(id, amendment.id, chair)).toBe(false)
    editor.destroy()
  })
})
