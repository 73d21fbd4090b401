import { schema } from '@hemicycle/schema'
import { describe, expect, it } from 'vitest'
import { alignedBlocks, sourceChanges, translationStatus } from './blocks.ts'

const p = (attrs: Record<string, string>, text: string) => schema.node('paragraph', attrs, text ? [schema.text(text)] : [])
const h = (attrs: Record<string, string>, text: string) => schema.node('heading', { ...attrs, level: 1 }, text ? [schema.text(text)] : [])
const doc = (...blocks: ReturnType<typeof p>[]) => schema.node('doc', null, blocks)

describe('the status of a translated block', () => {
  const source = [{ text: 'Nous vivons une époque de changements rapides.' }]

  it('is missing while nothing is written, whatever was confirmed', () => {
    expect(translationStatus(null, source, null)).toBe('missing')
    expect(translationStatus([{ text: '  ' }], source, source)).toBe('missing')
    // Invisible characters are nothing written either: such a translation prints as an empty paragraph.
    expect(translationStatus([{ text: '\u200b\u200e ' }], source, null)).toBe('missing')
  })

  it('is current when the source has no words and the translation none either: there is nothing to translate', () => {
    expect(translationStatus(null, [], null)).toBe('current')
    expect(translationStatus([{ text: ' ' }], [{ text: '\u200b' }], null)).toBe('current')
    // Words left under a source emptied since are a translation of nothing it says.
    expect(translationStatus([{ text: 'We live in a time of rapid change.' }], [], source)).toBe('due')
  })

  it('is due until a translator confirms it, and current once confirmed against the source as it stands', () => {
    const translation = [{ text: 'We live in a time of rapid change.' }]
    expect(translationStatus(translation, source, null)).toBe('due')
    expect(translationStatus(translation, source, source)).toBe('current')
    // The translation rewritten after its confirmation: the confirmation no longer vouches for it.
    expect(translationStatus(translation, source, source, translation)).toBe('current')
    expect(translationStatus([{ text: 'We live in times of deep change.' }], source, source, translation)).toBe('due')
  })

  it('is due again when the source changes after the confirmation, formatting included', () => {
    const translation = [{ text: 'We live in a time of rapid change.' }]
    expect(translationStatus(translation, [{ text: 'Nous vivons une époque de changements profonds.' }], source)).toBe('due')
    expect(translationStatus(translation, [{ text: source[0]!.text, bold: true as const }], source)).toBe('due')
    // The same words composed differently are the same words.
    expect(translationStatus(translation, [{ text: 'Nous vivons une e\u0301poque de changements rapides.' }], source)).toBe('current')
  })

  it('shows what the source changed since the confirmation, word by word, and nothing when current or never confirmed', () => {
    const now = [{ text: 'Nous vivons une époque de changements profonds.' }]
    expect(sourceChanges('due', now, source)).toEqual([
      { text: 'Nous vivons une époque de changements ', change: 'equal' },
      { text: 'rapides', change: 'delete' },
      { text: 'profonds', change: 'insert' },
      { text: '.', change: 'equal' },
    ])
    expect(sourceChanges('current', source, source)).toBeNull()
    expect(sourceChanges('due', now, null)).toBeNull()
  })
})

describe('a version read beside its original', () => {
  it('pairs each block of the original, in order, with the block translating it, with each text’s own lines', () => {
    const long = 'word '.repeat(30).trim()
    const original = doc(h({ id: 'h' }, 'Titre'), p({ id: 'a' }, 'Un.'), p({ id: 'b' }, long))
    const version = doc(h({ id: 'x', sourceId: 'h' }, 'Title'), p({ id: 'z', sourceId: 'b' }, 'Two.'), p({ id: 'y', sourceId: 'a' }, long))
    const blocks = alignedBlocks(original, version)
    expect(blocks.map((block) => [block.sourceId, block.paragraph, block.numbered, block.translation?.id])).toEqual([
      ['h', 0, false, 'x'],
      ['a', 1, true, 'y'],
      ['b', 2, true, 'z'],
    ])
    expect(blocks[1]!.translation).toMatchObject({ firstLine: 3, lastLine: 4 })
    expect(blocks[2]!.translation).toMatchObject({ firstLine: 2, lastLine: 2, runs: [{ text: 'Two.' }] })
  })

  it('hands out runs read once per body, frozen: changing them in place throws rather than changing the next answer', () => {
    const original = doc(p({ id: 'a' }, 'Un.'))
    const version = doc(p({ id: 'y', sourceId: 'a' }, 'One.'))
    const [block] = alignedBlocks(original, version)
    expect(() => (block!.sourceRuns as Array<{ text: string }>).push({ text: ' Deux.' })).toThrow(TypeError)
    expect(() => ((block!.translation!.runs[0] as { text: string }).text = 'Two.')).toThrow(TypeError)
    expect(alignedBlocks(original, version)[0]).toMatchObject({ sourceRuns: [{ text: 'Un.' }], translation: { runs: [{ text: 'One.' }] } })
  })

  it('has no translation for a block the version does not hold yet', () => {
    expect(alignedBlocks(doc(p({ id: 'a' }, 'Un.')), doc(p({ id: 'q' }, '')))[0]!.translation).toBeNull()
  })
})
