import { BLOCK_ID, bodyOf, encodeBody, readBody, schema } from '@hemicycle/schema'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { appendUpdates, compactDocument, readDocumentUpdates, writeSnapshot } from '../collab/storage.ts'
import type { Database } from '../db/database.ts'
import { migrate } from '../db/migrations.ts'
import { liveBody, storedDocumentBody } from './bodies.ts'
import { memoryDatabase } from '../../test/harness.ts'

/** A body of paragraphs with these texts. */
const body = (...texts: string[]) => schema.node('doc', null, texts.map((text, index) => schema.node('paragraph', { [BLOCK_ID]: `b${index}` }, text ? [schema.text(text)] : [])))

/** The first paragraph's text of a Y.Doc's body. */
const firstText = (doc: Y.Doc) => (bodyOf(doc).get(0) as Y.XmlElement).get(0) as Y.XmlText

const paragraphs = (node: ReturnType<typeof readBody>) => {
  const out: string[] = []
  node.forEach((child) => out.push(child.textContent))
  return out
}

describe('the text of a live document, read once per change', () => {
  function live(...texts: string[]): Y.Doc {
    const doc = new Y.Doc()
    Y.applyUpdate(doc, encodeBody(body(...texts)))
    return doc
  }

  it('is read again after any change: typed, deleted, formatted, an attribute, a block added; never while unchanged', () => {
    const doc = live('Le Conseil décide', 'de renforcer')
    const first = liveBody(doc)
    expect(liveBody(doc)).toBe(first)
    const edits: Array<[string, () => void, string[]]> = [
      ['typed', () => firstText(doc).insert(0, 'Ainsi, '), ['Ainsi, Le Conseil décide', 'de renforcer']],
      ['deleted', () => firstText(doc).delete(0, 7), ['Le Conseil décide', 'de renforcer']],
      ['a block removed', () => bodyOf(doc).delete(1, 1), ['Le Conseil décide']],
      ['a block added', () => bodyOf(doc).insert(1, [new Y.XmlElement('paragraph')]), ['Le Conseil décide', '']],
    ]
    for (const [what, edit, expected] of edits) {
      const before = liveBody(doc)
      edit()
      const after = liveBody(doc)
      expect(after, what).not.toBe(before)
      expect(paragraphs(after), what).toEqual(expected)
      expect(after.eq(readBody(doc)), what).toBe(true)
    }
    const plain = liveBody(doc)
    firstText(doc).format(0, 2, { bold: true })
    expect(liveBody(doc).eq(plain)).toBe(false)
    expect(liveBody(doc).eq(readBody(doc))).toBe(true)
    const unmarked = liveBody(doc)
    ;(bodyOf(doc).get(0) as Y.XmlElement).setAttribute(BLOCK_ID, 'renamed')
    expect(liveBody(doc).eq(unmarked)).toBe(false)
    expect(liveBody(doc).firstChild!.attrs[BLOCK_ID]).toBe('renamed')
  })

  it('takes changes from another replica as its own, and reads afresh inside a transaction', () => {
    const doc = live('un')
    const other = new Y.Doc()
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc))
    const before = liveBody(doc)
    firstText(other).delete(0, 2)
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(other, Y.encodeStateVector(doc)))
    expect(paragraphs(liveBody(doc))).toEqual([''])
    expect(liveBody(doc)).not.toBe(before)
    doc.transact(() => {
      firstText(doc).insert(0, 'deux')
      expect(paragraphs(liveBody(doc))).toEqual(['deux'])
    })
    expect(paragraphs(liveBody(doc))).toEqual(['deux'])
  })
})

describe('the text as stored, read once per stored state', () => {
  let db: Database
  beforeAll(async () => {
    db = await memoryDatabase()
    await migrate(db)
    await db.query(`insert into resolutions (id, title, language, stage) values ('r1', 'Titre', 'fr', 'draft')`)
  })
  afterAll(async () => {
    await db?.close()
  })

  /** Makes `edit` to the stored text as another instance would: logged, not in anything this one holds. */
  async function editStored(name: string, edit: (doc: Y.Doc) => void): Promise<void> {
    const doc = new Y.Doc()
    Y.applyUpdate(doc, await storedState(name))
    const before = Y.encodeStateVector(doc)
    edit(doc)
    await appendUpdates(db, name, [{ update: Y.encodeStateAsUpdate(doc, before), origin: { kind: 'server' }, at: new Date() }])
  }

  async function storedState(name: string): Promise<Uint8Array> {
    const doc = new Y.Doc()
    for (const update of await readDocumentUpdates(db, name)) Y.applyUpdate(doc, update)
    return Y.encodeStateAsUpdate(doc)
  }

  it('is served again while the stored updates are the same, and read again after an edit, a deletion, a compaction or a new snapshot', async () => {
    await writeSnapshot(db, 'r1', encodeBody(body('Le Conseil décide', 'de renforcer')))
    const first = await storedDocumentBody(db, 'r1')
    expect(paragraphs(first)).toEqual(['Le Conseil décide', 'de renforcer'])
    expect(await storedDocumentBody(db, 'r1')).toBe(first)

    await editStored('r1', (doc) => firstText(doc).insert(0, 'Ainsi, '))
    expect(paragraphs(await storedDocumentBody(db, 'r1'))).toEqual(['Ainsi, Le Conseil décide', 'de renforcer'])

    await editStored('r1', (doc) => firstText(doc).delete(0, 7))
    const deleted = await storedDocumentBody(db, 'r1')
    expect(paragraphs(deleted)).toEqual(['Le Conseil décide', 'de renforcer'])

    expect(await compactDocument(db, 'r1')).toBe(2)
    expect(paragraphs(await storedDocumentBody(db, 'r1'))).toEqual(['Le Conseil décide', 'de renforcer'])

    await writeSnapshot(db, 'r1', encodeBody(body('Tout autre texte')))
    expect(paragraphs(await storedDocumentBody(db, 'r1'))).toEqual(['Tout autre texte'])
  })

  it('keeps each document apart: a version is not served for its original', async () => {
    await writeSnapshot(db, 'r1', encodeBody(body('original')))
    await writeSnapshot(db, 'r1/en', encodeBody(body('version')))
    expect(paragraphs(await storedDocumentBody(db, 'r1'))).toEqual(['original'])
    expect(paragraphs(await storedDocumentBody(db, 'r1/en'))).toEqual(['version'])
    expect(paragraphs(await storedDocumentBody(db, 'r1'))).toEqual(['original'])
  })
})
