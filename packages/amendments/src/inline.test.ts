import fc from 'fast-check'
import { schema } from '@hemicycle/schema'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { readRuns } from './document.ts'
import { markdownToParagraphs, normalizeMarkdown, type Run, runsOfNode, runsToMarkdown } from './inline.ts'
import { threeWayMerge } from './merge.ts'
import { normalizeParagraph, normalizeWording, type Wording } from './wording.ts'

describe('inline Markdown', () => {
  it('reads bold, italic and paragraphs, and writes them back', () => {
    const text = "**L'Alliance** offre une *vision* d'un ***avenir***.\n\nSecond paragraphe."
    const paragraphs = markdownToParagraphs(text)
    expect(paragraphs).toEqual([
      [{ text: "L'Alliance", bold: true }, { text: ' offre une ' }, { text: 'vision', italic: true }, { text: " d'un " }, { text: 'avenir', bold: true, italic: true }, { text: '.' }],
      [{ text: 'Second paragraphe.' }],
    ])
    expect(paragraphs.map(runsToMarkdown).join('\n\n')).toBe(text)
  })

  it('treats plain text as plain, escaping what would read as Markdown', () => {
    expect(runsToMarkdown([{ text: 'a *star* and 1. item' }])).toBe('a \\*star\\* and 1. item')
    expect(markdownToParagraphs(runsToMarkdown([{ text: 'a *star*' }]))).toEqual([[{ text: 'a *star*' }]])
  })

  it('normalises equivalent spellings to one', () => {
    expect(normalizeMarkdown('__bold__ and _it_')).toBe('**bold** and *it*')
    expect(normalizeMarkdown('  one\n\n\n\ntwo  ')).toBe('one\n\ntwo')
  })
})

describe('an amendment wording', () => {
  /** Runs the editor can hold: marks ending on punctuation before a letter, nested marks, no-break spaces, accents. */
  const run = fc.record(
    {
      text: fc.constantFrom("L'", 'Alliance', 'social-', 'démocratie', '\u00a0', '\u202f:', ' ', '«\u00a0', 'nous', '*', '**', '_x_', '10\u00a0000', 'é', 'Ñ', '.'),
      bold: fc.option(fc.constant(true as const), { nil: undefined }),
      italic: fc.option(fc.constant(true as const), { nil: undefined }),
    },
    { requiredKeys: ['text'] },
  )
  const paragraph = fc
    .array(run, { minLength: 1, maxLength: 10 })
    .map((runs) => normalizeParagraph(runs.map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)) as unknown as Run)))

  it('comes back exactly from the editor’s document, from the live Yjs text, and from the wire', () => {
    fc.assert(
      fc.property(fc.array(paragraph, { minLength: 1, maxLength: 3 }), (wording) => {
        for (const runs of wording) {
          const node = schema.node(
            'paragraph',
            null,
            runs.map((r) => schema.text(r.text, [...(r.bold ? [schema.marks['bold']!.create()] : []), ...(r.italic ? [schema.marks['italic']!.create()] : [])])),
          )
          expect(runsOfNode(node)).toEqual(runs)
          const doc = new Y.Doc()
          const text = new Y.XmlText()
          doc.getXmlFragment('body').insert(0, [text])
          text.applyDelta(runs.map((r) => ({ insert: r.text, attributes: { ...(r.bold ? { bold: {} } : {}), ...(r.italic ? { italic: {} } : {}) } })))
          const element = new Y.XmlElement('paragraph')
          doc.getXmlFragment('body').insert(1, [element])
          element.insert(0, [text.clone()])
          expect(readRuns(doc.getXmlFragment('body').get(1) as Y.XmlElement)).toEqual(runs)
        }
        expect(normalizeWording(JSON.parse(JSON.stringify(wording)) as Wording)).toEqual(normalizeWording(wording))
        // Each run's text is text: a merge of a wording with itself adds no markup.
        const merged = threeWayMerge(wording, wording, wording)
        expect(merged.ok && normalizeWording(merged.wording)).toEqual(normalizeWording(wording))
      }),
      { numRuns: 500 },
    )
  })

  it('keeps bold "L\'" before "Alliance", which `**` cannot say: its Markdown says it with <strong>', () => {
    const runs: Run[] = [{ text: "L'", bold: true }, { text: 'Alliance' }]
    expect(runsToMarkdown(runs)).toBe("<strong>L'</strong>Alliance")
    expect(markdownToParagraphs(runsToMarkdown(runs))).toEqual([runs])
    expect(normalizeWording([runs])).toEqual([runs])
  })
})
