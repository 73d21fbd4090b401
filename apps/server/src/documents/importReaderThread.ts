import { importedBody, importedState } from '../resolutions/documents.ts'
import { parseDocx } from './docxReading.ts'
import type { ImportJob, ReadImport } from './importReader.ts'
import { importPreview } from './importPreview.ts'
import { answerJobs } from './jobThread.ts'
import { markdownText, parseMarkdownFile } from './markdownImport.ts'
import type { ImportPreview } from '@hemicycle/protocol'

/** The import reading thread (`importReader.ts`): reads the files it is sent, one at a time, and answers each. */
answerJobs(async (job: ImportJob): Promise<ReadImport | ImportPreview> => {
  const { parsed, name, undecided } =
    job.format === 'docx'
      ? await parseDocx(job.bytes, job.fileName, job.trackedChanges ? { trackedChanges: job.trackedChanges } : {}).then((docx) => ({ parsed: docx, name: `"${job.fileName}"`, undecided: docx.undecided }))
      : { parsed: parseMarkdownFile(markdownText(job.bytes, job.fileName)), name: 'The file', undecided: 0 }
  // The preview shows the body the import would store, checked and composed as it would be: a file read otherwise
  // (one nested too deep is cut short by the Markdown reader) or refused by the import never previews as fine.
  if (job.want === 'preview') return importPreview({ frontMatter: parsed.frontMatter, doc: importedBody(parsed, name) }, parsed.warnings, name)
  // A draft whose tracked changes are undecided is refused by the caller with the question: its body is not needed.
  const state = undecided > 0 ? new Uint8Array() : importedState(parsed, name)
  return { frontMatter: parsed.frontMatter, warnings: parsed.warnings, undecided, state }
})
