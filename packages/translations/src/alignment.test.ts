import fc from 'fast-check'
import { bodyOf, type DocumentNode, numberBlocks, readBody, schema, SOURCE_ID, textblockElements } from '@hemicycle/schema'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { alignmentOf, alignVersion } from './alignment.ts'

/** The original as plain data, edited freely by the tests and turned into the schema's document. */
type Textblock = { type: 'paragraph' | 'heading'; id: string; level: number; text: string }
type Block = Textblock | { type: 'bulletList' | 'orderedList' | 'blockquote'; children: Textblock[]; start?: number }

let counter = 0
const fresh = () => `b${++counter}`

function toDoc(blocks: readonly Block[]): DocumentNode {
  const textblock = (block: Textblock) =>
    block.type === 'heading'
      ? { type: 'heading', attrs: { id: block.id, level: block.level }, content: block.text ? [{ type: 'text', text: block.text }] : [] }
      : { type: 'paragraph', attrs: { id: block.id }, content: block.text ? [{ type: 'text', text: block.text }] : [] }
  const json = {
    type: 'doc',
    content: blocks.map((block) => {
      if (!('children' in block)) return textblock(block)
      if (block.type === 'blockquote') return { type: 'blockquote', content: block.children.map(textblock) }
      return {
        type: block.type,
        ...(block.type === 'orderedList' ? { attrs: { start: block.start ?? 1 } } : {}),
        content: block.children.map((child) => ({ type: 'listItem', content: [textblock(child)] })),
      }
    }),
  }
  const doc = schema.nodeFromJSON(json)
  doc.check()
  return doc
}

/** Every textblock of the original with where it lives. */
function locate(blocks: Block[]): Array<{ block: Textblock; top: number; inner: number | null }> {
  return blocks.flatMap((block, top): Array<{ block: Textblock; top: number; inner: number | null }> =>
    !('children' in block) ? [{ block, top, inner: null }] : block.children.map((child, inner) => ({ block: child, top, inner })),
  )
}

/** One edit of the original, chosen by numbers the generator gives: what people and accepted amendments do to a text. */
function editOriginal(blocks: Block[], [kind, a, b]: [number, number, number]): Block[] {
  const next = structuredClone(blocks)
  const all = locate(next)
  const paragraph = (text = `new ${counter}`): Textblock => ({ type: 'paragraph', id: fresh(), level: 0, text })
  if (all.length === 0 || kind === 0) {
    next.splice(a % (next.length + 1), 0, paragraph())
    return next
  }
  const at = all[a % all.length]!
  const container = at.inner === null ? null : (next[at.top] as Extract<Block, { children: Textblock[] }>)
  switch (kind) {
    case 1: {
      // A split: the first half keeps the id.
      const cut = b % (at.block.text.length + 1)
      const second = paragraph(at.block.text.slice(cut))
      at.block.text = at.block.text.slice(0, cut)
      if (container) container.children.splice(at.inner! + 1, 0, second)
      else next.splice(at.top + 1, 0, second)
      return next
    }
    case 2: {
      // A text always keeps one block, as the editor does.
      if (all.length === 1) return next
      if (container) {
        container.children.splice(at.inner!, 1)
        if (container.children.length === 0) next.splice(at.top, 1)
      } else next.splice(at.top, 1)
      return next
    }
    case 3: {
      // A join with the following top-level textblock: the first keeps its id.
      const following = next[at.top + 1]
      if (container || !following || !('text' in following)) return next
      at.block.text += following.text
      next.splice(at.top + 1, 1)
      return next
    }
    case 4: {
      if (container) {
        // A list renumbered.
        if (container.type === 'orderedList') container.start = 1 + (b % 5)
        return next
      }
      if (at.block.type === 'heading' && b % 2 === 0) at.block.level = 1 + ((at.block.level + b) % 3)
      else {
        at.block.type = at.block.type === 'heading' ? 'paragraph' : 'heading'
        at.block.level = at.block.type === 'heading' ? 1 + (b % 3) : 0
      }
      return next
    }
    case 5: {
      if (container) {
        // Out of the list or quote, as its own paragraph after it.
        container.children.splice(at.inner!, 1)
        if (container.children.length === 0) next.splice(at.top, 1, { ...at.block, type: 'paragraph', level: 0 })
        else next.splice(at.top + 1, 0, { ...at.block, type: 'paragraph', level: 0 })
      } else {
        const kinds = ['bulletList', 'orderedList', 'blockquote'] as const
        next.splice(at.top, 1, { type: kinds[b % 3]!, children: [{ ...at.block, type: 'paragraph', level: 0 }] })
      }
      return next
    }
    case 6: {
      // Cut and pasted elsewhere: the block keeps its id.
      if (container) return next
      const [moved] = next.splice(at.top, 1)
      next.splice(b % (next.length + 1), 0, moved!)
      return next
    }
    default:
      at.block.text = `${at.block.text.slice(0, b % (at.block.text.length + 1))}x${counter++}`
      return next
  }
}

