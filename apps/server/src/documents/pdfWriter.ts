import type { Run } from '@hemicycle/amendments'
import { type Change, inVisualOrder } from '@hemicycle/documents'
import { graphemes } from '@hemicycle/schema'
import * as fontkit from 'fontkit'
import PDFDocument from 'pdfkit'
import { face, type FaceName, type FaceSegment, segmentText, type Style } from './fonts.ts'

/**
 * The page every PDF Hemicycle issues is laid out on: A4, the alliance's
 * letterhead, and text set line by line. Cited text is never left to
 * pdfkit's own wrapping: each line is the one the numbering counts, drawn
 * run by run (bold, italic, a tracked change), so "§4, line 12" points at
 * the same words on paper as on screen. Everything else (titles, events,
 * names, notes) is wrapped here to the width it is given, measured in the
 * fonts it is set in.
 *
 * Every piece of text is set through the fallback chains of `fonts.ts`, so
 * each character is drawn in a face that has it and every face is
 * embedded: Cyrillic, Georgian or Vietnamese come out as written, and
 * `pdftotext` reads them back.
 */
export interface PdfRun extends Run {
  change?: Change
}

const A4 = { width: 595.28, height: 841.89 }
export const MARGIN = { top: 56, bottom: 64, left: 56, right: 56 }
export const PAGE = A4
/** Room left of the text for § numbers and list markers. */
export const GUTTER = 40
export const TEXT_LEFT = MARGIN.left + GUTTER
export const TEXT_WIDTH = A4.width - TEXT_LEFT - MARGIN.right

export const INK = { text: '#111111', muted: '#666666', stamp: '#b3261e', insert: '#1a5fb4', delete: '#b3261e' }

/** Where the baseline sits below the top of a line, and where the rules of a tracked change are drawn, in ems. */
const ASCENT = 0.78
const UNDERLINE = 0.16
const STRIKE = -0.28

interface DrawOptions {
  style: Style
  size: number
  color: string
  characterSpacing?: number
}

/**
 * Whether fontkit sets `text` right to left: it takes the direction of the
 * script of the first character of a script of its own (not punctuation,
 * digits or marks), and these are the scripts it reads right to left.
 */
const SCRIPT = /[^\p{Script=Common}\p{Script=Inherited}\p{Script=Unknown}]/u
const RIGHT_TO_LEFT_SCRIPT =
  /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Cypriot}\p{Script=Kharoshthi}\p{Script=Phoenician}\p{Script=Nko}\p{Script=Lydian}\p{Script=Avestan}\p{Script=Imperial_Aramaic}\p{Script=Inscriptional_Pahlavi}\p{Script=Inscriptional_Parthian}\p{Script=Old_South_Arabian}\p{Script=Old_Turkic}\p{Script=Samaritan}\p{Script=Mandaic}\p{Script=Meroitic_Cursive}\p{Script=Meroitic_Hieroglyphs}\p{Script=Manichaean}\p{Script=Mende_Kikakui}\p{Script=Nabataean}\p{Script=Old_North_Arabian}\p{Script=Palmyrene}\p{Script=Psalter_Pahlavi}]/u
const shapedRightToLeft = (text: string) => RIGHT_TO_LEFT_SCRIPT.test(SCRIPT.exec(text)?.[0] ?? '')

/**
 * The ligatures that join letters (fi, fl, ffi…), turned off. pdfkit's text
 * layer gives each glyph the characters it was first drawn for, and the
 * faces draw "fi" with the glyph of the character "ﬁ" (U+FB01): one "ﬁ"
 * pasted from another PDF made every later "fi" copy back as "ﬁ", and a
 * "fi" before it made the "ﬁ" copy back as "fi", another text with another
 * hash on the adopted record. Each glyph now stands for one character.
 */
const LETTERS_APART = { liga: false, clig: false, dlig: false, hlig: false }

/**
 * A face parsed for one document, laying out every string with the
 * letters apart unless told otherwise. Set on the font rather than passed
 * to each `text()` call: given features, pdfkit lays out the whole string
 * again at each call, where it otherwise keeps each word's layout, and the
 * wrapping measures the same words over and over (seven times slower).
 * Text the shaper sets right to left (Arabic, Hebrew) keeps the faces' own
 * features: Arabic is joined by them.
 */
