import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, it, vi } from 'vitest'
import { schema } from './extensions.ts'
import { withBlockIds } from './blockId.ts'
import { addedSuffix, breakLines, freezeNumbering, type FrozenNumbering, LINE_WIDTH, numberBlocks, wrapLines } from './numbering.ts'
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

describe('numbering frozen when amendments open', () => {
  const para = (id: string, words: number) => schema.node('paragraph', { id }, words > 0 ? [schema.text(Array.from({ length: words }, (_, i) => `w${i}`).join(' '))] : [])
  const heading = (id: string) => schema.node('heading', { level: 2, id }, [schema.text(`Heading ${id}`)])
  const docOf = (blocks: ReturnType<typeof para>[]) => schema.node('doc', null, blocks)
  const cited = (doc: ReturnType<typeof docOf>, frozen: FrozenNumbering | null) => numberBlocks(doc, LINE_WIDTH, frozen).map(({ blockId, label, lineLabels }) => [blockId, label, lineLabels.join(',')])

  it('cites a paragraph added after §2 as §2a, and a frozen paragraph grown past its lines with letters, leaving the rest where it was', () => {
    // 20 short words make one line of 80 characters; 40 make two.
    const before = docOf([heading('h'), para('p1', 20), para('p2', 20), para('p3', 40)])
    const frozen = freezeNumbering(before)
    expect(cited(before, frozen)).toEqual(cited(before, null))
    const after = docOf([heading('h'), para('p1', 40), para('new', 20), para('p2', 20), para('new2', 20), para('p3', 40), para('end', 20)])
    expect(cited(after, frozen)).toEqual([
      ['h', '0', '1'],
      ['p1', '1', '2,2a'],
      ['new', '1a', '2b'],
      ['p2', '2', '3'],
      ['new2', '2a', '3a'],
      ['p3', '3', '4,5'],
      ['end', '3a', '5a'],
    ])
    // A freeze recorded without its end (before it was kept): past the last frozen line the numbers simply go on.
    const { '': _end, ...withoutEnd } = frozen
    expect(cited(after, withoutEnd).at(-1)).toEqual(['end', '3a', '6'])
    // Live, the same text is numbered afresh: §4 would no longer be the paragraph a card cites as §4.
    expect(cited(after, null).map(([id, label]) => [id, label])).toContainEqual(['p3', '5'])
  })

  it('counts a copy of a frozen block, and a paragraph before the first §, as added', () => {
    const frozen = freezeNumbering(docOf([para('p1', 20), para('p2', 20)]))
    expect(cited(docOf([para('first', 20), para('p1', 20), para('p1', 20), para('p2', 20)]), frozen)).toEqual([
      ['first', '0a', '0a'],
      ['p1', '1', '1'],
      ['p1', '1a', '1a'],
      ['p2', '2', '2'],
    ])
  })

  it('takes no frozen number from an id that names a property of every object', () => {
    const frozen = freezeNumbering(docOf([para('p1', 20)]))
    expect(cited(docOf([para('p1', 20), para('constructor', 20), para('__proto__', 20)]), frozen).map(([, label]) => label)).toEqual(['1', '1a', '1b'])
    // Frozen as an id like any other, and read back from JSON so.
    const proto = docOf([para('p1', 20), para('__proto__', 20)])
    expect(cited(proto, JSON.parse(JSON.stringify(freezeNumbering(proto))) as FrozenNumbering)).toEqual(cited(proto, null))
    // A freeze holding what is no number (a damaged row) numbers those blocks as added, and nothing throws.
    expect(cited(docOf([para('p1', 20), para('p2', 20)]), { p1: { paragraph: 1, line: 1 }, p2: null } as unknown as FrozenNumbering).map(([, label]) => label)).toEqual(['1', '1a'])
  })

  it('gives a heading made a paragraph since a § of its own, never the number of the § it belonged to', () => {
    const frozen = freezeNumbering(docOf([para('p1', 20), heading('h'), para('p2', 20)]))
    expect(cited(docOf([para('p1', 20), para('h', 5), para('p2', 20)]), frozen).map(([, label]) => label)).toEqual(['1', '1a', '2'])
    // And a § made a heading gives its number to nobody.
    expect(cited(docOf([heading('p1'), heading('h'), para('p2', 20)]), frozen).map(([, label]) => label)).toEqual(['0', '0', '2'])
  })

  it('keeps every frozen citation and never cites two places alike, whatever is added, removed, retyped, lengthened or moved', () => {
    const block = fc.record({ words: fc.integer({ min: 0, max: 70 }), heading: fc.boolean() })
    const edit = fc.record({ keep: fc.boolean(), retype: fc.boolean(), words: fc.option(fc.integer({ min: 0, max: 70 })), added: fc.array(block, { maxLength: 3 }), moveTo: fc.option(fc.nat()) })
    fc.assert(
      fc.property(fc.array(block, { minLength: 1, maxLength: 12 }), fc.array(edit, { maxLength: 12 }), fc.array(block, { maxLength: 3 }), (original, edits, leading) => {
        const make = (id: string, { words, heading: isHeading }: { words: number; heading: boolean }) => (isHeading ? heading(id) : para(id, words))
        const originals = original.map((spec, index) => make(`o${index}`, spec))
        const frozen = freezeNumbering(docOf(originals))
        const was = new Map(numberBlocks(docOf(originals)).map((numbered) => [numbered.blockId, numbered]))
        let next = 0
        const blocks = leading.map((spec) => make(`n${next++}`, spec))
        original.forEach((spec, index) => {
          const change = edits[index]
          if (!change) return void blocks.push(originals[index]!)
          if (change.keep && change.retype) blocks.push(spec.heading ? para(`o${index}`, change.words ?? spec.words) : heading(`o${index}`))
          else if (change.keep) blocks.push(change.words === null || spec.heading ? originals[index]! : para(`o${index}`, change.words))
          blocks.push(...change.added.map((added) => make(`n${next++}`, added)))
          if (change.moveTo !== null && blocks.length > 1) blocks.splice(change.moveTo % blocks.length, 0, blocks.pop()!)
        })
        fc.pre(blocks.length > 0)
        const numbered = numberBlocks(docOf(blocks), LINE_WIDTH, frozen)
        for (const { blockId, label, lineLabels, numbered: isParagraph } of numbered) {
          const before = was.get(blockId)
          if (!before) continue
          if (isParagraph && before.numbered) expect(label).toBe(String(before.paragraph))
          expect(lineLabels[0]).toBe(String(before.firstLine))
        }
        const lines = numbered.flatMap((n) => n.lineLabels)
        expect(new Set(lines).size).toBe(lines.length)
        const paragraphs = numbered.filter((n) => n.numbered).map((n) => n.label)
        expect(new Set(paragraphs).size).toBe(paragraphs.length)
        for (const n of numbered) expect(n.lineLabels).toHaveLength(breakLines(n.text).length)
      }),
      { numRuns: 2000 },
    )
  })

  it('numbers a language version by the original block each of its blocks translates, its lines its own', () => {
    const frozen = freezeNumbering(docOf([para('p1', 20), para('p2', 20), para('p3', 20)]))
    const version = (id: string, source: string | null, words: number) => schema.node('paragraph', { id, sourceId: source }, [schema.text('x '.repeat(words * 2).trim())])
    const doc = docOf([version('v1', 'p1', 40), version('vnew', null, 20), version('v2', 'p2', 20), version('v3', 'p3', 20)])
    expect(numberBlocks(doc, LINE_WIDTH, frozen, 'source').map(({ label, lineLabels }) => [label, lineLabels.join(',')])).toEqual([
      ['1', '1,2'],
      ['1a', '3'],
      ['2', '4'],
      ['3', '5'],
    ])
  })

  it('gives the letters on past z', () => {
    expect([1, 2, 26, 27, 28, 52, 53, 702, 703].map(addedSuffix)).toEqual(['a', 'b', 'z', 'aa', 'ab', 'az', 'ba', 'zz', 'aaa'])
  })
})
