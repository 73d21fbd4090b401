import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Amendment } from '@hemicycle/protocol'
import { afterAll, describe, expect, it } from 'vitest'
import { eventually, typeIntoBlock } from './harness.ts'
import { languageVersionSession } from './languageVersions.ts'

/**
 * The booklet printed beside a language version cites every paragraph as
 * numbered when amendments opened (CONTRACT: "frozen when amendments open,
 * and stay as they were through consolidation"), its pending notes too: an
 * entry headed "§3" whose version's note sent the reader to "§4 of the
 * original" (the § the paragraph has once an accepted insertion before it
 * stands) named two paragraphs for one. Read with pdftotext.
 */

const workdir = mkdtempSync(join(tmpdir(), 'hemicycle-beside-'))
afterAll(() => rmSync(workdir, { recursive: true, force: true }))

const { start, id, get, post, blocksOf, move, connect, translateAndConfirmAll } = languageVersionSession()

describe('a booklet beside the English version, after an insertion before the paragraph was accepted', () => {
  it('cites in the pending note the § the entry is headed with', async () => {
    await start()
    await translateAndConfirmAll('en')
    const blocks = await blocksOf('en')
    const [first, third] = [blocks.find((block) => block.paragraph === 1)!, blocks.find((block) => block.paragraph === 3)!]
    expect((await move({ to: 'amendments', deadline: '2099-11-30T17:00:00Z' }, 'secretariat')).status).toBe(200)
    const insertion = (await (await post(`/api/resolutions/${id()}/amendments`, { kind: 'insertAfter', blockId: first.sourceId, text: 'Nouveau paragraphe inséré.', justification: 'Utile.' }, 'claire')).json()) as Amendment
    const deletion = await post(`/api/resolutions/${id()}/amendments`, { kind: 'delete', blockId: third.sourceId, text: '', justification: 'Superflu.' }, 'claire')
    expect(deletion.status).toBe(201)
    expect(((await deletion.json()) as Amendment).paragraph).toBe(3)
    expect((await move({ to: 'consolidation' }, 'secretariat')).status).toBe(200)
    // §1's insertion accepted: what was §3 is now the text's fourth paragraph.
    expect((await post(`/api/amendments/${insertion.id}/decision`, { decision: 'accept' }, 'ingrid')).status).toBe(200)
    // The chair rewords it: its English translation is due again.
    const chair = connect(id(), 'ingrid')
    await chair.synced
    typeIntoBlock(chair.doc, third.sourceId, 0, 'Dès maintenant, ')
    await chair.saved()
    await eventually(async () => expect((await blocksOf('en')).find((block) => block.sourceId === third.sourceId)?.status).toBe('due'))

    const response = await get(`/api/resolutions/${id()}/booklet.pdf?beside=en`)
    expect(response.status).toBe(200)
    const path = join(workdir, 'booklet.pdf')
    writeFileSync(path, new Uint8Array(await response.arrayBuffer()))
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', path, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ')
    const entry = text.slice(text.indexOf('A2 ·'))
    expect(entry.slice(0, 'A2 · §3,'.length)).toBe('A2 · §3,')
    expect([...entry.matchAll(/\[Translation pending[^\]]*\]/g)].map((match) => match[0])).toEqual([
      '[Translation pending: this paragraph has not been confirmed against §3 of the original as it now reads.]',
    ])
  }, 120_000)
})