function lettersApart(bytes: Buffer): fontkit.Font {
  const font = fontkit.create(bytes) as fontkit.Font
  const layout = font.layout.bind(font)
  font.layout = (text, features, ...rest) => layout(text, features ?? (shapedRightToLeft(text) ? undefined : LETTERS_APART), ...rest)
  return font
}

/** Reversed character cluster by cluster, so that an accent stays on its letter. */
const reversed = (text: string) => Array.from(graphemes(text), ({ segment }) => segment).reverse().join('')

/**
 * A segment the shaper sets right to left, a word at a time: pdfkit lays a
 * string out word by word (up to each space or tab, kept with the word
 * before it) and the shaper turns each word on its own, so a face that
 * draws the spaces too (DejaVu Sans, the footer's and the names' face) set
 * a title of several Hebrew words with the words in the order typed from
 * the left and two of them run together ("החדשוהחוק"). Given apart, the
 * words and spaces are set from the last, as the other segments of a
 * right-to-left piece are.
 */
function wordsApart(segment: FaceSegment): FaceSegment[] {
  if (!/[ \t]/.test(segment.text) || !shapedRightToLeft(segment.text)) return [segment]
  return segment.text
    .split(/([ \t]+)/)
    .filter((part) => part.length > 0)
    .map((part) => ({ ...segment, text: part }))
}

const styleOf = (run: Run): Style => (run.bold ? (run.italic ? 'serifBoldItalic' : 'serifBold') : run.italic ? 'serifItalic' : 'serif')

export interface LineOptions {
  x?: number
  width?: number
  size?: number
  /** Printed right-aligned in the left margin: the line's number. */
  lineNumber?: string
  /** Printed in the gutter: "§4", a list marker. */
  label?: string
  labelX?: number
}

export interface FlowOptions {
  style?: Style
  size?: number
  color?: string
  align?: 'left' | 'center'
  x?: number
  width?: number
  characterSpacing?: number
}

export interface PdfInfo {
  title: string
  subject: string
  language: string
  /** PDF/A-3b, with this XMP added to the metadata and these files attached. */
  archival?: { xmp: string; attachments: Array<{ name: string; data: Buffer; type: string; description: string }> }
}

export class PdfWriter {
  readonly doc: PDFKit.PDFDocument
  private readonly chunks: Buffer[] = []
  private readonly done: Promise<Buffer>
  private readonly registered = new Set<FaceName>()
  y = MARGIN.top

  constructor(info: PdfInfo) {
    this.doc = new PDFDocument({
      size: 'A4',
      margins: MARGIN,
      bufferPages: true,
      lang: info.language,
      displayTitle: true,
      // No standard (unembedded) font, not even pdfkit's default Helvetica: every face is one of ours.
      font: null as unknown as string,
      ...(info.archival ? { subset: 'PDF/A-3b' as const, pdfVersion: '1.7' as const, tagged: false } : {}),
      info: { Title: info.title, Subject: info.subject, Creator: 'Hemicycle', Producer: 'Hemicycle (pdfkit)' },
    })
    if (info.archival) {
      this.escapeInfoInXmp()
      this.doc.appendXML(info.archival.xmp)
      for (const file of info.archival.attachments) {
        // PDF/A-3 asks how each attachment relates to the document (pdfkit takes `relationship`, its types do not say so).
        const options: PDFKit.Mixins.PDFAttachmentOptions & { relationship: 'Source' } = { name: file.name, type: file.type, description: file.description, relationship: 'Source' }
        this.doc.file(file.data, options)
      }
    }
    this.doc.on('data', (chunk: Buffer) => this.chunks.push(chunk))
    this.done = new Promise((resolve, reject) => {
      this.doc.on('end', () => resolve(Buffer.concat(this.chunks)))
      this.doc.on('error', reject)
    })
  }

  /**
   * pdfkit copies the title and subject into the XMP as they are, so an "&"
   * in a title would make the metadata unreadable. It writes the document
   * information dictionary first, then the subset's (PDF/A's) part, then the
   * XMP: between the two, the strings are escaped for XML.
   */
  private escapeInfoInXmp(): void {
    const doc = this.doc as PDFKit.PDFDocument & { endSubset(): void; info: Record<string, unknown> }
    const endSubset = doc.endSubset.bind(doc)
    doc.endSubset = () => {
      for (const [key, value] of Object.entries(doc.info)) {
        if (typeof value === 'string') doc.info[key] = value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
      }
      endSubset()
    }
  }

