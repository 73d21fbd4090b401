import type { Run } from '@hemicycle/amendments'
import type { Amendment } from '@hemicycle/protocol'
import { encodeBody, schema } from '@hemicycle/schema'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { ParagraphReader, readByParagraph } from './useAmendmentsAsTextStands.ts'

const runs = (text: string): Run[] => [{ text }]
const base = 'Ce n’est pas une tâche facile, car des décennies de libéralisation.'
/** As the server lists them: read against the paragraph as tabled, colliding. */
const amendment = (number: number, blockId: string, text: string, collidesWith: number[] = []) =>
  ({
    id: `a${number}`,
    number: `A${number}`,
    kind: 'replace',
    status: 'tabled',
    blockId,
    baseWording: runs(base),
    wording: [runs(text)],
    conflict: false,
    collidesWith: collidesWith.map((other) => `a${other}`),
  }) as unknown as Amendment

const vraiment = amendment(4, 'p4', base.replace('est pas', 'est vraiment pas'), [5])
const guere = amendment(5, 'p4', base.replace('est pas', 'est guère'), [4])
const elsewhere = amendment(6, 'p7', 'Autre paragraphe, autre mot.')
const list = [vraiment, guere, elsewhere]
/** The text as the page holds it: §4 with these words (null: gone), these paragraphs after it, then §7. */
const texts = (p4: string | null, after: readonly string[] = []) => {
  const paragraph = (id: string, text: string) => schema.node('paragraph', { id }, [schema.text(text)])
  const doc = new Y.Doc()
  const between = after.map((text, index) => paragraph(`n${index}`, text))
  Y.applyUpdate(doc, encodeBody(schema.node('doc', null, [...(p4 === null ? [] : [paragraph('p4', p4)]), ...between, paragraph('p7', 'Autre paragraphe.')])))
  return doc
}
const state = (read: Amendment[]) => read.map((a) => ({ number: a.number, status: a.status, conflict: a.conflict, collidesWith: a.collidesWith }))

describe('amendments read against the text as the page holds it', () => {
  it('follows typing: words both change altered, both are in conflict and no longer collide; taken back, they collide again', () => {
    const asTabled = readByParagraph(list, texts(base))
    expect(state(asTabled.amendments).slice(0, 2)).toEqual([
      { number: 'A4', status: 'tabled', conflict: false, collidesWith: ['a5'] },
      { number: 'A5', status: 'tabled', conflict: false, collidesWith: ['a4'] },
    ])
    const typed = readByParagraph(list, texts(base.replace('est pas', 'est pass')), asTabled.readings)
    expect(state(typed.amendments).slice(0, 2)).toEqual([
      { number: 'A4', status: 'tabled', conflict: true, collidesWith: [] },
      { number: 'A5', status: 'tabled', conflict: true, collidesWith: [] },
    ])
    expect(state(readByParagraph(list, texts(base), typed.readings).amendments)).toEqual(state(asTabled.amendments))
  })

  it('reads again an insertion when the paragraphs after its block change, not only its block: there already, partly there, or not', () => {
    const insertion = (number: number, paragraphs: string[]) => ({ ...amendment(number, 'p4', ''), kind: 'insertAfter', baseWording: [], wording: paragraphs.map(runs) }) as Amendment
    const both = [insertion(8, ['Demande un rapport.']), insertion(9, ['Demande un rapport.', 'Et un bilan.'])]
    const verdicts = (read: Amendment[]) => read.map((a) => (a.conflict ? (a.partlyInText ? 'partly' : 'conflict') : a.unchanged ? 'unchanged' : 'writes'))
    const first = readByParagraph(both, texts(base))
    expect(verdicts(first.amendments)).toEqual(['writes', 'writes'])
    // Someone writes that paragraph after §4 by hand: §4's words are as they were, what follows it is not.
    const typed = readByParagraph(both, texts(base, ['Demande un rapport.']), first.readings)
    expect(verdicts(typed.amendments)).toEqual(['unchanged', 'partly'])
    expect(verdicts(readByParagraph(both, texts(base), typed.readings).amendments)).toEqual(['writes', 'writes'])
  })

  it('reads an amendment whose paragraph is gone as obsolete', () => {
    expect(readByParagraph(list, texts(null)).amendments.slice(0, 2).map((a) => a.status)).toEqual(['obsolete', 'obsolete'])
  })

  it('reads again only the paragraphs whose words or amendments changed, in the order given', () => {
    const first = readByParagraph(list, texts(base))
    const typed = readByParagraph(list, texts(`${base} Encore.`), first.readings)
    // §7 is as it was: the very same reading; §4 read again.
    expect(typed.readings.get('p7')).toBe(first.readings.get('p7'))
    expect(typed.readings.get('p4')).not.toBe(first.readings.get('p4'))
    const withdrawn = { ...guere, status: 'withdrawn' } as Amendment
    const after = readByParagraph([vraiment, withdrawn, elsewhere], texts(`${base} Encore.`), typed.readings)
    expect(after.amendments.map((a) => a.number)).toEqual(['A4', 'A5', 'A6'])
    expect(after.amendments[0]!.collidesWith).toEqual([])
    expect(after.amendments[1]!.status).toBe('withdrawn')
  })

  it('in one changing document, reads again what typing changed, and hundreds of long insertions cost a keystroke little', () => {
    const paragraph = (id: string, text: string) => schema.node('paragraph', { id }, [schema.text(text)])
    const doc = new Y.Doc()
    Y.applyUpdate(doc, encodeBody(schema.node('doc', null, Array.from({ length: 2_000 }, (_, index) => paragraph(`q${index}`, `Paragraphe ${index}, tel qu’il est rédigé.`)))))
    const insertion = (number: number, blockId: string, paragraphs: string[]) => ({ ...amendment(number, blockId, ''), kind: 'insertAfter', baseWording: [], wording: paragraphs.map(runs) }) as Amendment
    // 300 insertions of 200 paragraphs each (the most a wording may have), and one of a paragraph someone will type by hand.
    const long = Array.from({ length: 300 }, (_, index) => insertion(100 + index, `q${index * 6 + 1}`, Array.from({ length: 200 }, (_, k) => `Ajout ${index}-${k}.`)))
    const watched = insertion(99, 'q1000', ['Demande un rapport.'])
    const all = [...long, watched]
    const reader = new ParagraphReader()
    const verdict = () => {
      const read = reader.read(all, doc).find((a) => a.id === 'a99')!
      return read.conflict ? 'conflict' : read.unchanged ? 'unchanged' : 'writes'
    }
    expect(verdict()).toBe('writes')
    const textOf = (index: number) => (doc.getXmlFragment('body').get(index) as Y.XmlElement).get(0) as Y.XmlText
    // The paragraph after §1000 is typed into the one the insertion adds: read again, it is already in the text.
    const next = textOf(1001)
    next.delete(0, next.length)
    next.insert(0, 'Demande un rapport.')
    expect(verdict()).toBe('unchanged')
    next.insert(next.length, ' Vite.')
    expect(verdict()).toBe('writes')

    // A keystroke elsewhere reads the paragraphs the 300 insertions look at again only if it changed them (1 s a keystroke before).
    const times: number[] = []
    for (let keystroke = 0; keystroke < 7; keystroke++) {
      textOf(1999).insert(0, 'x')
      const start = performance.now()
      reader.read(all, doc)
      times.push(performance.now() - start)
    }
    times.sort((a, b) => a - b)
    expect(times[3]).toBeLessThan(60)
  })
})

