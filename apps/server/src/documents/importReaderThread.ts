import { parentPort } from 'node:worker_threads'
import { ApiError } from '../http/errors.ts'
import { parseDocx } from './docxReading.ts'
import { importPreview } from './importPreview.ts'
import type { WordAnswer, WordJob } from './wordReader.ts'

/** The Word reading thread (`wordReader.ts`): reads the files it is sent, one at a time, and answers each. */
const port = parentPort!

port.on('message', (job: WordJob) => {
  void answer(job).then((reply) => port.postMessage(reply))
})

async function answer({ bytes, fileName, trackedChanges, preview }: WordJob): Promise<WordAnswer> {
  try {
    const parsed = await parseDocx(bytes, fileName, trackedChanges ? { trackedChanges } : {})
    if (preview) return { preview: importPreview(parsed, parsed.warnings, `"${fileName}"`) }
    return { parsed: { ...parsed, doc: parsed.doc.toJSON() } }
  } catch (error) {
    if (error instanceof ApiError) return { refusal: { status: error.status, code: error.code, message: error.message, details: error.details } }
    return { failure: error instanceof Error ? error.message : String(error) }
  }
}
