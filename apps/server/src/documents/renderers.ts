/**
 * The DOCX and PDF renderers, which need the document libraries (docx,
 * pdfkit, fontkit). The export thread (`exportJobs.ts`) loads this module
 * with `import()` on its first DOCX or PDF, never the event loop's thread:
 * the libraries hold about 40 MiB resident (15 MiB of it heap), which a
 * server nobody has asked a file of never needs, and which every garbage
 * collection would otherwise go over; the thread ends when idle.
 */
export { renderBookletDocx } from './bookletDocx.ts'
export { renderBookletPdf } from './bookletPdf.ts'
export { renderDocx } from './docx.ts'
export { renderParallelDocx } from './parallelDocx.ts'
export { renderParallelPdf } from './parallelPdf.ts'
export { renderPdf } from './pdf.ts'
export { renderRecord } from './record.ts'
export { renderRedlineDocx } from './redlineDocx.ts'
export { renderRedlinePdf } from './redlinePdf.ts'
