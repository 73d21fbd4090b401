import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, it, vi } from 'vitest'
import { schema } from './extensions.ts'
import { withBlockIds } from './blockId.ts'
import { LINE_WIDTH, numberBlocks, wrapLines } from './numbering.ts'
import { parseResolutionMarkdown } from './resolutionFile.ts'

describe('wrapLines', () => {
  it('wraps at 80 characters without breaking words', () => {
    const text = 'word '.repeat(40).trim()
    const lines = wrapLines(text)
    expect(lines.every((line) => line.length <= LINE_WIDTH)).toBe(true)
    expect(lines[0]).toHaveLength(79)
    expect(lines.join(' ')).toBe(text)
  })

  it('gives an empty paragraph one line', () => {
    expect(wrapLines('')).toEqual([''])
  })

  it('keeps every word, in order, within the width, for any text', () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[a-zé]{1,120}$/), { maxLength: 60 }), fc.integer({ min: 5, max: 100 }), (words, width) => {
        const lines = wrapLines(words.join(' '), width)
        expect(lines.every((line) => line.length <= width)).toBe(true)
        expect(lines.join('').replace(/ /g, '')).toBe(words.join(''))
      }),
    )
  })
})

describe('numberBlocks', () => {
  it('numbers top-level paragraphs, not headings or nested paragraphs, and runs lines on', () => {
    const para = (text: string) => schema.node('paragraph', { id: text }, [schema.text(text)])
    const doc = schema.node('doc', null, [
      schema.node('heading', { level: 1, id: 'h' }, [schema.text('Title')]),
      para('one'),
      para('x'.repeat(100)),
      schema.node('bulletList', null, [schema.node('listItem', null, [para('item')])]),
      para('three'),
    ])
    expect(numberBlocks(doc).map(({ blockId, paragraph, numbered, firstLine, lastLine }) => [blockId, paragraph, numbered, firstLine, lastLine])).toEqual([
      ['h', 0, false, 1, 1],
      ['one', 1, true, 2, 2],
      ['x'.repeat(100), 2, true, 3, 4],
      ['item', 2, false, 5, 5],
      ['three', 3, true, 6, 6],
    ])
  })
})

describe('numbering counts what a reader counts', () => {
  const fixture = readFileSync(new URL('../../../fixtures/cohesion-sociale-et-progres.fr.md', import.meta.url), 'utf8')
  const lastLine = (markdown: string) => numberBlocks(withBlockIds(parseResolutionMarkdown(markdown).doc)).at(-1)!.lastLine

  it('gives the Kuala Lumpur draft its 88 lines, whether its accents are composed or not', () => {
    expect(lastLine(fixture)).toBe(88)
    expect(fixture.normalize('NFD')).not.toBe(fixture)
    const nfd = numberBlocks(withBlockIds(parseResolutionMarkdown(fixture.normalize('NFD')).doc))
    const nfc = numberBlocks(withBlockIds(parseResolutionMarkdown(fixture).doc))
    expect(nfd.map(({ paragraph, firstLine, lastLine, text }) => [paragraph, firstLine, lastLine, text])).toEqual(
      nfc.map(({ paragraph, firstLine, lastLine, text }) => [paragraph, firstLine, lastLine, text]),
    )
  })

  it('never breaks a line at a no-break space, and prints it', () => {
    for (const space of ['\u00a0', '\u202f', '\u2007']) {
      for (let pad = 0; pad < 20; pad++) {
        const text = `${'mot '.repeat(pad)}une somme de 10${space}000${space}euros est prévue ${'x'.repeat(pad)}`
        const lines = wrapLines(text, 20)
        expect(lines.some((line) => line.includes(`10${space}000${space}euros`))).toBe(true)
      }
    }
  })

  it('counts a grapheme cluster as one character and never cuts inside one', () => {
    expect(wrapLines('e\u0301'.repeat(80))).toHaveLength(1)
    expect(wrapLines('🇫🇷'.repeat(80))).toHaveLength(1)
    expect(wrapLines('👩‍⚖️'.repeat(81))).toHaveLength(2)
    const cluster = fc.constantFrom('a', 'é', 'e\u0301\u0323', '🇨🇱', '👩‍⚖️', 'ე', 'Việt', 'ẹ̄', ' ', '\u00a0')
    fc.assert(
      fc.property(fc.array(cluster, { maxLength: 200 }), fc.integer({ min: 1, max: 30 }), (parts, width) => {
        for (const line of wrapLines(parts.join(''), width)) {
          expect(line).not.toMatch(/^\p{M}/u)
          expect(line).not.toMatch(/^[\udc00-\udfff]|[\ud800-\udbff]$|^\u200d|\u200d$/u)
          expect([...new Intl.Segmenter().segment(line)].length).toBeLessThanOrEqual(width)
        }
      }),
    )
  })

  it('wraps a paragraph of 200,000 characters without a breakable space in time linear in it', () => {
    // Amounts set with no-break spaces, as French typography wants, make one long word. Numbering cut it between
    // clusters in 44 s here (Node's segmenter given the whole word), on the event loop every editor shares.
    const text = '1\u202f000\u00a0€;'.repeat(25_000)
    const started = performance.now()
    const lines = wrapLines(text)
    expect(performance.now() - started).toBeLessThan(2_000)
    expect(lines).toHaveLength(2_500)
    expect(lines.join('')).toBe(text)
  })

  it('numbers Latin words without making a list of their characters, and cuts them as before', () => {
    // Numbering runs on every tabling, stage change, lock, export and translation page: a list per word made it
    // 1.1 s for 20,000 paragraphs (0.15 s without), on the event loop every editor shares.
    const paragraph = 'Nous devons nous assurer que ceux qui élèvent des enfants perçoivent un revenu décent. '.repeat(4)
    const doc = withBlockIds(schema.node('doc', null, Array.from({ length: 100 }, () => schema.node('paragraph', null, [schema.text(paragraph)]))))
    const lists = vi.spyOn(Array, 'from')
    try {
      numberBlocks(doc)
      expect(lists).not.toHaveBeenCalled()
    } finally {
      lists.mockRestore()
    }
    const word = fc.constantFrom('a', 'é', 'Anticonstitutionnellement', 'l’Alliance', '10\u202f000', '€', 'e\u0301', '👩‍⚖️', 'x'.repeat(85), 'y'.repeat(170) + '’')
    fc.assert(
      fc.property(fc.array(word, { maxLength: 60 }), fc.integer({ min: 1, max: 30 }), (words, width) => {
        const text = words.join(' ')
        // Cut as before: every line but those of a word cut across lines holds whole words, and no line is wider.
        const lines = wrapLines(text, width)
        expect(lines.join(' ').split(' ').join('')).toBe(words.join('').normalize('NFC'))
        for (const line of lines) expect([...new Intl.Segmenter().segment(line)].length).toBeLessThanOrEqual(width)
      }),
    )
  })
})
