import { styleParagraphProperty, type WordStyles } from './wordStyles.ts'
import { attribute, elements, propertyValue } from './wordXml.ts'

/**
 * Word's list numbering (numbering.xml) replayed in the order of the
 * paragraphs, to know the number Word prints before each: mammoth gives a
 * list no start, so a list that Word continues after a paragraph ("3.") or
 * starts at 5 came in numbered from 1. As LibreOffice reads Word's files,
 * the counters belong to the abstract numbering, shared by every list
 * (w:num) made from it, so a list continues one before it; a list's start
 * override (w:startOverride) sets a level's counter the first time that
 * list is used at that level; a level starts again after a higher one
 * (or after the one its w:lvlRestart names).
 */
interface Level {
  start: number
  /** w:numFmt: decimal, lowerLetter, upperRoman, bullet, none… */
  format: string
  /** w:lvlText: "%1.", "%1.%2.", "Article %1 –", "•". */
  text: string
  /** w:lvlRestart: restart after a level up to this one (1-based); 0 never; undefined after any higher level. */
  restart: number | undefined
  /** w:isLgl: the levels it shows are shown in decimal. */
  legal: boolean
  /** w:pStyle: the paragraph style this level numbers. */
  paragraphStyle: string | undefined
}

interface List {
  abstract: string
  /** Per level: the start override and the level as this list redefines it. */
  overrides: Map<number, { start: number | undefined; level: Level | undefined }>
}

export interface WordNumbering {
  abstracts: Map<string, { levels: Map<number, Level>; styleLink: string | undefined }>
  lists: Map<string, List>
}

const numberOf = (value: string | undefined) => (value !== undefined && /^-?\d+$/.test(value) ? Number(value) : undefined)

function readLevel(xml: string): Level {
  return {
    start: numberOf(propertyValue(xml, 'w:start')) ?? 0,
    format: propertyValue(xml, 'w:numFmt') ?? 'decimal',
    text: propertyValue(xml, 'w:lvlText') ?? '',
    restart: numberOf(propertyValue(xml, 'w:lvlRestart')),
    legal: propertyValue(xml, 'w:isLgl') !== undefined && !['false', '0', 'off'].includes(propertyValue(xml, 'w:isLgl')!),
    paragraphStyle: propertyValue(xml, 'w:pStyle'),
  }
}

const levelsOf = (xml: string) => new Map(elements(xml, 'w:lvl').map((level) => [numberOf(attribute(level.tag, 'w:ilvl')) ?? 0, readLevel(level.inner)]))

export function readNumbering(xml: string | undefined): WordNumbering {
  const abstracts: WordNumbering['abstracts'] = new Map()
  for (const abstract of elements(xml ?? '', 'w:abstractNum')) {
    abstracts.set(attribute(abstract.tag, 'w:abstractNumId') ?? '', { levels: levelsOf(abstract.inner), styleLink: propertyValue(abstract.inner, 'w:numStyleLink') })
  }
  const lists: WordNumbering['lists'] = new Map()
  for (const list of elements(xml ?? '', 'w:num')) {
    const overrides = new Map(
      elements(list.inner, 'w:lvlOverride').map((override) => {
        const level = elements(override.inner, 'w:lvl')[0]
        return [numberOf(attribute(override.tag, 'w:ilvl')) ?? 0, { start: numberOf(propertyValue(override.inner, 'w:startOverride')), level: level ? readLevel(level.inner) : undefined }] as const
      }),
    )
    lists.set(attribute(list.tag, 'w:numId') ?? '', { abstract: propertyValue(list.inner, 'w:abstractNumId') ?? '', overrides })
  }
  return { abstracts, lists }
}

/** A paragraph's list and level, from its own properties (w:numPr) or its style's; numId 0 says none. */
export function paragraphList(numbering: WordNumbering, styles: WordStyles, properties: string, paragraphStyle: string | undefined): { numId: string; level: number } | undefined {
  const own = elements(properties, 'w:numPr')[0]
  const fromStyle = own ? undefined : styleParagraphProperty(styles, paragraphStyle, (style) => elements(style, 'w:numPr')[0]?.inner)
  const numPr = own?.inner ?? fromStyle
  const numId = numPr === undefined ? undefined : propertyValue(numPr, 'w:numId')
  if (numId === undefined || numId === '0' || !numbering.lists.has(numId)) return undefined
  const level = numberOf(propertyValue(numPr!, 'w:ilvl'))
  if (level !== undefined) return { numId, level }
  // A style that numbers its paragraphs names no level: the level that names the style is it.
  const abstract = numbering.abstracts.get(numbering.lists.get(numId)!.abstract)
  const styled = abstract && [...abstract.levels].find(([, definition]) => definition.paragraphStyle === paragraphStyle)
  return { numId, level: styled ? styled[0] : 0 }
}