  get bottom(): number {
    return A4.height - MARGIN.bottom
  }

  /** Starts a new page unless `height` more points fit on this one. */
  ensure(height: number): void {
    if (this.y + height <= this.bottom) return
    this.doc.addPage()
    this.y = MARGIN.top
  }

  gap(points: number): void {
    this.y += points
  }

  private use(name: FaceName, size: number): void {
    if (!this.registered.has(name)) {
      // Each document parses its own copy of the (cached) bytes: fontkit caches glyphs with the characters they were first
      // set for, and a glyph first met as part of another (DejaVu draws "Н" with the outline of "H") would map to no
      // character in a later document's text layer, so pdftotext would lose it. pdfkit takes a parsed font as readily as
      // bytes (it asks only for `layout`); its types do not say so.
      this.doc.registerFont(name, lettersApart(face(name).bytes) as unknown as Buffer)
      this.registered.add(name)
    }
    this.doc.font(name).fontSize(size)
  }

  /** The width `text` takes set in `style`, every character in the face that draws it. */
  widthOf(text: string, style: Style, size: number, characterSpacing = 0): number {
    const segments = segmentText(text, style)
    let width = 0
    for (const segment of segments) {
      this.use(segment.face, size)
      width += this.doc.widthOfString(segment.text, { characterSpacing }) + characterSpacing
    }
    return segments.length > 0 ? width - characterSpacing : 0
  }

  /** Sets `text` on one line with its baseline at `baseline`, in visual order; returns its width. */
  private draw(text: string, x: number, baseline: number, options: DrawOptions): number {
    let at = x
    for (const piece of inVisualOrder([{ text }])) at += this.drawPiece(piece.text, piece.rtl, at, baseline, options)
    return at - x
  }

  /**
   * Sets a piece of one direction from `x`; returns its width. The shaper
   * (fontkit, under pdfkit) lays a string of a right-to-left script out
   * right to left itself, from the order typed: those faces' segments are
   * given as typed, the others of a right-to-left piece (its spaces and
   * punctuation, set in another face) reversed, and the segments set from
   * the last.
   */
  private drawPiece(text: string, rtl: boolean, x: number, baseline: number, { style, size, color, characterSpacing = 0 }: DrawOptions): number {
    let at = x
    const segments = rtl ? segmentText(text, style).flatMap(wordsApart).reverse() : segmentText(text, style)
    for (const segment of segments) {
      this.use(segment.face, size)
      const shown = rtl && !shapedRightToLeft(segment.text) ? reversed(segment.text) : segment.text
      this.doc.fillColor(color).text(shown, at, baseline, { lineBreak: false, baseline: 'alphabetic', characterSpacing })
      at += this.doc.widthOfString(shown, { characterSpacing }) + characterSpacing
    }
    return at - x
  }

  /** Greedy wrap by measured width: words stay whole unless one alone is wider than the line, which is then cut between characters. */
  wrap(text: string, style: Style, size: number, width: number, characterSpacing = 0): string[] {
    const lines: string[] = []
    const fits = (candidate: string) => this.widthOf(candidate, style, size, characterSpacing) <= width
    for (const paragraph of text.split('\n')) {
      let current = ''
      for (const word of paragraph.split(/ +/).filter((part) => part.length > 0)) {
        const candidate = current ? `${current} ${word}` : word
        if (fits(candidate)) {
          current = candidate
          continue
        }
        if (current) lines.push(current)
        current = ''
        for (const { segment } of graphemes(word)) {
          if (current && !fits(current + segment)) {
            lines.push(current)
            current = ''
          }
          current += segment
        }
      }
      lines.push(current)
    }
    return lines
  }

  /** Text wrapped to its column (titles, events, names, notes): never cited by line. */
  flow(text: string, { style = 'serif', size = 10.5, color = INK.text, align = 'left', x = TEXT_LEFT, width = TEXT_WIDTH, characterSpacing = 0 }: FlowOptions = {}): void {
    if (text.length === 0) return
    const height = size * 1.3 + 1.5
    for (const line of this.wrap(text, style, size, width, characterSpacing)) {
      this.ensure(height)
      const offset = align === 'center' ? (width - this.widthOf(line, style, size, characterSpacing)) / 2 : 0
      this.draw(line, x + offset, this.y + size * ASCENT, { style, size, color, characterSpacing })
      this.y += height
    }
  }

