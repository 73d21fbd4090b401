import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { type Segment, segmentByCoverage, type Uncovered } from '@hemicycle/documents'
import * as fontkit from 'fontkit'

/**
 * The typefaces every PDF (and the line-numbered DOCX) is set in, shipped
 * as npm packages and embedded, subset, in each file: Noto Serif
 * (`@expo-google-fonts/noto-serif`, SIL Open Font License 1.1) for the
 * text, covering Latin with every diacritic Vietnamese uses, Greek and
 * Cyrillic; then DejaVu Serif and DejaVu Sans (`dejavu-fonts-ttf`, the
 * Bitstream Vera licence, free to embed) for what Noto Serif lacks:
 * Georgian, Armenian, arrows, symbols, some emoji. Each style is a chain
 * of faces tried in order, character by character.
 *
 * A font file is read and parsed the first time a document needs it, then
 * kept for the life of the process: a server that never prints a
 * PDF never loads one, and one that prints many parses each once.
 */
export type Style = 'serif' | 'serifBold' | 'serifItalic' | 'serifBoldItalic' | 'sans' | 'sansBold' | 'sansItalic'

const require = createRequire(import.meta.url)
const noto = (file: string) => () => require.resolve(`@expo-google-fonts/noto-serif/${file}`)
const dejavu = (file: string) => () => require.resolve(`dejavu-fonts-ttf/ttf/${file}`)

const FILES = {
  notoSerif: noto('400Regular/NotoSerif_400Regular.ttf'),
  notoSerifBold: noto('700Bold/NotoSerif_700Bold.ttf'),
  notoSerifItalic: noto('400Regular_Italic/NotoSerif_400Regular_Italic.ttf'),
  notoSerifBoldItalic: noto('700Bold_Italic/NotoSerif_700Bold_Italic.ttf'),
  dejavuSerif: dejavu('DejaVuSerif.ttf'),
  dejavuSerifBold: dejavu('DejaVuSerif-Bold.ttf'),
  dejavuSerifItalic: dejavu('DejaVuSerif-Italic.ttf'),
  dejavuSerifBoldItalic: dejavu('DejaVuSerif-BoldItalic.ttf'),
  dejavuSans: dejavu('DejaVuSans.ttf'),
  dejavuSansBold: dejavu('DejaVuSans-Bold.ttf'),
  dejavuSansOblique: dejavu('DejaVuSans-Oblique.ttf'),
  dejavuSansBoldOblique: dejavu('DejaVuSans-BoldOblique.ttf'),
} satisfies Record<string, () => string>
export type FaceName = keyof typeof FILES

/**
 * Each style's faces, best first. DejaVu Sans, the widest coverage, closes every chain, in its upright regular face
 * last: its bold and oblique faces lack scripts it has upright (Arabic, N'Ko, Tifinagh, Ogham), and a foreign
 * party's name in italics, as French sets them, printed as "�" rather than upright.
 */
const CHAINS: Record<Style, readonly FaceName[]> = {
  serif: ['notoSerif', 'dejavuSerif', 'dejavuSans'],
  serifBold: ['notoSerifBold', 'dejavuSerifBold', 'dejavuSansBold', 'dejavuSans'],
  serifItalic: ['notoSerifItalic', 'dejavuSerifItalic', 'dejavuSansOblique', 'dejavuSans'],
  serifBoldItalic: ['notoSerifBoldItalic', 'dejavuSerifBoldItalic', 'dejavuSansBoldOblique', 'dejavuSansBold', 'dejavuSans'],
  sans: ['dejavuSans'],
  sansBold: ['dejavuSansBold', 'dejavuSans'],
  sansItalic: ['dejavuSansOblique', 'dejavuSans'],
}

/** The family name each face has in a word processor, and whether it is the bold or italic member. */
export const FAMILY: Record<FaceName, { family: string; bold: boolean; italic: boolean }> = {
  notoSerif: { family: 'Noto Serif', bold: false, italic: false },
  notoSerifBold: { family: 'Noto Serif', bold: true, italic: false },
  notoSerifItalic: { family: 'Noto Serif', bold: false, italic: true },
  notoSerifBoldItalic: { family: 'Noto Serif', bold: true, italic: true },
  dejavuSerif: { family: 'DejaVu Serif', bold: false, italic: false },
  dejavuSerifBold: { family: 'DejaVu Serif', bold: true, italic: false },
  dejavuSerifItalic: { family: 'DejaVu Serif', bold: false, italic: true },
  dejavuSerifBoldItalic: { family: 'DejaVu Serif', bold: true, italic: true },
  dejavuSans: { family: 'DejaVu Sans', bold: false, italic: false },
  dejavuSansBold: { family: 'DejaVu Sans', bold: true, italic: false },
  dejavuSansOblique: { family: 'DejaVu Sans', bold: false, italic: true },
  dejavuSansBoldOblique: { family: 'DejaVu Sans', bold: true, italic: true },
}

export interface LoadedFace {
  name: FaceName
  /** Parsed once, for what a face covers and how wide it sets text; documents embed their own parse of `bytes`. */
  font: fontkit.Font
  bytes: Buffer
}

const loaded = new Map<FaceName, LoadedFace>()

export function face(name: FaceName): LoadedFace {
  const cached = loaded.get(name)
  if (cached) return cached
  const bytes = readFileSync(FILES[name]())
  const font = fontkit.create(bytes)
  if (!('glyphForCodePoint' in font)) throw new Error(`${name}: expected a single font, found a collection`)
  const entry = { name, font, bytes }
  loaded.set(name, entry)
  return entry
}

export interface FaceSegment {
  face: FaceName
  text: string
  /** Set in the face though it has none of it ('kept'): its width is the reader's font's, not the face's. */
  uncovered?: true
}

/**
 * `text` cut into runs of one face each, following the style's chain; what no face has goes to the chain's last face,
 * as the replacement character (`uncovered`: 'placeholder', for a PDF) or as it is ('kept', for a Word file).
 */
export function segmentText(text: string, style: Style, uncovered: Uncovered = 'placeholder'): FaceSegment[] {
  const chain = CHAINS[style]
  const covers = (index: number, codePoint: number) => face(chain[index]!).font.hasGlyphForCodePoint(codePoint)
  return segmentByCoverage(text, chain.length, covers, uncovered).map((segment: Segment) =>
    segment.face === null && uncovered === 'kept' ? { face: chain[chain.length - 1]!, text: segment.text, uncovered: true } : { face: chain[segment.face ?? chain.length - 1]!, text: segment.text },
  )
}

/**
 * The width of `text` set in one face, in points, from the glyphs' advances
 * alone: Word does not kern unless asked and LibreOffice kerns, which only
 * narrows, so no word processor sets the text wider than this.
 */
export function advanceWidth(text: string, name: FaceName, size: number): number {
  const { font } = face(name)
  let units = 0
  for (const glyph of font.glyphsForString(text)) units += glyph.advanceWidth
  return (units / font.unitsPerEm) * size
}
