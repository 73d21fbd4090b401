import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { bodyOf, readBody, SOURCE_ID, textblockElements } from '@hemicycle/schema'
import { afterAll, describe, expect, it } from 'vitest'
import type * as Y from 'yjs'
import { sleep, typeInto } from './harness.ts'
import { languageVersionSession, paragraphsOf, textOf } from './languageVersions.ts'

/**
 * Language versions against a hand-written client and a lock that follows
 * a change at once: what is locked, hashed and archived in each language is
 * the original's paragraphs in the original's order, and a block reads
 * current only while both its source and its translation are as confirmed.
 */

const workdir = mkdtempSync(join(tmpdir(), 'hemicycle-translations-review-'))
afterAll(() => rmSync(workdir, { recursive: true, force: true }))

const { start, durable, s, id, send, post, get, languages, blocksOf, move, connect, translateAndConfirmAll, deleteFourthAndRestart } = languageVersionSession()

/** The version's textblock elements in document order. */
const versionBlocks = (doc: Y.Doc) => textblockElements(bodyOf(doc)).map(({ element }) => element)

function pdfText(pdf: Uint8Array): string {
  const path = join(workdir, `${Math.random().toString(36).slice(2)}.pdf`)
  writeFileSync(path, pdf)
  return execFileSync('pdftotext', ['-enc', 'UTF-8', path, '-'], { encoding: 'utf8' }).replace(/[\s\u00a0]+/g, ' ')
}

describe('the lock and a version the original left behind', () => {
  it('never hashes into a version the translation of a paragraph the original no longer has (restart between the deletion and the versions following)', async () => {
    // Stored at once, so that the chair's 'saved' comes before the versions follow (40 ms; up to 600 ms on a long text):
    // the restart falls in that window, as a deploy or a crash can.
    const env = await durable()
    await start(env)
    const version = await translateAndConfirmAll('en')
    version.destroy()
    expect((await move({ to: 'amendments', deadline: '2099-11-30T17:00:00Z' }, 'secretariat')).status).toBe(200)
    expect((await move({ to: 'consolidation' }, 'secretariat')).status).toBe(200)

    // The chair deletes §4 (EN text of block 4.), and the server is restarted (a deploy) right after storing it.
    await deleteFourthAndRestart('ingrid', env)

    // Every block of the English version is current: nothing outstanding, the lock goes through without acknowledgement.
    expect((await blocksOf('en')).map((block) => block.status)).toEqual(Array(14).fill('current'))
    const locked = await move({ to: 'final', confirm: true }, 'mateo')
    expect(locked.status).toBe(200)

    const fr = paragraphsOf(await (await get(`/api/resolutions/${id()}/export.md`)).text())
    const en = paragraphsOf(await (await get(`/api/resolutions/${id()}/export.md?language=en`)).text())
    const verify = (await (await s().api(`/api/resolutions/${id()}/verify?language=en`)).json()) as { matches: boolean }
    expect(verify.matches).toBe(true)
    // The locked (hashed) English text must have the original's paragraphs, not the deleted one's translation.
    expect(en.some((paragraph) => paragraph.includes('EN text of block 4.'))).toBe(false)
    expect(en.length).toBe(fr.length)
  }, 60_000)
})

describe('what a confirmation vouches for', () => {
  it('a confirmed block whose translation is rewritten afterwards is no longer current', async () => {
    await start()
    const version = await translateAndConfirmAll('en')
    // Another writer (or a script with a translator's token) replaces the confirmed wording of §2.
    const second = textOf(versionBlocks(version.doc)[1]!)
    second.delete(0, second.length)
    second.insert(0, 'The Alliance rejects every word of this resolution.')
    await version.saved()
    await sleep(200)
    const block = (await blocksOf('en'))[1]!
    expect(block.text).toBe('The Alliance rejects every word of this resolution.')
    expect(block.status).toBe('due')
  }, 30_000)

  it('two blocks whose sourceIds a hand-written client swapped are not both current, and the parallel PDF does not print §2’s translation beside §1', async () => {
    await start()
    const version = await translateAndConfirmAll('en')
    const [first, second] = versionBlocks(version.doc)
    const [a, b] = [first!.getAttribute(SOURCE_ID) as string, second!.getAttribute(SOURCE_ID) as string]
    version.doc.transact(() => {
      first!.setAttribute(SOURCE_ID, b)
      second!.setAttribute(SOURCE_ID, a)
    })
    await version.saved()
    await sleep(200)
    expect(version.denials).toEqual([])
    const blocks = await blocksOf('en')
    // §1 now 'translates' as "EN text of block 2." and §2 as "EN text of block 1.".
    expect([blocks[0]!.text, blocks[1]!.text]).toEqual(['EN text of block 2.', 'EN text of block 1.'])
    const pdf = pdfText(new Uint8Array(await (await get(`/api/resolutions/${id()}/parallel.pdf?languages=fr,en`)).arrayBuffer()))
    expect(pdf.indexOf('EN text of block 2.')).toBeLessThan(pdf.indexOf('EN text of block 1.'))
    expect(blocks.slice(0, 2).map((block) => block.status)).toEqual(['due', 'due'])
  }, 30_000)
})

