import type { Run } from '@hemicycle/amendments'
import type { Change } from '@hemicycle/documents'
import PDFDocument from 'pdfkit'

/**
 * The page every PDF Hemicycle issues is laid out on: A4, the alliance's
 * letterhead, and text set line by line. Cited text is never left to
 * pdfkit's own wrapping: each line is the one the numbering counts, drawn
 * run by run (bold, italic, a tracked change), so "§4, line 12" points at
 * the same words on paper as on screen. pdfkit's standard Times and
 * Helvetica cover French and Spanish (WinAnsi), with no font files to ship.
 */
export interface PdfRun extends Run {
  change?: Change
}

const A4 = { width: 595.28, height: 841.89 }
const MARGIN = { top: 56, bottom: 64, left: 56, right: 56 }
/** Room left of the text for § numbers and list markers. */
export const GUTTER = 40
export const TEXT_LEFT = MARGIN.left + GUTTER
export const TEXT_WIDTH = A4.width - TEXT_LEFT - MARGIN.right

export const INK = { text: '#111111', muted: '#666666', stamp: '#b3261e', insert: '#1a5fb4', delete: '#b3261e' }

const FONTS = { regular: 'Times-Roman', bold: 'Times-Bold', italic: 'Times-Italic', boldItalic: 'Times-BoldItalic' }
const fontOf = (run: Run) => (run.bold ? (run.italic ? FONTS.boldItalic : FONTS.bold) : run.italic ? FONTS.italic : FONTS.regular)

export interface LineOptions {
  x?: number
  width?: number
  size?: number
  /** Printed right-aligned in the left margin: the line's number. */
  lineNumber?: number
  /** Printed in the gutter: "§4", a list marker. */
  label?: string
  labelX?: number
}

export class PdfWriter {
  readonly doc: PDFKit.PDFDocument
  private readonly chunks: Buffer[] = []
  private readonly done: Promise<Buffer>
  y = MARGIN.top

  constructor(info: { title: string; subject: string; language: string }) {
    this.doc = new PDFDocument({
      size: 'A4',
      margins: MARGIN,
      bufferPages: true,
      lang: info.language,
      displayTitle: true,
      info: { Title: info.title, Subject: info.subject, Creator: 'Hemicycle', Producer: 'Hemicycle (pdfkit)' },
    })
    this.doc.on('data', (chunk: Buffer) => this.chunks.push(chunk))
    this.done = new Promise((resolve, reject) => {
      this.doc.on('end', () => resolve(Buffer.concat(this.chunks)))
      this.doc.on('error', reject)
    })
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

  /** Text pdfkit may wrap itself (titles, notes): never cited by line. */
  flow(text: string, { font = FONTS.regular, size = 10.5, color = INK.text, align = 'left', x = TEXT_LEFT, width = TEXT_WIDTH, characterSpacing = 0 }: {
    font?: string
    size?: number
    color?: string
    align?: 'left' | 'center' | 'right' | 'justify'
    x?: number
    width?: number
    characterSpacing?: number
  } = {}): void {
    if (text.length === 0) return
    this.doc.font(font).fontSize(size)
    const options = { width, align, characterSpacing, lineGap: 1.5 }
    this.ensure(Math.min(this.doc.heightOfString(text, options), 3 * size))
    this.doc.fillColor(color).text(text, x, this.y, options)
    this.y = this.doc.y
  }

  /** The letterhead, title, stamp and event that open every document. */
  heading({ letterhead, title, stamp, event, subtitle }: { letterhead: string; title: string; stamp: string; event: string; subtitle?: string }): void {
    const x = MARGIN.left
    const width = A4.width - MARGIN.left - MARGIN.right
    this.flow(letterhead, { font: 'Helvetica-Bold', size: 8.5, color: INK.muted, align: 'center', x, width })
    this.gap(18)
    if (subtitle) {
      this.flow(subtitle, { font: 'Helvetica-Bold', size: 11, align: 'center', x, width })
      this.gap(6)
    }
    this.flow(title, { font: FONTS.bold, size: 16, align: 'center', x, width })
    this.gap(10)
    this.stamp(stamp)
    if (event) {
      this.gap(6)
      this.flow(event, { font: FONTS.italic, size: 11, align: 'center', x, width })
    }
    this.gap(22)
  }

  private stamp(text: string): void {
    const size = 11
    this.doc.font('Helvetica-Bold').fontSize(size)
    const width = this.doc.widthOfString(text, { characterSpacing: 1 }) + 16
    const x = (A4.width - width) / 2
    this.ensure(size + 10)
    this.doc.lineWidth(1.5).strokeColor(INK.stamp).rect(x, this.y, width, size + 9).stroke()
    this.doc.fillColor(INK.stamp).text(text, x + 8, this.y + 5, { lineBreak: false, characterSpacing: 1 })
    this.y += size + 9
  }

  /** One line, set exactly as given; a line too wide for its column is set smaller rather than wrapped. */
  line(runs: readonly PdfRun[], { x = TEXT_LEFT, width = TEXT_WIDTH, size = 10.5, lineNumber, label, labelX = MARGIN.left }: LineOptions = {}): void {
    const height = size * 1.38
    this.ensure(height)
    const natural = runs.reduce((sum, run) => sum + this.doc.font(fontOf(run)).fontSize(size).widthOfString(run.text), 0)
    const scaled = natural > width ? (size * width) / natural : size
    const baseline = this.y
    if (lineNumber !== undefined) {
      this.doc.font('Helvetica').fontSize(7).fillColor(INK.muted)
      const text = String(lineNumber)
      this.doc.text(text, MARGIN.left - 10 - this.doc.widthOfString(text), baseline + 2.5, { lineBreak: false })
    }
    if (label) this.doc.font('Helvetica').fontSize(8.5).fillColor(INK.muted).text(label, labelX, baseline + 1.5, { lineBreak: false })
    let at = x
    for (const run of runs) {
      if (run.text.length === 0) continue
      this.doc.font(fontOf(run)).fontSize(scaled)
      const runWidth = this.doc.widthOfString(run.text)
      const color = run.change === 'insert' ? INK.insert : run.change === 'delete' ? INK.delete : INK.text
      this.doc.fillColor(color).text(run.text, at, baseline, { lineBreak: false })
      if (run.change === 'insert' || run.change === 'delete') {
        const rule = run.change === 'insert' ? baseline + scaled * 0.98 : baseline + scaled * 0.6
        this.doc.lineWidth(0.7).strokeColor(color).moveTo(at, rule).lineTo(at + runWidth, rule).stroke()
      }
      at += runWidth
    }
    this.y += height
  }

  /** Page numbers and the document's name at the foot of every page, then the bytes. */
  async finish(footer: (page: number, pages: number) => string): Promise<Buffer> {
    const range = this.doc.bufferedPageRange()
    for (let index = range.start; index < range.start + range.count; index++) {
      this.doc.switchToPage(index)
      // Writing inside the bottom margin would make pdfkit open a page of its own.
      const margin = this.doc.page.margins.bottom
      this.doc.page.margins.bottom = 0
      this.doc
        .font('Helvetica')
        .fontSize(7.5)
        .fillColor(INK.muted)
        .text(footer(index + 1, range.count), MARGIN.left, A4.height - MARGIN.bottom + 24, {
          width: A4.width - MARGIN.left - MARGIN.right,
          align: 'center',
          lineBreak: false,
        })
      this.doc.page.margins.bottom = margin
    }
    this.doc.end()
    return this.done
  }
}
