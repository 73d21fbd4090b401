import fc from 'fast-check'
import { defaultMarkdownParser, defaultMarkdownSerializer } from 'prosemirror-markdown'
import { describe, expect, it } from 'vitest'
import { schema } from './extensions.ts'
import { serializeMarkdownBody } from './markdown.ts'
import { serializeInPieces } from './markdownWriter.ts'

describe('writing Markdown in pieces', () => {
  // The whole of Markdown prosemirror-markdown's own serializer writes (code, links, images, rules, breaks, nested
  // lists and quotes), cut into pieces of any length: the output is the library's own, to the character.
  const markdownLine = fc
    .array(fc.constantFrom('a', 'b', ' ', '\n', '\n\n', '> ', '- ', '1. ', '  ', '*', '**', '_', '`', '```\n', '[', '](u)', '![', '!', '#', '# ', '---\n', '\\', '<', '    '), { maxLength: 60 })
    .map((parts) => parts.join(''))

  it('writes what the library writes, whatever the length of the pieces', () => {
    fc.assert(
      fc.property(markdownLine, fc.integer({ min: 1, max: 40 }), fc.boolean(), (markdown, piece, tightLists) => {
        const doc = defaultMarkdownParser.parse(markdown)
        expect(serializeInPieces(defaultMarkdownSerializer, doc, { tightLists }, piece)).toBe(defaultMarkdownSerializer.serialize(doc, { tightLists }))
      }),
      { numRuns: 2_000 },
    )
  })

  it('writes a long resolution in time linear in its length', () => {
    const paragraphs = (count: number) =>
      schema.node(
        'doc',
        null,
        Array.from({ length: count }, (_, index) =>
          schema.node('paragraph', null, [schema.text(`Le Conseil décide, au paragraphe ${index + 1}, `), schema.text('de renforcer', [schema.marks.bold!.create()]), schema.text(' la cohésion sociale.')]),
        ),
      )
    const doc = paragraphs(20_000)
    const started = performance.now()
    const markdown = serializeMarkdownBody(doc)
    const took = performance.now() - started
    expect(markdown.split('\n\n')).toHaveLength(20_000)
    // Written in one string, as the library does, 20,000 paragraphs took 18 s; in pieces, about half a second.
    expect(took).toBeLessThan(4_000)
  })
})
