import { writeFileSync } from 'node:fs'
import mammoth from 'mammoth'
import { Document, Packer, Paragraph, TextRun, Table, TableRow, TableCell, FootnoteReferenceRun, InsertedTextRun, DeletedTextRun, ImageRun, Header, Footer, CommentRangeStart, CommentRangeEnd, CommentReference } from 'docx'
const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64')
const doc = new Document({
  comments: { children: [{ id: 0, author: 'Erik', date: new Date(), children: [new Paragraph({ children: [new TextRun('Is this right?')] })] }] },
  footnotes: { 1: { children: [new Paragraph('A note at the foot.')] } },
  sections: [{
    headers: { default: new Header({ children: [new Paragraph('Confidential draft')] }) },
    footers: { default: new Footer({ children: [new Paragraph('Footer text')] }) },
    children: [
      new Paragraph({ children: [new TextRun('Resolution on tables')] }),
      new Paragraph({ children: [new TextRun('First paragraph'), new FootnoteReferenceRun(1), new TextRun(' with a '), new TextRun({ text: 'struck', strike: true }), new TextRun(' word.')] }),
      new Table({ rows: [new TableRow({ children: [new TableCell({ children: [new Paragraph('Country')] }), new TableCell({ children: [new Paragraph('Party')] })] }), new TableRow({ children: [new TableCell({ children: [new Paragraph('Chile')] }), new TableCell({ children: [new Paragraph('PSP')] })] })] }),
      new Paragraph({ children: [new TextRun('We '), new InsertedTextRun({ text: 'warmly ', id: 1, author: 'Lucía', date: '2026-01-01T00:00:00Z' }), new DeletedTextRun({ text: 'coldly ', id: 2, author: 'Erik', date: '2026-01-01T00:00:00Z' }), new TextRun('welcome.')] }),
      new Paragraph({ children: [new CommentRangeStart(0), new TextRun('Commented text.'), new CommentRangeEnd(0), new TextRun({ children: [new CommentReference(0)] })] }),
      new Paragraph({ children: [new ImageRun({ type: 'png', data: png, transformation: { width: 10, height: 10 } })] }),
      new Paragraph({ children: [new TextRun('Last paragraph.')] }),
    ],
  }],
})
const bytes = await Packer.toBuffer(doc)
writeFileSync('/tmp/scratch13/warn.docx', bytes)
console.log((await mammoth.convertToHtml({ buffer: bytes })).value)
