import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Amendment } from '@hemicycle/protocol'
import { bodyOf, textblockElements } from '@hemicycle/schema'
import { afterAll, describe, expect, it } from 'vitest'
import { eventually } from './harness.ts'
import { languageVersionSession, textOf } from './languageVersions.ts'

/**
 * The booklet printed beside a language version gave an insertion the
 * translation of the paragraph it follows as its "Text in English": a
 * reader took §2's English for the new paragraph's, before and after the
 * insertion was accepted. An insertion has no words in the version until it
 * is accepted; then it has its own paragraph's, with that paragraph's note
 * while untranslated. Read with pdftotext.
 */

const workdir = mkdtempSync(join(tmpdir(), 'hemicycle-beside-insertion-'))
afterAll(() => rmSync(workdir, { recursive: true, force: true }))

const { start, id, get, post, blocksOf, move, translateAndConfirmAll, languages } = languageVersionSession()

function pdfText(pdf: Uint8Array): string {
  const path = join(workdir, `${Math.random().toString(36).slice(2)}.pdf`)
  writeFileSync(path, pdf)
  return execFileSync('pdftotext', ['-enc', 'UTF-8', path, '-'], { encoding: 'utf8' }).replace(/[\s\u00a0]+/g, ' ')
}

const entryOf = async (number: string) => {
  const response = await get(`/api/resolutions/${id()}/booklet.pdf?beside=en`)
  expect(response.status).toBe(200)
  const text = pdfText(new Uint8Array(await response.arrayBuffer()))
  expect(text).toContain(`${number} ·`)
  return text.slice(text.indexOf(`${number} ·`))
}

describe('the booklet beside the English version, for an insertion', () => {
  it('prints no English before it is accepted, and its own paragraph’s once accepted, never the English of the paragraph it follows', async () => {
    await start()
    const version = await translateAndConfirmAll('en')
    const second = (await blocksOf('en')).find((block) => block.paragraph === 2)!
    expect(second.text).toContain('EN text of block')
    expect((await move({ to: 'amendments', deadline: '2099-11-30T17:00:00Z' }, 'secretariat')).status).toBe(200)
    const tabled = await post(`/api/resolutions/${id()}/amendments`, { kind: 'insertAfter', blockId: second.sourceId, text: 'Nouveau paragraphe inséré.', justification: 'Utile.' }, 'claire')
    expect(tabled.status).toBe(201)
    const insertion = (await tabled.json()) as Amendment
    expect((await move({ to: 'consolidation' }, 'secretariat')).status).toBe(200)
    const tabledEntry = await entryOf(insertion.number)
    expect(tabledEntry).toContain('Nouveau paragraphe inséré.')
    expect(tabledEntry).not.toContain('Texte en anglais')
    expect(tabledEntry).not.toContain(second.text)
    expect((await post(`/api/amendments/${insertion.id}/decision`, { decision: 'accept' }, 'ingrid')).status).toBe(200)

    // The inserted paragraph reaches the English version (missing), the translator translates and confirms it.
    const inserted = await eventually(async () => {
      const found = (await blocksOf('en')).find((block) => block.sourceText === 'Nouveau paragraphe inséré.')
      expect(found).toBeDefined()
      return found!
    })
    // Accepted, not yet translated: its own § is cited as untranslated, as numbers stand frozen through consolidation.
    const acceptedEntry = await entryOf(insertion.number)
    expect(acceptedEntry).toContain('Texte en anglais : —')
    expect(acceptedEntry).toContain('[Not translated: see §2a of the original.]')
    expect(acceptedEntry).not.toContain(second.text)
    await eventually(() => expect(textblockElements(bodyOf(version.doc)).some(({ element }) => element.getAttribute('sourceId') === inserted.sourceId)).toBe(true))
    const element = textblockElements(bodyOf(version.doc)).find(({ element }) => element.getAttribute('sourceId') === inserted.sourceId)!.element
    textOf(element).insert(0, 'New inserted paragraph.')
    await version.saved()
    await eventually(async () => expect((await blocksOf('en')).find((block) => block.sourceId === inserted.sourceId)?.text).toBe('New inserted paragraph.'))
    expect((await post(`${languages()}/en/blocks/${inserted.sourceId}/confirm`, {}, 'traductrice')).status).toBe(200)

    const entry = await entryOf(insertion.number)
    expect(entry).toContain('Nouveau paragraphe inséré.')
    expect(entry).toContain('Texte en anglais : New inserted paragraph.')
    expect(entry).not.toContain('Not translated')
    expect(entry).not.toContain(second.text)
  }, 120_000)
})