  /** The letterhead, title, stamp and event that open every document. */
  heading({ letterhead, title, stamp, event, subtitle }: { letterhead: string; title: string; stamp: string; event: string; subtitle?: string }): void {
    const x = MARGIN.left
    const width = A4.width - MARGIN.left - MARGIN.right
    this.flow(letterhead, { style: 'sansBold', size: 8.5, color: INK.muted, align: 'center', x, width })
    this.gap(18)
    if (subtitle) {
      this.flow(subtitle, { style: 'sansBold', size: 11, align: 'center', x, width })
      this.gap(6)
    }
    this.flow(title, { style: 'serifBold', size: 16, align: 'center', x, width })
    this.gap(10)
    this.stamp(stamp, width)
    if (event) {
      this.gap(6)
      this.flow(event, { style: 'serifItalic', size: 11, align: 'center', x, width })
    }
    this.gap(22)
  }

  private stamp(text: string, room: number): void {
    const size = 11
    const spacing = 1
    // A stamp is one line: a long one is set smaller rather than cut.
    const natural = this.widthOf(text, 'sansBold', size, spacing)
    const scaled = natural + 16 > room ? (size * (room - 16)) / natural : size
    const width = this.widthOf(text, 'sansBold', scaled, spacing) + 16
    const x = (A4.width - width) / 2
    this.ensure(size + 10)
    this.doc.lineWidth(1.5).strokeColor(INK.stamp).rect(x, this.y, width, size + 9).stroke()
    this.draw(text, x + 8, this.y + 5 + scaled * ASCENT, { style: 'sansBold', size: scaled, color: INK.stamp, characterSpacing: spacing })
    this.y += size + 9
  }

  /** One line, set exactly as given; a line too wide for its column is set smaller rather than wrapped. */
  line(runs: readonly PdfRun[], { x = TEXT_LEFT, width = TEXT_WIDTH, size = 10.5, lineNumber, label, labelX = MARGIN.left }: LineOptions = {}): void {
    const height = size * 1.38
    this.ensure(height)
    const natural = runs.reduce((sum, run) => sum + this.widthOf(run.text, styleOf(run), size), 0)
    const scaled = natural > width ? (size * width) / natural : size
    const top = this.y
    if (lineNumber !== undefined) {
      const text = lineNumber
      this.draw(text, MARGIN.left - 10 - this.widthOf(text, 'sans', 7), top + 2.5 + 7 * ASCENT, { style: 'sans', size: 7, color: INK.muted })
    }
    if (label) this.draw(label, labelX, top + 1.5 + 8.5 * ASCENT, { style: 'sans', size: 8.5, color: INK.muted })
    const baseline = top + size * ASCENT
    let at = x
    for (const { run, text, rtl } of inVisualOrder(runs)) {
      const color = run.change === 'insert' ? INK.insert : run.change === 'delete' ? INK.delete : INK.text
      const runWidth = this.drawPiece(text, rtl, at, baseline, { style: styleOf(run), size: scaled, color })
      if (run.change === 'insert' || run.change === 'delete') {
        const rule = baseline + scaled * (run.change === 'insert' ? UNDERLINE : STRIKE)
        this.doc.lineWidth(0.7).strokeColor(color).moveTo(at, rule).lineTo(at + runWidth, rule).stroke()
      }
      at += runWidth
    }
    this.y += height
  }

  /** Page numbers and the document's name at the foot of every page, then the bytes. */
  async finish(footer: (page: number, pages: number) => string): Promise<Buffer> {
    const range = this.doc.bufferedPageRange()
    const width = A4.width - MARGIN.left - MARGIN.right
    for (let index = range.start; index < range.start + range.count; index++) {
      this.doc.switchToPage(index)
      // Writing inside the bottom margin would make pdfkit open a page of its own.
      const margin = this.doc.page.margins.bottom
      this.doc.page.margins.bottom = 0
      const text = footer(index + 1, range.count)
      // One line under the text: a long title makes the footer smaller, never wider than the page.
      const natural = this.widthOf(text, 'sans', 7.5)
      const size = natural > width ? (7.5 * width) / natural : 7.5
      const x = MARGIN.left + (width - this.widthOf(text, 'sans', size)) / 2
      this.draw(text, x, A4.height - MARGIN.bottom + 24 + size * ASCENT, { style: 'sans', size, color: INK.muted })
      this.doc.page.margins.bottom = margin
    }
    this.doc.end()
    return this.done
  }
}
