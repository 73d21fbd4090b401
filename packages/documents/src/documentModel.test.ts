import { numberBlocks, parseResolutionMarkdown } from '@hemicycle/schema'
import { describe, expect, it } from 'vitest'
import { buildDocumentModel } from './documentModel.ts'
import { letterhead, stampOf, stampText } from './letterhead.ts'
import { textOf } from './lines.ts'

const long = 'Nous vivons une époque de changements rapides. Les nouvelles technologies révolutionnent notre façon de vivre et de travailler.'
const source = `# Préambule\n\n${long}\n\n**L'Alliance** offre une *vision*.\n\n## Engagements\n\n1. Premier point.\n2. Second point.\n\n- Une puce.\n\n> Une citation.\n\nDernier paragraphe.\n`
const meta = {
  title: 'Résolution : cohésion sociale et progrès',
  language: 'fr' as const,
  organisation: 'Progressive Alliance / Alliance progressiste / Alianza Progresista',
  event: '30-31 août 2019, Kuala Lumpur, Malaisie',
  stamp: { label: 'PROJET', date: '2019-07-03' },
}

describe('the document model', () => {
  const { doc } = parseResolutionMarkdown(source)
  const model = buildDocumentModel(doc, meta)

  it('heads the text with the alliance’s three names, the title, the stamp and the event', () => {
    expect(model.letterhead).toBe('PROGRESSIVE ALLIANCE · ALLIANCE PROGRESSISTE · ALIANZA PROGRESISTA')
    expect(model.stamp).toBe('PROJET 03 juillet 2019')
    expect(model.event).toBe(meta.event)
    expect(letterhead('')).toBe('PROGRESSIVE ALLIANCE · ALLIANCE PROGRESSISTE · ALIANZA PROGRESISTA')
  })

  it('numbers top-level paragraphs only, skipping headings, lists and quotes', () => {
    expect(model.blocks.map((block) => [block.kind, block.number, block.marker, block.quote])).toEqual([
      ['heading', null, null, false],
      ['paragraph', '1', null, false],
      ['paragraph', '2', null, false],
      ['heading', null, null, false],
      ['paragraph', null, '1.', false],
      ['paragraph', null, '2.', false],
      ['paragraph', null, '•', false],
      ['paragraph', null, null, true],
      ['paragraph', '3', null, false],
    ])
  })

  it('gives nested lists and quotes their depth, and the marker to the first paragraph of an item only', () => {
    const nested = buildDocumentModel(parseResolutionMarkdown('3. one\n\n   more of one\n\n   - inner\n\n     > quoted in a list\n4. two\n').doc, meta)
    expect(nested.blocks.map((block) => [block.runs[0]?.text, block.marker, block.depth, block.quote])).toEqual([
      ['one', '3.', 1, false],
      ['more of one', null, 1, false],
      ['inner', '•', 2, false],
      ['quoted in a list', null, 3, true],
      ['two', '4.', 1, false],
    ])
  })

  it('keeps bold and italic', () => {
    expect(model.blocks[2]!.runs).toEqual([{ text: "L'Alliance", bold: true }, { text: ' offre une ' }, { text: 'vision', italic: true }, { text: '.' }])
  })

  it('cites the same lines as the schema’s numbering, wrapped at 80 characters', () => {
    const numbered = numberBlocks(doc)
    expect(model.blocks.map((block) => block.lineLabels)).toEqual(numbered.map((block) => block.lineLabels))
    expect(model.blocks.map((block) => [Number(block.lineLabels[0]), Number(block.lineLabels.at(-1))])).toEqual(numbered.map((block) => [block.firstLine, block.lastLine]))
    expect(model.blocks.every((block) => block.lineLabels.length === block.lines.length)).toBe(true)
    expect(model.blocks[1]!.lines.map(textOf)).toEqual([
      'Nous vivons une époque de changements rapides. Les nouvelles technologies',
      'révolutionnent notre façon de vivre et de travailler.',
    ])
    expect(model.blocks[1]!.lines.every((line) => textOf(line).length <= 80)).toBe(true)
  })

  it('closes an adopted text with its record, and a draft with none', () => {
    expect(model.record).toBeNull()
    const adopted = buildDocumentModel(doc, { ...meta, stamp: { label: 'ADOPTÉE', date: '2019-08-31' }, adoption: { by: 'Council', at: '2019-08-31', vote: { yes: 24, no: 2, abstain: 3 } } })
    expect(adopted.record).toBe('Adoptée par le Conseil le 31 août 2019 (24 voix pour, 2 contre, 3 abstentions)')
  })
})

describe('the stamp', () => {
  it('says PROJET, DRAFT or PROYECTO until adoption, then ADOPTÉE, ADOPTED or APROBADA with the day of adoption', () => {
    const facts = { draftDate: '2019-07-03', adoptedAt: '2019-08-31' }
    expect(stampText(stampOf({ ...facts, language: 'fr', stage: 'consolidation' }), 'fr')).toBe('PROJET 03 juillet 2019')
    expect(stampText(stampOf({ ...facts, language: 'en', stage: 'draft' }), 'en')).toBe('DRAFT 03 July 2019')
    expect(stampText(stampOf({ ...facts, language: 'es', stage: 'draft' }), 'es')).toBe('PROYECTO 03 de julio de 2019')
    expect(stampText(stampOf({ ...facts, language: 'fr', stage: 'adopted' }), 'fr')).toBe('ADOPTÉE 31 août 2019')
    expect(stampText(stampOf({ ...facts, language: 'en', stage: 'adopted' }), 'en')).toBe('ADOPTED 31 August 2019')
    expect(stampText(stampOf({ ...facts, language: 'es', stage: 'adopted' }), 'es')).toBe('APROBADA 31 de agosto de 2019')
    expect(stampText({ label: 'DRAFT', date: null }, 'en')).toBe('DRAFT')
  })
})
