import fc from 'fast-check'
import type { Node as PMNode } from '@tiptap/pm/model'
import { describe, expect, it } from 'vitest'
import { schema } from './extensions.ts'
import { eachDescendant } from './walk.ts'

const paragraph = (text: string) => schema.node('paragraph', null, text ? [schema.text(text)] : [])
const quote = (...content: PMNode[]) => schema.node('blockquote', null, content)
const list = (...items: PMNode[][]) => schema.node('bulletList', null, items.map((content) => schema.node('listItem', null, content)))

const arbitraryBlock: fc.Memo<PMNode> = fc.memo((size) =>
  size <= 1
    ? fc.string({ maxLength: 5 }).map(paragraph)
    : fc.oneof(
        fc.string({ maxLength: 5 }).map(paragraph),
        fc.array(arbitraryBlock(size - 1), { minLength: 1, maxLength: 3 }).map((content) => quote(...content)),
        fc.array(arbitraryBlock(size - 1), { minLength: 0, maxLength: 2 }).map((rest) => list([paragraph('item'), ...rest])),
      ),
)

describe('eachDescendant', () => {
  it('visits what ProseMirror’s descendants visits, in the same order, with the same positions and parents', () => {
    fc.assert(
      fc.property(fc.array(arbitraryBlock(4), { minLength: 1, maxLength: 4 }), (blocks) => {
        const doc = schema.node('doc', null, blocks)
        const expected: unknown[] = []
        doc.descendants((node, pos, parent, index) => {
          expected.push([node.type.name, pos, parent?.type.name, index])
          return node.type.name !== 'listItem'
        })
        const actual: unknown[] = []
        eachDescendant(doc, (node, pos, parent, index) => {
          actual.push([node.type.name, pos, parent.type.name, index])
          return node.type.name !== 'listItem'
        })
        expect(actual).toEqual(expected)
      }),
    )
  })

  it('walks a document nested 20,000 deep without running out of stack', () => {
    let node = paragraph('deep')
    for (let level = 0; level < 20_000; level++) node = quote(node)
    let count = 0
    eachDescendant(schema.node('doc', null, [node]), () => {
      count += 1
    })
    expect(count).toBe(20_002)
  })
})