/** The anchor of a paragraph added before every block. */
const START = '(start)'

const versionElements = (body: Y.XmlFragment) => textblockElements(body).map(({ element }) => element)

const textOf = (element: Y.XmlElement) => element.toArray().map((child) => (child instanceof Y.XmlText ? child.toString() : '')).join('')
const plain = (element: Y.XmlElement) => element.toArray().map((child) => (child instanceof Y.XmlText ? (child.toDelta() as Array<{ insert: string }>).map((op) => op.insert).join('') : '')).join('')

/**
 * What a translator (or a script) does to a version: types, and now and
 * then adds a paragraph of their own after a block, whose text then belongs
 * to the translation of the block it follows (`anchors`: the source each
 * added paragraph follows). Returns the token it wrote in a paragraph of its own.
 */
function editVersion(doc: Y.Doc, [kind, a, token]: [number, number, string], anchors: Map<Y.XmlElement, string | null>): string | null {
  const blocks = versionElements(bodyOf(doc))
  if (blocks.length === 0) return null
  const target = blocks[a % blocks.length]!
  if (kind < 3) {
    const text = target.toArray().find((child): child is Y.XmlText => child instanceof Y.XmlText)
    if (text) text.insert(text.length, ` ${token}`)
    else target.insert(0, [new Y.XmlText(token)])
    return null
  }
  // A stray paragraph after the block: no source, or a copy of the block's, as a split or a paste would leave.
  const stray = new Y.XmlElement('paragraph')
  if (kind === 4) stray.setAttribute(SOURCE_ID, target.getAttribute(SOURCE_ID) as string)
  stray.insert(0, [new Y.XmlText(token)])
  if (a % 7 === 0) {
    // Before everything, translating nothing: it joins the first block.
    stray.removeAttribute(SOURCE_ID)
    bodyOf(doc).insert(0, [stray])
    anchors.set(stray, START)
    return token
  }
  const parent = target.parent as Y.XmlElement | Y.XmlFragment
  parent.insert(parent.toArray().indexOf(target) + 1, [stray])
  anchors.set(stray, anchors.has(target) ? anchors.get(target)! : (target.getAttribute(SOURCE_ID) as string | undefined) ?? null)
  return token
}

function structure(doc: DocumentNode): unknown {
  const walk = (node: DocumentNode): unknown => ({
    name: node.type.name,
    ...(node.type.name === 'heading' ? { level: node.attrs['level'] } : {}),
    ...(node.type.name === 'orderedList' ? { start: node.attrs['start'] } : {}),
    ...(node.isTextblock ? {} : { children: node.content.content.map(walk) }),
  })
  return walk(doc)
}

function textblockIds(doc: DocumentNode, attribute: 'id' | 'sourceId'): string[] {
  const out: string[] = []
  doc.descendants((node) => {
    if (node.isTextblock) out.push(node.attrs[attribute] as string)
    return !node.isTextblock
  })
  return out
}

