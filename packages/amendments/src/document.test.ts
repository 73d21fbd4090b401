import fc from 'fast-check'
import { encodeBody, readBody, schema, withBlockIds } from '@hemicycle/schema'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { planDelta } from './delta.ts'
import { findBlock } from './blockIndex.ts'
import { blockRuns, deleteBlock, insertAfter, readRuns, replaceBlock } from './document.ts'
import { markdownToParagraphs, type Run } from './inline.ts'
import { docWith, sync, texts } from './testDocuments.ts'

describe('amendments applied to the live document', () => {
  it('replace a paragraph’s wording, formatting included, as the editor reads it', () => {
    const { doc, ids } = docWith(['Nous devons investir dans les têtes.', 'Autre.'])
    replaceBlock(doc, ids[0]!, markdownToParagraphs('Nous devons **investir** dans les esprits.')[0]!)
    expect(blockRuns(doc, ids[0]!)).toEqual([{ text: 'Nous devons ' }, { text: 'investir', bold: true }, { text: ' dans les esprits.' }])
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

  it('insert after the paragraphs earlier amendments inserted at the same place, so they stand in the order accepted', () => {
    const { doc, ids } = docWith(['Un.', 'Deux.'])
    const first = insertAfter(doc, ids[0]!, [[{ text: 'Premier.' }]])!
    const second = insertAfter(doc, ids[0]!, [[{ text: 'Second.' }]], new Set(first))!
    insertAfter(doc, ids[0]!, [[{ text: 'Troisième.' }]], new Set([...first, ...second]))
    expect(texts(doc)).toEqual(['Un.', 'Premier.', 'Second.', 'Troisième.', 'Deux.'])
    const start = insertAfter(doc, null, [[{ text: 'Préambule.' }]])!
    insertAfter(doc, null, [[{ text: 'Préambule bis.' }]], new Set(start))
    expect(texts(doc).slice(0, 3)).toEqual(['Préambule.', 'Préambule bis.', 'Un.'])
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

  it('rewrite a paragraph held in several text elements as the one text a reader sees', () => {
    const { doc, ids } = docWith(['Bonjour '])
    const paragraph = doc.getXmlFragment('body').get(0) as Y.XmlElement
    const second = new Y.XmlText()
    second.insert(0, 'le monde.')
    paragraph.insert(1, [second])
    expect(readRuns(paragraph)).toEqual([{ text: 'Bonjour le monde.' }])
    replaceBlock(doc, ids[0]!, [{ text: 'Bonjour à tout le ' }, { text: 'monde', bold: true }, { text: ' entier.' }])
    expect(readRuns(paragraph)).toEqual([{ text: 'Bonjour à tout le ' }, { text: 'monde', bold: true }, { text: ' entier.' }])
  })
})

/**
 * A sentence of the draft whose words an amendment rewrites around one word
 * it keeps. The new words are not words of the sentences, so the word kept
 * is the one a diff keeps (with words moved around, which one stayed would be
 * a tie).
 */
const VOCABULARY = ['durable', 'ensemble', 'chacun', 'vraiment', 'solidaire', 'humain', 'y', 'à']
const SENTENCES = [
  'Nous devons investir dans les têtes pour nourrir tous les talents.',
  'Notre vision allie le progrès social et la cohésion sociale.',
  "Les libertés libérales sont la base du développement économique.",
  'Le changement engendre toujours des gagnants et des perdants.',
]
const TYPED = 'QWX'

const rewrite = fc
  .record({
    sentence: fc.constantFrom(...SENTENCES),
    keep: fc.nat(),
    plan: fc.array(fc.record({ action: fc.constantFrom('keep', 'replace', 'delete', 'insert'), word: fc.constantFrom(...VOCABULARY) }), { minLength: 12, maxLength: 12 }),
    side: fc.constantFrom('after', 'before'),
  })
  .map(({ sentence, keep, plan, side }) => {
    const words = sentence.split(' ')
    const unique = words.map((word, i) => i).filter((i) => words.indexOf(words[i]!) === words.lastIndexOf(words[i]!) && !VOCABULARY.includes(words[i]!))
    const kept = unique[keep % unique.length]!
    const target = words.flatMap((word, i) => {
      if (i === kept) return [word]
      const { action, word: other } = plan[i % plan.length]!
      if (action === 'replace') return [other]
      if (action === 'delete') return []
      if (action === 'insert') return [word, other]
      return [word]
    })
    return { sentence, target: target.join(' '), kept: words[kept]!, offset: words.slice(0, kept).join(' ').length + (kept > 0 ? 1 : 0), side }
  })

/** What a delta inserts at one offset of the text it applies to. */
function insertedAt(current: Run[], target: Run[], offset: number): string {
  let at = 0
  let out = ''
  for (const op of planDelta(current, target)) {
    if ('insert' in op) {
      if (at === offset) out += op.insert
    } else {
      const length = 'retain' in op ? op.retain : op.delete
      if (at <= offset && offset < at + length && length > 0 && out === '') at += length
      else at += length
    }
  }
  return out
}

describe('an amendment accepted while someone types', () => {
  it('keeps what is typed next to a word the amendment leaves, exactly where it was typed (2,000 runs)', () => {
    fc.assert(
      fc.property(rewrite, fc.boolean(), ({ sentence, target, kept, offset, side }, serverFirst) => {
        const { doc: server, ids } = docWith([sentence])
        const client = new Y.Doc()
        if (serverFirst) client.clientID = server.clientID + 1
        else client.clientID = Math.max(0, server.clientID - 1)
        Y.applyUpdate(client, Y.encodeStateAsUpdate(server))
        replaceBlock(server, ids[0]!, [{ text: target }])
        const text = (client.getXmlFragment('body').get(0) as Y.XmlElement).get(0) as Y.XmlText
        const at = side === 'after' ? offset + kept.length : offset
        text.insert(at, TYPED)
        sync(server, client)
        const final = texts(server)[0]!
        expect(texts(client)).toEqual(texts(server))
        const i = final.indexOf(TYPED)
        const [before, after] = [final.slice(0, i), final.slice(i + TYPED.length)]
        expect(before + after).toBe(target)
        // Right beside the kept word, or beside what the amendment itself inserted at that very place.
        const sameGap = insertedAt([{ text: sentence }], [{ text: target }], at)
        if (side === 'after') expect(before.endsWith(kept) || before.endsWith(kept + sameGap)).toBe(true)
        else expect(after.startsWith(kept) || after.startsWith(sameGap + kept)).toBe(true)
      }),
      { numRuns: 2000 },
    )
  })

  it('keeps what is typed into the paragraph it fills, whole, before or after the amendment’s words', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SENTENCES), fc.boolean(), fc.boolean(), (wording, serverFirst, withText) => {
        const { doc: server, ids } = docWith([''])
        const paragraph = () => server.getXmlFragment('body').get(0) as Y.XmlElement
        if (withText) paragraph().insert(0, [new Y.XmlText()])
        const client = new Y.Doc()
        client.clientID = serverFirst ? server.clientID + 1 : Math.max(0, server.clientID - 1)
        Y.applyUpdate(client, Y.encodeStateAsUpdate(server))
        replaceBlock(server, ids[0]!, [{ text: wording }])
        const mine = client.getXmlFragment('body').get(0) as Y.XmlElement
        const existing = mine.toArray().find((child): child is Y.XmlText => child instanceof Y.XmlText)
        if (existing) existing.insert(0, 'Brouillon')
        else {
          const created = new Y.XmlText()
          created.insert(0, 'Brouillon')
          mine.insert(0, [created])
        }
        sync(server, client)
        expect([`Brouillon${wording}`, `${wording}Brouillon`]).toContain(texts(server)[0])
        expect(texts(client)).toEqual(texts(server))
        if (withText) expect(paragraph().toArray().filter((child) => child instanceof Y.XmlText)).toHaveLength(1)
      }),
      { numRuns: 200 },
    )
  })
})
