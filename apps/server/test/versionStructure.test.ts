import { BLOCK_ID, bodyOf, readBody, SOURCE_ID, textblockElements } from '@hemicycle/schema'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { eventually } from './harness.ts'
import { languageVersionSession, paragraphsOf, textOf } from './languageVersions.ts'

/**
 * What a hand-written client of a translator may do to the structure of a
 * language version: the server never refuses it (a split or a paste is what
 * any editor sends), and aligns the version with the original again at
 * once, so that every § of every language is the original's § and no
 * translated word goes without its block's status saying so.
 */

const { start, id, get, s, blocksOf, move, translateAndConfirmAll } = languageVersionSession()

const versionBlocks = (doc: Y.Doc) => textblockElements(bodyOf(doc)).map(({ element }) => element)
const en = (n: number) => `EN text of block ${n}.`

describe('a version’s structure changed by a hand-written client', () => {
  it('is aligned with the original again: a block deleted comes back empty (missing), one added or split off is folded into the block before, one joined stays with the block it joined (due), one relabelled or with another’s id is put right; the lock lists them and hashes the aligned text', async () => {
    await start()
    const version = await translateAndConfirmAll('en')
    const sourceIds = versionBlocks(version.doc).map((element) => element.getAttribute(SOURCE_ID) as string)
    const before = await blocksOf('en')
    expect(before.map((block) => block.status)).toEqual(Array(sourceIds.length).fill('current'))
    const aligned = () => eventually(() => expect(versionBlocks(version.doc).map((element) => element.getAttribute(SOURCE_ID))).toEqual(sourceIds))
    const elementOf = (n: number) => versionBlocks(version.doc).find((element) => element.getAttribute(SOURCE_ID) === sourceIds[n - 1])!
    const body = bodyOf(version.doc)
    const indexOf = (n: number) => body.toArray().indexOf(elementOf(n))

    // Each change on its own update, each waiting for the server to align the version again.
    body.delete(indexOf(2), 1)
    await aligned()
    const stray = new Y.XmlElement('paragraph')
    stray.insert(0, [new Y.XmlText('Injected words.')])
    body.insert(indexOf(4) + 1, [stray])
    await aligned()
    version.doc.transact(() => {
      const text = textOf(elementOf(6))
      const half = new Y.XmlElement('paragraph')
      half.setAttribute(SOURCE_ID, sourceIds[5]!)
      half.insert(0, [new Y.XmlText(text.toString().slice(3))])
      text.delete(3, text.length - 3)
      body.insert(indexOf(6) + 1, [half])
    })
    await aligned()
    version.doc.transact(() => {
      const eighth = textOf(elementOf(8))
      eighth.insert(eighth.length, textOf(elementOf(9)).toString())
      body.delete(indexOf(9), 1)
    })
    await aligned()
    elementOf(11).setAttribute(SOURCE_ID, 'a-block-the-original-never-had')
    await aligned()
    elementOf(14).setAttribute(BLOCK_ID, elementOf(1).getAttribute(BLOCK_ID) as string)
    await eventually(() => expect(new Set(versionBlocks(version.doc).map((element) => element.getAttribute(BLOCK_ID))).size).toBe(sourceIds.length))
    await version.saved()
    expect(version.denials).toEqual([])

    const expected = before.map((block): [string, string] => [block.text, 'current'])
    expected[1] = ['', 'missing']
    expected[3] = [`${en(4)} Injected words.`, 'due']
    expected[7] = [`${en(8)}${en(9)}`, 'due']
    expected[8] = ['', 'missing']
    expected[10] = ['', 'missing']
    await eventually(async () => expect((await blocksOf('en')).map((block) => [block.text, block.status])).toEqual(expected))
    // The server's own copy, as stored and as every other client has it.
    expect(textblockElements(bodyOf(s().hemicycle.services.collab.peek(`${id()}/en`)!.doc)).map(({ element }) => element.getAttribute(SOURCE_ID))).toEqual(sourceIds)
    expect(readBody(version.doc).childCount).toBe(sourceIds.length)

    expect((await move({ to: 'amendments', deadline: '2099-11-30T17:00:00Z' }, 'secretariat')).status).toBe(200)
    expect((await move({ to: 'consolidation' }, 'secretariat')).status).toBe(200)
    const refused = await move({ to: 'final', confirm: true }, 'mateo')
    expect(refused.status).toBe(409)
    const outstanding = ((await refused.json()) as { error: { outstanding: Array<{ paragraph: number; status: string }> } }).error.outstanding
    expect(outstanding.map((block) => [block.paragraph, block.status])).toEqual([1, 3, 7, 8, 10].map((index) => [before[index]!.paragraph, expected[index]![1]]))
    expect((await move({ to: 'final', confirm: true, acceptOutstandingTranslations: true }, 'mateo')).status).toBe(200)
    const locked = paragraphsOf(await (await get(`/api/resolutions/${id()}/export.md?language=en`)).text())
    expect(locked).toEqual(expected.map(([text]) => text || '<!---->'))
    const verify = (await (await get(`/api/resolutions/${id()}/verify?language=en`)).json()) as { matches: boolean }
    expect(verify.matches).toBe(true)
  }, 60_000)
})
