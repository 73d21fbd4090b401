import { BLOCK_ID, bodyOf, type DocumentNode, encodeBody, readBody, schema, SOURCE_ID } from '@hemicycle/schema'
import { alignVersion, sourceIdsOf } from '@hemicycle/translations'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { makeVersion } from './versionMaker.ts'

/** A version made on the thread is the version made in-process before (all but its fresh block ids). */
const original = schema.nodeFromJSON({
  type: 'doc',
  content: [
    { type: 'heading', attrs: { id: 'h1', level: 2 }, content: [{ type: 'text', text: 'Titre' }] },
    { type: 'paragraph', attrs: { id: 'p1' }, content: [{ type: 'text', text: 'Le Conseil', marks: [{ type: 'bold' }] }] },
    { type: 'paragraph', attrs: { id: null }, content: [{ type: 'text', text: 'sans id' }] },
    { type: 'orderedList', attrs: { start: 3 }, content: [{ type: 'listItem', content: [{ type: 'paragraph', attrs: { id: 'l1' } }] }, { type: 'listItem', content: [{ type: 'paragraph', attrs: { id: 'l2' }, content: [{ type: 'text', text: 'deux' }] }] }] },
    { type: 'blockquote', content: [{ type: 'paragraph', attrs: { id: 'q1' }, content: [{ type: 'text', text: 'cité' }] }] },
    { type: 'paragraph', attrs: { id: 'p1' }, content: [{ type: 'text', text: 'double' }] },
  ],
})

/** The body's tree with every block id replaced by its place among the ids (fresh ids differ, their pattern must not). */
function shape(body: DocumentNode): unknown {
  const ids: string[] = []
  const walk = (node: DocumentNode): unknown => {
    const attrs = { ...node.attrs }
    if (typeof attrs[BLOCK_ID] === 'string') {
      ids.push(attrs[BLOCK_ID] as string)
      attrs[BLOCK_ID] = `#${ids.length}`
    }
    const children: unknown[] = []
    node.forEach((child) => children.push(walk(child)))
    return [node.type.name, attrs, node.isText ? node.text : null, children]
  }
  return [walk(body), new Set(ids).size === ids.length, ids.every((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id))]
}

describe('a language version made on its thread', () => {
  it('has the structure, attributes and sources the in-process version had', { timeout: 60_000 }, async () => {
    const here = new Y.Doc()
    here.transact(() => alignVersion(original, bodyOf(here)))
    const made = await makeVersion({ updates: [encodeBody(original)] })
    const there = new Y.Doc()
    Y.applyUpdate(there, made.state)
    expect(shape(readBody(there))).toEqual(shape(readBody(here)))
    expect(made.sourceIds).toEqual(sourceIdsOf(original))
    expect(readBody(there).firstChild!.attrs[SOURCE_ID]).toBe('h1')
  })
})
