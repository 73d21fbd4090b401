import { bodyOf, readBody } from '@hemicycle/schema'
import { alignVersion, sourceIdsOf } from '@hemicycle/translations'
import * as Y from 'yjs'
import { replayedAtOnce } from '../collab/slicedApply.ts'
import { answerJobs } from './jobThread.ts'
import type { MadeVersion, VersionJob } from './versionMaker.ts'

/** The language version thread (`versionMaker.ts`): one empty block per block of the original, same structure, each linked to its source. */
answerJobs(
  (job: VersionJob): MadeVersion => {
    // The original's stored rows, replayed in an order that walks little (`replayedAtOnce`).
    const source = replayedAtOnce(job.updates)
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