function align(original: DocumentNode, doc: Y.Doc): boolean {
  let changed = false
  doc.transact(() => {
    changed = alignVersion(original, bodyOf(doc))
  })
  return changed
}

const initialBlocks = fc
  .array(fc.tuple(fc.nat(4), fc.string({ maxLength: 12 }), fc.nat(2)), { minLength: 1, maxLength: 8 })
  .map((specs): Block[] =>
    specs.map(([kind, text, n]): Block => {
      const textblock = (): Textblock => ({ type: 'paragraph', id: fresh(), level: 0, text: text.replace(/[^\p{L}\p{N} ]/gu, '') })
      if (kind === 0) return { ...textblock(), type: 'heading', level: 1 + n }
      if (kind === 1) return { type: 'bulletList', children: Array.from({ length: n + 1 }, textblock) }
      if (kind === 2) return { type: n === 0 ? 'blockquote' : 'orderedList', children: Array.from({ length: n + 1 }, textblock) }
      return textblock()
    }),
  )

const step = fc.record({
  original: fc.array(fc.tuple(fc.nat(7), fc.nat(50), fc.nat(50)), { maxLength: 3 }),
  version: fc.array(fc.tuple(fc.nat(4), fc.nat(50)), { maxLength: 3 }),
})

describe('aligning a language version with its original', () => {
  it('gives a new version one empty block per block of the original, same structure, each linked to its source', () => {
    const original = toDoc([
      { type: 'heading', id: 'h', level: 2, text: 'Titre' },
      { type: 'paragraph', id: 'p1', level: 0, text: 'Un.' },
      { type: 'bulletList', children: [{ type: 'paragraph', id: 'l1', level: 0, text: 'a' }, { type: 'paragraph', id: 'l2', level: 0, text: 'b' }] },
      { type: 'paragraph', id: 'p2', level: 0, text: 'Deux.' },
    ])
    const doc = new Y.Doc()
    expect(align(original, doc)).toBe(true)
    const version = readBody(doc)
    version.check()
    expect(structure(version)).toEqual(structure(original))
    expect(textblockIds(version, 'sourceId')).toEqual(['h', 'p1', 'l1', 'l2', 'p2'])
    expect(version.textContent).toBe('')
    const ids = textblockIds(version, 'id')
    expect(new Set(ids).size).toBe(5)
    expect(ids.some((id) => ['h', 'p1', 'l1', 'l2', 'p2'].includes(id))).toBe(false)
    expect(numberBlocks(version).map((block) => [block.paragraph, block.numbered])).toEqual(numberBlocks(original).map((block) => [block.paragraph, block.numbered]))
  })

  it('changes nothing in a version that is aligned already', () => {
    const original = toDoc([{ type: 'paragraph', id: 'p1', level: 0, text: 'Un.' }])
    const doc = new Y.Doc()
    align(original, doc)
    let updates = 0
    doc.on('update', () => updates++)
    expect(align(original, doc)).toBe(false)
    expect(updates).toBe(0)
  })

  it('takes only the shape of the original: an original of the same alignment, words changed, leaves an aligned version unchanged', () => {
    const blocks: Block[] = [
      { type: 'heading', id: 'h', level: 2, text: 'Titre' },
      { type: 'orderedList', start: 3, children: [{ type: 'paragraph', id: 'l1', level: 0, text: 'a' }] },
      { type: 'paragraph', id: 'p1', level: 0, text: 'Un.' },
    ]
    const retyped = structuredClone(blocks)
    ;(retyped[2] as Textblock).text = 'Un, puis deux.'
    expect(alignmentOf(toDoc(retyped))).toBe(alignmentOf(toDoc(blocks)))
    const changed: Block[][] = [
      blocks.slice(1),
      [{ ...(blocks[0] as Textblock), level: 3 }, ...blocks.slice(1)],
      [blocks[0]!, { ...(blocks[1] as Extract<Block, { start?: number }>), start: 4 }, blocks[2]!],
      [blocks[0]!, blocks[1]!, { ...(blocks[2] as Textblock), id: 'p2' }],
      [blocks[0]!, blocks[2]!, blocks[1]!],
    ]
    for (const other of changed) expect(alignmentOf(toDoc(other))).not.toBe(alignmentOf(toDoc(blocks)))

    fc.assert(
      fc.property(initialBlocks, fc.array(fc.tuple(fc.nat(7), fc.nat(50), fc.nat(50)), { maxLength: 3 }), fc.nat(50), (initial, edits, retype) => {
        const doc = new Y.Doc()
        align(toDoc(initial), doc)
        expect(align(toDoc(initial), doc)).toBe(false)
        let blocks = initial
        for (const edit of edits) blocks = editOriginal(blocks, edit)
        const all = locate(blocks)
        if (all.length > 0) all[retype % all.length]!.block.text += ' retapé'
        const original = toDoc(blocks)
        if (alignmentOf(original) !== alignmentOf(toDoc(initial))) return
        let updates = 0
        doc.on('update', () => updates++)
        expect(align(original, doc)).toBe(false)
        expect(updates).toBe(0)
      }),
      { numRuns: 200 },
    )
  })

  it('keeps the alignment, the § numbers and every surviving translation through any edits of the original and of the version', () => {
    fc.assert(
      fc.property(initialBlocks, fc.array(step, { minLength: 1, maxLength: 12 }), (initial, steps) => {
        let blocks = initial
        const doc = new Y.Doc()
        align(toDoc(blocks), doc)
        let token = 0
        for (const { original: edits, version: typing } of steps) {
          const before = new Map(versionElements(bodyOf(doc)).map((element) => [element.getAttribute(SOURCE_ID) as string, plain(element)]))
          for (const edit of edits) blocks = editOriginal(blocks, edit)
          const anchors = new Map<Y.XmlElement, string | null>()
          const strays = new Map<string, Y.XmlElement>()
          for (const [kind, a] of typing) {
            const written = `t${token++}`
            if (editVersion(doc, [kind, a, written], anchors)) strays.set(written, [...anchors.keys()].at(-1)!)
          }
          const original = toDoc(blocks)
          align(original, doc)

          const version = readBody(doc)
          version.check()
          expect(structure(version)).toEqual(structure(original))
          expect(textblockIds(version, 'sourceId')).toEqual(textblockIds(original, 'id'))
          expect(numberBlocks(version).map((block) => [block.paragraph, block.numbered])).toEqual(numberBlocks(original).map((block) => [block.paragraph, block.numbered]))
          const ids = textblockIds(version, 'id').filter(Boolean)
          expect(new Set(ids).size).toBe(ids.length)

          const after = new Map(versionElements(bodyOf(doc)).map((element) => [element.getAttribute(SOURCE_ID) as string, textOf(element)]))
          for (const [sourceId, text] of before) if (after.has(sourceId)) expect(after.get(sourceId)).toContain(text)
          // A paragraph added after a block is that block's text: it stays wherever that block stays.
          const surviving = new Set(textblockIds(original, 'id'))
          for (const [written, element] of strays) {
            const anchor = anchors.get(element)
            // Before everything: the first block the version already had that the original kept.
            const holder = anchor === START ? [...before.keys()].find((id) => surviving.has(id)) : anchor
            if (holder && surviving.has(holder)) expect(after.get(holder)).toMatch(new RegExp(`\\b${written}\\b`))
          }

          let updates = 0
          const count = () => updates++
          doc.on('update', count)
          expect(align(original, doc)).toBe(false)
          doc.off('update', count)
          expect(updates).toBe(0)
        }
      }),
      { numRuns: 150 },
    )
  }, 60_000)
})
