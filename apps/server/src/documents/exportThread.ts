import { produceExport } from './exportJobs.ts'
import { answerJobs } from './jobThread.ts'

/** The export thread (`exportWriter.ts`): produces the exports it is sent, one at a time, and moves each file's bytes back (a file sharing its memory with others is copied). */
answerJobs(produceExport, (output) =>
  typeof output !== 'string' && output.byteOffset === 0 && output.byteLength === output.buffer.byteLength ? [output.buffer as ArrayBuffer] : [],
)
