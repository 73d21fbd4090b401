import { parentPort } from 'node:worker_threads'
import { ApiError } from '../http/errors.ts'
import { importedBody, importedState } from '../resolutions/documents.ts'
import { parseDocx } from './docxReading.ts'
import type { ImportAnswer, ImportJob } from './importReader.ts'
import { importPreview } from './importPreview.ts'
import { markdownText, parseMarkdownFile } from './markdownImport.ts'

/** The import reading thread (`importReader.ts`): reads the files it is sent, one at a time, and answers each. */
const port = parentPort!

port.on('message', (job: ImportJob) => {
  void answer(job).then((reply) => port.postMessage(reply))
})

async function answer(job: ImportJob): Promise<ImportAnswer> {
  try {
    const { parsed, name, undecided } =
      job.format === 'docx'
        ? await parseDocx(job.bytes, job.fileName, job.trackedChanges ? { trackedChanges: job.trackedChanges } : {}).then((docx) => ({ parsed: docx, name: `"${job.fileName}"`, undecided: docx.undecided }))
        : { parsed: parseMarkdownFile(markdownText(job.bytes, job.fileName)), name: 'The file', undecided: 0 }
    // The preview shows the body the import would store, checked and composed as it would be: a file read otherwise
    // (one nested too deep is cut short by the Markdown reader) or refused by the import never previews as fine.
    if (job.want === 'preview') return { preview: importPreview({ frontMatter: parsed.frontMatter, doc: importedBody(parsed, name) }, parsed.warnings, name) }
    // A draft whose tracked changes are undecided is refused by the caller with the question: its body is not needed.
    const state = undecided > 0 ? new Uint8Array() : importedState(parsed, name)
    return { read: { frontMatter: parsed.frontMatter, warnings: parsed.warnings, undecided, state } }
  } catch (error) {
    if (error instanceof ApiError) return { refusal: { status: error.status, code: error.code, message: error.message, details: error.details } }
    return { failure: error instanceof Error ? error.message : String(error) }
  }
}