describe('a version’s title', () => {
  it('is kept as the original’s title is: a control character is refused (400 invalid_character), not printed into the HTML title', async () => {
    await start()
    expect((await post(languages(), { language: 'en' }, 'secretariat')).status).toBe(201)
    const response = await send('PATCH', `${languages()}/en`, { title: 'Social cohesion\u0007 and\nprogress' }, 'traductrice')
    const body = (await response.json()) as { title?: string; error?: { code: string } }
    expect({ status: response.status, code: body.error?.code, title: body.title }).toEqual({ status: 400, code: 'invalid_character', title: undefined })
  }, 30_000)
})


describe('the lock right after an accepted deletion', () => {
  it('hashes the English version as aligned with the original when the lock follows an accepted deletion at once', async () => {
    await start()
    const version = await translateAndConfirmAll('en')
    const reader = connect(id(), 'claire')
    await reader.synced
    const fourth = readBody(reader.doc).child(3)
    expect((await move({ to: 'amendments', deadline: '2099-11-30T17:00:00Z' }, 'secretariat')).status).toBe(200)
    const tabled = await post(`/api/resolutions/${id()}/amendments`, { kind: 'delete', blockId: fourth.attrs['id'], text: '', justification: 'Superflu.' }, 'claire')
    expect(tabled.status).toBe(201)
    const amendment = (await tabled.json()) as { id: string }
    expect((await move({ to: 'consolidation' }, 'secretariat')).status).toBe(200)
    expect((await post(`/api/amendments/${amendment.id}/decision`, { decision: 'accept' }, 'ingrid')).status).toBe(200)
    const locked = await move({ to: 'final', confirm: true }, 'mateo')
    expect(locked.status).toBe(200)
    const fr = paragraphsOf(await (await get(`/api/resolutions/${id()}/export.md`)).text())
    const en = paragraphsOf(await (await get(`/api/resolutions/${id()}/export.md?language=en`)).text())
    void version
    // Side by side, the deleted paragraph is gone from both columns, and from the English text as locked, hashed and archived.
    const parallel = pdfText(new Uint8Array(await (await get(`/api/resolutions/${id()}/parallel.pdf?languages=fr,en`)).arrayBuffer()))
    expect(parallel).not.toContain('EN text of block 4.')
    expect(en.length).toBe(fr.length)
    const record = pdfText(new Uint8Array(await (await get(`/api/resolutions/${id()}/record.pdf?language=en`)).arrayBuffer()))
    expect(record).not.toContain('EN text of block 4.')
  }, 30_000)
})


describe('the lock right after a paragraph moved', () => {
  it('hashes the English version in the original’s order when the lock follows a move at once', async () => {
    // Stored at once, so the chair's 'saved' arrives before the versions follow (40 ms).
    await start({ DATA_DIR: 'memory://', PERSIST_INTERVAL_MS: '1' })
    await translateAndConfirmAll('en')
    expect((await move({ to: 'amendments', deadline: '2099-11-30T17:00:00Z' }, 'secretariat')).status).toBe(200)
    expect((await move({ to: 'consolidation' }, 'secretariat')).status).toBe(200)
    const chair = connect(id(), 'ingrid')
    await chair.synced
    // Cut §2 and paste it after §5, keeping its id (as a drag in the editor does); a character typed and taken back so 'saved' waits for the store.
    const body = chair.doc.getXmlFragment('body')
    chair.doc.transact(() => {
      const second = body.get(1) as Y.XmlElement
      const copy = second.clone()
      body.delete(1, 1)
      body.insert(4, [copy])
      typeInto(chair.doc, 0, 0, ' ')
      ;((body.get(0) as Y.XmlElement).get(0) as Y.XmlText).delete(0, 1)
    })
    await chair.saved()
    const blocks = await blocksOf('en')
    expect(blocks.every((block) => block.status === 'current')).toBe(true)
    // Read beside the original, block by block, the English version follows the new order.
    expect(blocks.slice(0, 5).map((block) => /EN text of block (\d+)/.exec(block.text)?.[1])).toEqual(['1', '3', '4', '5', '2'])
    expect((await move({ to: 'final', confirm: true }, 'mateo')).status).toBe(200)
    const en = paragraphsOf(await (await get(`/api/resolutions/${id()}/export.md?language=en`)).text())
    const order = en.map((paragraph) => /EN text of block (\d+)/.exec(paragraph)?.[1]).filter(Boolean)
    // The original now reads §1, §3, §4, §5, §2, … : the locked English text must too.
    expect(order.slice(0, 5)).toEqual(['1', '3', '4', '5', '2'])
  }, 30_000)
})
