import type { ImportWarning, Person } from '@hemicycle/protocol'
import type { Database } from '../db/database.ts'
import { unprocessable } from '../http/errors.ts'
import { type Heading, storeImportedResolution } from '../resolutions/documents.ts'
import type { StoredResolution } from '../resolutions/repository.ts'
import type { TrackedChanges } from './docxInspection.ts'
import { clientGone, readImport } from './importReader.ts'

/** The refusal of a draft with pending tracked changes and no decision: the question, with what they are. */
function pendingChanges(fileName: string, parsed: { warnings: ImportWarning[] }) {
  return unprocessable('tracked_changes', `"${fileName}" holds ${parsed.warnings.find((warning) => warning.code === 'tracked_changes')?.message ?? 'pending tracked changes'}`)
}

/**
 * Creates a draft resolution from a .docx, as from Markdown, and says what
 * the file held that the text could not; the file is read on the import
 * reading thread. Pending tracked changes are never
 * decided silently: without `trackedChanges`, such a file is refused with
 * the question.
 */
export async function importDocx(
  db: Database,
  bytes: Uint8Array,
  fileName: string,
  { by, now, trackedChanges, heading = {}, signal }: { by: Person | null; now: Date; trackedChanges?: TrackedChanges; heading?: Heading; signal?: AbortSignal },
): Promise<{ resolution: StoredResolution; warnings: ImportWarning[] }> {
  const read = await readImport({ format: 'docx', bytes, fileName, ...(trackedChanges ? { trackedChanges } : {}) }, signal)
  if (read.undecided > 0) throw pendingChanges(fileName, read)
  // Its client gone while it was read: created, the draft would be one nobody was told of, made again by the retry.
  if (signal?.aborted) throw clientGone(fileName)
  return { resolution: await storeImportedResolution(db, read, { by, now, format: 'docx', name: `"${fileName}"`, heading }), warnings: read.warnings }
}
