import { bodyOf, readBody } from '@hemicycle/schema'
import { alignVersion, sourceIdsOf } from '@hemicycle/translations'
import * as Y from 'yjs'
import { answerJobs } from './jobThread.ts'
import type { MadeVersion, VersionJob } from './versionMaker.ts'

/** The language version thread (`versionMaker.ts`): one empty block per block of the original, same structure, each linked to its source. */
answerJobs(
  (job: VersionJob): MadeVersion => {
    const source = new Y.Doc()
    for (const update of job.updates) Y.applyUpdate(source, update)
    const original = readBody(source)
    source.destroy()
    const doc = new Y.Doc()
    doc.transact(() => alignVersion(original, bodyOf(doc)))
    const state = Y.encodeStateAsUpdate(doc)
    doc.destroy()
    return { state, sourceIds: sourceIdsOf(original) }
  },
  (made) => [made.state.buffer as ArrayBuffer],
)
