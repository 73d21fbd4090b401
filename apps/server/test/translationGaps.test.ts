import { insertAfter } from '@hemicycle/amendments'
import type { AuditEntry } from '@hemicycle/protocol'
import { readBody } from '@hemicycle/schema'
import { describe, expect, it } from 'vitest'
import type * as Y from 'yjs'
import { eventually } from './harness.ts'
import { languageVersionSession, paragraphsOf, textOf } from './languageVersions.ts'

/**
 * Language versions where the procedure meets its edges: a version printed
 * before it followed the original, a paragraph of the original with nothing
 * to translate, and a version's title changed by whoever may change it.
 */

const { start, durable, id, send, post, get, languages, blocksOf, move, connect, translateAndConfirmAll, deleteFourthAndRestart } = languageVersionSession()

describe('a language version exported before it followed the original', () => {
  it('prints the original’s paragraphs and § numbers, not the translation of a paragraph the original deleted (restart between the deletion and the versions following)', async () => {
    // Stored at once, so that the delegate's 'saved' comes before the versions follow: the restart falls in that window.
    const env = await durable()
    await start(env)
    const version = await translateAndConfirmAll('en')
    version.destroy()
    await deleteFourthAndRestart('claire', env)

    // Nobody opens the version: it is printed as read.
    const fr = paragraphsOf(await (await get(`/api/resolutions/${id()}/export.md`)).text())
    const en = paragraphsOf(await (await get(`/api/resolutions/${id()}/export.md?language=en`)).text())
    expect(en.some((paragraph) => paragraph.includes('EN text of block 4.'))).toBe(false)
    expect(en.length).toBe(fr.length)
    // The original's fourth paragraph is now its fifth one's: the translation of that one is the English fourth.
    expect(en[3]).toContain('EN text of block 5.')
    // The HTML cites the same § as the original's for each translated paragraph.
    const html = await (await get(`/api/resolutions/${id()}/export.html?language=en`)).text()
    const cited = [...html.matchAll(/EN text of block (\d+)\./g)].map((match) => Number(match[1]))
    expect(cited).not.toContain(4)
  }, 240_000)
})

describe('a paragraph of the original with no words', () => {
  it('has nothing to translate: it is not outstanding, and the lock needs no acknowledgement for it', async () => {
    await start()
    const claire = connect(id(), 'claire')
    await claire.synced
    const second = readBody(claire.doc).child(1).attrs['id'] as string
    // An empty paragraph, numbered and printed as every empty paragraph is.
    claire.doc.transact(() => insertAfter(claire.doc, second, [[]]))
    await claire.saved()
    const version = await translateAndConfirmAll('en')
    await eventually(async () => expect((await blocksOf('en')).length).toBe(16))
    const blocks = await blocksOf('en')
    const empty = blocks.find((block) => block.sourceText === '')!
    expect(empty).toBeDefined()
    expect(empty.status).toBe('current')
    expect(blocks.every((block) => block.status === 'current')).toBe(true)
    // Still nothing to confirm in it.
    const refused = await post(`${languages()}/en/blocks/${empty.sourceId}/confirm`, {}, 'traductrice')
    expect(refused.status).toBe(409)
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('empty_translation')
    version.destroy()

    expect((await move({ to: 'amendments', deadline: '2099-11-30T17:00:00Z' }, 'secretariat')).status).toBe(200)
    expect((await move({ to: 'consolidation' }, 'secretariat')).status).toBe(200)
    const locked = await move({ to: 'final', confirm: true }, 'mateo')
    expect(locked.status, await locked.clone().text()).toBe(200)
  }, 240_000)

  it('is still due when the version holds words under it (a translation left there when the original’s words moved on)', async () => {
    await start()
    const version = await translateAndConfirmAll('en')
    const claire = connect(id(), 'claire')
    await claire.synced
    const second = readBody(claire.doc).child(1).attrs['id'] as string
    // The delegate empties §2: its English translation now translates nothing it says.
    claire.doc.transact(() => {
      const text = textOf(claire.doc.getXmlFragment('body').get(1) as Y.XmlElement)
      text.delete(0, text.length)
    })
    await claire.saved()
    await eventually(async () => expect((await blocksOf('en')).find((block) => block.sourceId === second)!.status).toBe('due'))
    version.destroy()
  }, 240_000)
})

describe('a version’s title', () => {
  it('changed by a translator is in the audit log, with who changed it and the title before and after', async () => {
    await start()
    expect((await post(languages(), { language: 'es' }, 'secretariat')).status).toBe(201)
    const retitled = await send('PATCH', `${languages()}/es`, { title: 'Resolución: cohesión social y progreso' }, 'traductrice')
    expect(retitled.status).toBe(200)
    const entries = (await (await get(`/api/resolutions/${id()}/audit`)).json()) as AuditEntry[]
    const entry = entries.find((candidate) => candidate.action === 'versionTitle')
    expect(entry).toBeDefined()
    expect(entry!.person).toBe('person-traductrice')
    expect(entry!.detail).toMatchObject({ language: 'es', from: null, to: 'Resolución: cohesión social y progreso' })
  }, 240_000)
})
