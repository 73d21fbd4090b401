import fc from 'fast-check'
import { schema } from '@hemicycle/schema'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { readRuns } from './document.ts'
import { markdownToParagraphs, markdownBeyondWords, normalizeMarkdown, type Run, runsOfNode, runsToMarkdown } from './inline.ts'
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

describe('markup beside bold and italic', () => {
  const markupOf = (markdown: string) => markdownBeyondWords(markdown).markup

  it('is named where a reader of the Markdown sees a link, code, a strike, HTML, an image, a comment or a table', () => {
    // Each was kept as the characters written, the way to an adopted text reading "[le Conseil](https://…)".
    expect(markupOf('Le [Conseil](https://alliance.org) décide.')).toEqual(['a link'])
    expect(markupOf('Voir <https://alliance.org>.')).toEqual(['a link'])
    expect(markupOf('Le `Conseil` décide.')).toEqual(['code'])
    expect(markupOf('Le Conseil décide ~~en 2030~~ en 2035.')).toEqual(['a strike-through'])
    expect(markupOf('Le <u>Conseil</u> décide.<br>')).toEqual(['HTML'])
    expect(markupOf('Le ![logo](logo.png) Conseil.')).toEqual(['an image'])
    expect(markupOf('Le <!-- note --> Conseil.')).toEqual(['an HTML comment'])
    expect(markupOf('| a | b |\n|---|---|\n| 1 | 2 |')).toEqual(['a table'])
    expect(markupOf('Le [Conseil](x) et `y`.')).toEqual(['a link', 'code'])
    // A definition shows nothing to a reader; kept as words, "[1]: https://…" reached the adopted text (helper-167).
    expect(markupOf('Le Conseil agit.\n\n[1]: https://evil.example')).toEqual(['a link definition'])
    expect(markupOf('[x]: https://evil.example\nLe Conseil agit.')).toEqual(['a link definition'])
    expect(markupOf('Le Conseil agit.\n\n[^1]: Note.')).toEqual(['a link definition'])
  })

  it('names the blocks a text meant as paragraphs writes, a heading underlined with "=" or "-" too', () => {
    // Canonical Markdown reads "Le Conseil agit.\n===" as one paragraph ending in "===" (helper-167): a reader sees a heading.
    for (const heading of ['Le Conseil agit.\n===', 'Le Conseil agit.\n---', 'Article 1 — Le Conseil\n-\nsuite', '# Le Conseil']) {
      expect(markdownBeyondWords(heading).blocks, heading).toEqual(['heading'])
    }
    expect(markdownBeyondWords('1. Le Conseil.\n\n> cité').blocks).toEqual(['orderedList', 'listItem', 'blockquote'])
    expect(markdownBeyondWords('Le Conseil agit.\n\nEt décide.')).toEqual({ blocks: [], markup: [] })
  })

  it('is nothing in words that only look like it, and in bold and italic written as tags', () => {
    for (const words of ['Voir [sic] et [1].', 'Si a < b et c > d.', '3 * 4 = 12', 'snake_case', 'Le ~ tilde ~ seul.', "**L'Alliance** et *la* <strong>Charte</strong>.", 'Premier.\n\nSecond.', 'Les \\<bis> et \\[a\\](b), \\`x\\` et \\~~y\\~~.']) {
      expect(markupOf(words), words).toEqual([])
    }
    // The way out the refusal names: an escaped mark is the character.
    expect(markdownToParagraphs('Les \\<bis> et \\`x\\`.')).toEqual([[{ text: 'Les <bis> et `x`.' }]])
  })

  it('is nothing in the Markdown a wording is written as, whatever its words (property)', () => {
    // A client sending back the `text` it read must not be refused: canonical Markdown escapes every such mark.
    const piece = fc.constantFrom('[', ']', '(', ')', '`', '~~', '<u>', '</u>', '<!--', '-->', '|', '---', '![', 'https://a.org', '<https://a.org>', 'mot', ' ', '*', '_', '\\', '&amp;', '[1]: x', '[^1]', '===', '\n', '<a@b.org>', '#', '1.', '> ', '~~~', '    ', '&lt;')
    const run = fc.record({ text: fc.array(piece, { minLength: 1, maxLength: 8 }).map((parts) => parts.join('')), bold: fc.option(fc.constant(true as const), { nil: undefined }) })
    fc.assert(
      fc.property(fc.array(run, { minLength: 1, maxLength: 4 }), (runs) => {
        expect(markdownBeyondWords(runsToMarkdown(runs))).toEqual({ blocks: [], markup: [] })
      }),
      { numRuns: 1000 },
    )
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
