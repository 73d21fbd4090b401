import { buildDocumentModel, type DocumentMeta, VOCABULARY } from '@hemicycle/documents'
import { type FrontMatter, type MarkdownRule, serializeResolutionMarkdown } from '@hemicycle/schema'
import type { StoredResolution } from '../resolutions/repository.ts'
import { conflict } from '../http/errors.ts'
import { textHash } from '../resolutions/documents.ts'
import { bookletOf, type BookletReading } from './booklet.ts'
import { bodyFromUpdates, pendingOf, type StatusSource, type Translation } from './exportModel.ts'
import { renderHtml } from './html.ts'
import { parallelOf, type ParallelReading } from './parallel.ts'
import { renderParallelHtml } from './parallelHtml.ts'
import type { RecordFacts } from './record.ts'
import { computeRedlineSources, type RedlineReading } from './redline.ts'

/**
 * An export as plain data, once everything it needs has been read from the
 * database, and its production: the computation and layout that took
 * seconds for a long text. The routes send these jobs to the export thread
 * (`exportWriter.ts`); `produceExport` is what that thread runs, and runs the
 * same in-process (tests compare the two).
 *
 * A text travels as the Yjs updates it is read from (`textSourceAt`): reading
 * the text out of them, for 8,000 paragraphs, held the event loop a few
 * hundred milliseconds more. So do the texts of a parallel edition and of
 * a booklet's `beside`, and the booklet's diffs are made here too.
 */
export type ExportJob =
  | { kind: 'markdown'; updates: Uint8Array[]; original?: Uint8Array[] | null; frontMatter: FrontMatter; rule: MarkdownRule | null | undefined }
  | { kind: 'resolution'; format: 'html' | 'docx' | 'pdf' | 'json'; updates: Uint8Array[]; original?: Uint8Array[] | null; statuses: StatusSource | null; meta: DocumentMeta; lineNumbers: boolean; frontMatter: FrontMatter }
  | { kind: 'booklet'; format: 'docx' | 'pdf'; reading: BookletReading }
  | { kind: 'parallel'; format: 'html' | 'docx' | 'pdf'; reading: ParallelReading }
  | { kind: 'record'; resolution: StoredResolution; updates: Uint8Array[]; facts: RecordFacts; lineNumbers: boolean; translation: Translation | null; statuses: StatusSource | null }
  | { kind: 'redline'; format: 'docx' | 'pdf' | 'json'; reading: RedlineReading }

/** What an export produces: a file's bytes, or the text of a Markdown file, an HTML page, the print view's or the redline's JSON. */
export type ExportOutput = Uint8Array | string

/** The DOCX and PDF renderers, loaded on the first such export (`renderers.ts` says why). */
const renderers = () => import('./renderers.ts')

export async function produceExport(job: ExportJob): Promise<ExportOutput> {
  switch (job.kind) {
    case 'markdown':
      return serializeResolutionMarkdown(job.frontMatter, bodyFromUpdates(job.updates, job.original), job.rule)
    case 'resolution': {
      const body = bodyFromUpdates(job.updates, job.original)
      const model = buildDocumentModel(body, job.meta, pendingOf(body, job.statuses))
      const { lineNumbers } = job
      if (job.format === 'json') return JSON.stringify(model)
      if (job.format === 'html') return renderHtml(model, { lineNumbers })
      const { renderDocx, renderPdf } = await renderers()
      return job.format === 'docx' ? renderDocx(model, { lineNumbers, frontMatter: job.frontMatter }) : renderPdf(model, { lineNumbers })
    }
    case 'booklet': {
      const booklet = bookletOf(job.reading)
      const { renderBookletDocx, renderBookletPdf } = await renderers()
      return job.format === 'docx' ? renderBookletDocx(booklet) : renderBookletPdf(booklet)
    }
    case 'parallel': {
      const model = parallelOf(job.reading)
      if (job.format === 'html') return renderParallelHtml(model)
      const { renderParallelDocx, renderParallelPdf } = await renderers()
      return job.format === 'docx' ? renderParallelDocx(model) : renderParallelPdf(model)
    }
    case 'record': {
      const body = bodyFromUpdates(job.updates)
      // The record vouches for the text only if it still has the hash recorded at the lock.
      if (textHash(body, job.resolution.hashRule) !== job.facts.sha256) throw conflict('text_changed', 'The stored text no longer has the hash recorded at the lock: no record can vouch for it.')
      const { renderRecord } = await renderers()
      return renderRecord(job.resolution, body, job.facts, { lineNumbers: job.lineNumbers, translation: job.translation, pending: pendingOf(body, job.statuses) })
    }
    case 'redline': {
      const { model, date } = computeRedlineSources(job.reading)
      if (job.format === 'json') return JSON.stringify(redlineJson(model))
      const { renderRedlineDocx, renderRedlinePdf } = await renderers()
      return job.format === 'docx' ? renderRedlineDocx(model, date) : renderRedlinePdf(model)
    }
  }
}

/** The redline for display (`GET …/redline.json`): each run with its authors' names and its date. */
function redlineJson(model: ReturnType<typeof computeRedlineSources>['model']) {
  const unattributed = VOCABULARY[model.language].unattributed
  return {
    from: model.from,
    to: model.to,
    blocks: model.blocks.map((block) => ({
      status: block.status,
      kind: block.kind,
      number: block.number,
      marker: block.marker,
      depth: block.depth,
      runs: block.runs.map((run) => ({
        text: run.text,
        ...(run.bold ? { bold: true } : {}),
        ...(run.italic ? { italic: true } : {}),
        change: run.change,
        authors: run.authors.map((key) => model.authors.get(key) ?? unattributed),
        exact: run.exact,
        at: run.at,
      })),
    })),
  }
}
