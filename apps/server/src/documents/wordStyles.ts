import { attribute, elements, replaceElements } from './wordXml.ts'

/**
 * What Word's styles (styles.xml) give a run, beside what the run says
 * itself: text hidden, struck through or set in capitals by a character or
 * paragraph style looks just as it would set directly, and mammoth reads
 * only the direct setting. A run's property is its own if it sets it,
 * otherwise its character style's, otherwise its paragraph style's (each
 * style falling back on the one it is based on), otherwise the document's
 * default. Word treats a few on/off properties as toggles between the
 * paragraph and the character style (ECMA-376 17.7.3); LibreOffice, which
 * the import is checked against, takes the nearest setting, and so does
 * this.
 */
interface Style {
  basedOn: string | undefined
  /** Its w:rPr's content, without the former properties of a revision. */
  run: string
  /** Its w:pPr's content, likewise. */
  paragraph: string
}

export interface WordStyles {
  byId: ReadonlyMap<string, Style>
  /** The run properties of the document defaults (w:docDefaults). */
  defaultRun: string
  /** The styles a paragraph or a run without one of its own has (w:default="1"). */
  defaultParagraphStyle: string | undefined
  defaultCharacterStyle: string | undefined
}

/** Where a run's formatting comes from: its paragraph's style, its own character style and its own properties. */
export interface RunSource {
  paragraphStyle: string | undefined
  runStyle: string | undefined
  /** The run's w:rPr content, without the former properties of a revision. */
  properties: string
}

/** A property read from a w:rPr's or w:pPr's content; undefined when it does not say. */
export type PropertyReader<T> = (properties: string) => T | undefined

/** The content of a properties element, without what a tracked change of formatting kept of the former properties. */
export const currentProperties = (properties: string) => replaceElements(replaceElements(properties, 'w:rPrChange', () => ''), 'w:pPrChange', () => '')

const propertiesOf = (xml: string, name: string) => currentProperties(elements(xml, name)[0]?.inner ?? '')

export function readStyles(xml: string | undefined): WordStyles {
  const byId = new Map<string, Style>()
  let defaultParagraphStyle: string | undefined
  let defaultCharacterStyle: string | undefined
  for (const style of elements(xml ?? '', 'w:style')) {
    const id = attribute(style.tag, 'w:styleId')
    if (id === undefined) continue
    const basedOn = elements(style.inner, 'w:basedOn')[0]
    byId.set(id, { basedOn: basedOn ? attribute(basedOn.tag, 'w:val') : undefined, run: propertiesOf(style.inner, 'w:rPr'), paragraph: propertiesOf(style.inner, 'w:pPr') })
    if (attribute(style.tag, 'w:default') === '1' || attribute(style.tag, 'w:default') === 'true') {
      const type = attribute(style.tag, 'w:type')
      if (type === 'paragraph') defaultParagraphStyle = id
      else if (type === 'character') defaultCharacterStyle = id
    }
  }
  const defaults = elements(xml ?? '', 'w:rPrDefault')[0]
  return { byId, defaultRun: defaults ? propertiesOf(defaults.inner, 'w:rPr') : '', defaultParagraphStyle, defaultCharacterStyle }
}

/** The first setting of a property along a style and those it is based on (a loop of basedOn ends the walk). */
function throughStyle<T>(styles: WordStyles, id: string | undefined, read: PropertyReader<T>, part: 'run' | 'paragraph'): T | undefined {
  const seen = new Set<string>()
  for (let at = id; at !== undefined && !seen.has(at); at = styles.byId.get(at)?.basedOn) {
    seen.add(at)
    const style = styles.byId.get(at)
    const value = style ? read(style[part]) : undefined
    if (value !== undefined) return value
  }
  return undefined
}

/** A run property as Word applies it: the run's own, its character style's, its paragraph style's, the document's default. */
export function runProperty<T>(styles: WordStyles, source: RunSource, read: PropertyReader<T>): T | undefined {
  return (
    read(source.properties) ??
    throughStyle(styles, source.runStyle ?? styles.defaultCharacterStyle, read, 'run') ??
    throughStyle(styles, source.paragraphStyle ?? styles.defaultParagraphStyle, read, 'run') ??
    read(styles.defaultRun)
  )
}

/** A paragraph property set by the paragraph's style (or the default paragraph style), along its basedOn chain. */
export const styleParagraphProperty = <T>(styles: WordStyles, paragraphStyle: string | undefined, read: PropertyReader<T>): T | undefined =>
  throughStyle(styles, paragraphStyle ?? styles.defaultParagraphStyle, read, 'paragraph')

/** The style a w:pPr or w:rPr names (w:pStyle, w:rStyle). */
export function styleOf(properties: string, name: 'w:pStyle' | 'w:rStyle'): string | undefined {
  const element = elements(properties, name)[0]
  return element ? attribute(element.tag, 'w:val') : undefined
}
