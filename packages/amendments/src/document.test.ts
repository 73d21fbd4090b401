import fc from 'fast-check'
import { encodeBody, readBody, schema, withBlockIds } from '@hemicycle/schema'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { blockMarkdown, deleteBlock, findBlock, insertAfter, readRuns, replaceBlock } from './document.ts'
import { markdownToParagraphs } from './inline.ts'

function docWith(texts: string[]): { doc: Y.Doc; ids: string[] } {
  const content = withBlockIds(schema.node('doc', null, texts.map((text) => schema.node('paragraph', null, text ? [schema.text(text)] : []))))
  const doc = new Y.Doc()
  Y.applyUpdate(doc, encodeBody(content))
  const ids: string[] = []
  content.forEach((node) => ids.push(node.attrs['id'] as string))
  return { doc, ids }
}

const texts = (doc: Y.Doc) => {
  const out: string[] = []
  readBody(doc).forEach((node) => out.push(node.textContent))
  return out
}

const sync = (a: Y.Doc, b: Y.Doc) => {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)))
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)))
}

describe('amendments applied to the live document', () => {
  it('replace a paragraph’s wording, formatting included, as the editor reads it', () => {
    const { doc, ids } = docWith(['Nous devons investir dans les têtes.', 'Autre.'])
    replaceBlock(doc, ids[0]!, markdownToParagraphs('Nous devons **investir** dans les esprits.')[0]!)
    expect(blockMarkdown(doc, ids[0]!)).toBe('Nous devons **investir** dans les esprits.')
    const first = readBody(doc).child(0)
    expect(first.child(1).marks.map((mark) => mark.type.name)).toEqual(['bold'])
    expect(first.attrs['id']).toBe(ids[0])
  })

  it('never change text outside the amended block', () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[a-z ]{0,20}$/), { minLength: 1, maxLength: 6 }),
        fc.nat(),
        fc.stringMatching(/^[a-z ]{1,20}$/),
        (paragraphs, pick, wording) => {
          const { doc, ids } = docWith(paragraphs)
          const target = pick % ids.length
          const before = ids.map((id) => findBlock(doc, id) && readRuns(findBlock(doc, id)!.element))
          replaceBlock(doc, ids[target]!, [{ text: wording }])
          ids.forEach((id, i) => {
            if (i !== target) expect(readRuns(findBlock(doc, id)!.element)).toEqual(before[i])
          })
          expect(texts(doc)[target]).toBe(wording)
        },
      ),
      { numRuns: 200 },
    )
  })

  it('keep what someone types elsewhere in the same paragraph at the same moment', () => {
    const { doc: server, ids } = docWith(['Nous devons investir dans les têtes pour nourrir tous les talents.'])
    const client = new Y.Doc()
    Y.applyUpdate(client, Y.encodeStateAsUpdate(server))
    replaceBlock(server, ids[0]!, [{ text: 'Nous devons investir dans les esprits pour nourrir tous les talents.' }])
    const paragraph = client.getXmlFragment('body').get(0) as Y.XmlElement
    ;(paragraph.get(0) as Y.XmlText).insert('Nous devons investir dans les têtes pour nourrir tous les'.length, ' nouveaux')
    sync(server, client)
    expect(texts(server)).toEqual(['Nous devons investir dans les esprits pour nourrir tous les nouveaux talents.'])
    expect(texts(client)).toEqual(texts(server))
  })

  it('insert paragraphs after a block, or at the start, each with a new id', () => {
    const { doc, ids } = docWith(['Un.', 'Deux.'])
    const added = insertAfter(doc, ids[0]!, markdownToParagraphs('Un bis.\n\nUn *ter*.'))!
    expect(texts(doc)).toEqual(['Un.', 'Un bis.', 'Un ter.', 'Deux.'])
    expect(new Set([...ids, ...added]).size).toBe(4)
    insertAfter(doc, null, [[{ text: 'Préambule.' }]])
    expect(texts(doc)[0]).toBe('Préambule.')
    expect(insertAfter(doc, 'gone', [[{ text: 'x' }]])).toBeNull()
  })

  it('delete a block, and the list it leaves empty', () => {
    const content = withBlockIds(
      schema.node('doc', null, [
        schema.node('paragraph', null, [schema.text('Avant.')]),
        schema.node('bulletList', null, [schema.node('listItem', null, [schema.node('paragraph', { id: 'only' }, [schema.text('Seul point.')])])]),
      ]),
    )
    const doc = new Y.Doc()
    Y.applyUpdate(doc, encodeBody(content))
    expect(deleteBlock(doc, 'only')).toBe(true)
    expect(readBody(doc).childCount).toBe(1)
    expect(deleteBlock(doc, 'only')).toBe(false)
  })
})