const ROMAN: Array<[number, string]> = [
  [1000, 'm'], [900, 'cm'], [500, 'd'], [400, 'cd'], [100, 'c'], [90, 'xc'], [50, 'l'], [40, 'xl'], [10, 'x'], [9, 'ix'], [5, 'v'], [4, 'iv'], [1, 'i'],
]
function roman(value: number): string {
  let rest = value
  let out = ''
  for (const [size, numeral] of ROMAN) {
    for (; rest >= size; rest -= size) out += numeral
  }
  return out
}
/** Word's letters: a … z, then aa … zz. */
const letters = (value: number) => (value < 1 ? '' : String.fromCharCode(97 + ((value - 1) % 26)).repeat(Math.floor((value - 1) / 26) + 1))

/** A counter as a level's format writes it (formats Hemicycle has no use for read as decimal: the label is only quoted). */
function formatted(value: number, format: string): string {
  switch (format) {
    case 'decimalZero':
      return value < 10 ? `0${value}` : String(value)
    case 'lowerRoman':
      return roman(value)
    case 'upperRoman':
      return roman(value).toUpperCase()
    case 'lowerLetter':
      return letters(value)
    case 'upperLetter':
      return letters(value).toUpperCase()
    case 'none':
    case 'bullet':
      return ''
    default:
      return String(value)
  }
}

/** What Word prints before a numbered paragraph: its label, and its number when the label is that number and a full stop, as a resolution's lists print. */
export interface PrintedNumber {
  label: string
  bullet: boolean
  /** The number, when the label is "<number>.". */
  value: number | undefined
}

/** The replay: called with each numbered paragraph in order, it answers what Word prints before it. */
export function numberingReplay(numbering: WordNumbering, styles: WordStyles): (list: { numId: string; level: number }) => PrintedNumber | undefined {
  const counters = new Map<string, Array<number | undefined>>()
  const overridden = new Set<string>()
  const abstractOf = (list: List) => {
    const abstract = numbering.abstracts.get(list.abstract)
    // A numbering style's abstract numbering only points at the one the style's list uses.
    const linked = abstract?.styleLink === undefined ? undefined : styleParagraphProperty(styles, abstract.styleLink, (style) => propertyValue(style, 'w:numId'))
    const target = linked === undefined ? undefined : numbering.lists.get(linked)
    return target && numbering.abstracts.has(target.abstract) ? { id: target.abstract, ...numbering.abstracts.get(target.abstract)! } : abstract ? { id: list.abstract, ...abstract } : undefined
  }
  return ({ numId, level }) => {
    const list = numbering.lists.get(numId)!
    const abstract = abstractOf(list)
    const levelOf = (at: number) => list.overrides.get(at)?.level ?? abstract?.levels.get(at)
    const definition = levelOf(level)
    if (!abstract || !definition) return undefined
    const values = counters.get(abstract.id) ?? []
    counters.set(abstract.id, values)
    const override = list.overrides.get(level)?.start
    if (override !== undefined && !overridden.has(`${numId}:${level}`)) {
      overridden.add(`${numId}:${level}`)
      values[level] = override
    } else values[level] = values[level] === undefined ? definition.start : values[level]! + 1
    for (let deeper = level + 1; deeper < 9; deeper++) {
      const restart = levelOf(deeper)?.restart
      if (restart === undefined || (restart > 0 && level < restart)) values[deeper] = undefined
    }
    const label = definition.text.replace(/%([1-9])/g, (_, index: string) => {
      const at = Number(index) - 1
      const shown = levelOf(at)
      return formatted(values[at] ?? shown?.start ?? 0, definition.legal ? 'decimal' : (shown?.format ?? 'decimal'))
    })
    const value = definition.format === 'decimal' && definition.text === `%${level + 1}.` ? values[level] : undefined
    return { label, bullet: definition.format === 'bullet', value }
  }
}
