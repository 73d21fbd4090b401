import type { Language, OutstandingTranslation, TranslationStatus } from '@hemicycle/protocol'
import { bodyOf, type DocumentNode } from '@hemicycle/schema'
import { type AlignedBlock, alignedBlocks, alignVersion, translationStatus } from '@hemicycle/translations'
import type { CollabServer } from '../collab/collabServer.ts'
import { documentName } from '../collab/documentKey.ts'
import type { LiveDocument } from '../collab/liveDocument.ts'
import { SERVER_ORIGIN } from '../collab/origin.ts'
import type { Database } from '../db/database.ts'
import { currentBody } from '../resolutions/documents.ts'
import { type Confirmation, confirmationsOf, listLanguageVersions } from './repository.ts'

/** A block of a version as it stands: beside its source, with its status and last confirmation. */
export interface BlockState extends AlignedBlock {
  status: TranslationStatus
  confirmation: Confirmation | null
}

/** A live version brought into the original's shape (its paragraphs, in its order), as the server's own change. */
export function followOriginal(version: LiveDocument, original: DocumentNode): void {
  version.doc.transact(() => alignVersion(original, bodyOf(version.doc)), SERVER_ORIGIN)
}

export function blockStates(original: DocumentNode, version: DocumentNode, confirmations: ReadonlyMap<string, Confirmation>): BlockState[] {
  return alignedBlocks(original, version).map((block) => {
    const confirmation = confirmations.get(block.sourceId) ?? null
    return { ...block, confirmation, status: translationStatus(block.translation?.runs ?? null, block.sourceRuns, confirmation?.source ?? null, confirmation?.translation ?? null) }
  })
}

type Reader = { db: Database; collab: CollabServer }

/** A version's blocks as they stand now: both texts from memory where open here, otherwise from storage. */
export async function readVersion({ db, collab }: Reader, resolutionId: string, language: Language, original?: DocumentNode): Promise<BlockState[]> {
  const [source, version, confirmations] = await Promise.all([
    original ?? currentBody(db, collab, resolutionId),
    currentBody(db, collab, documentName({ resolutionId, language })),
    confirmationsOf(db, resolutionId, language),
  ])
  return blockStates(source, version, confirmations)
}

/** Every due or missing block of every version of a resolution, in the original's order, language by language. */
export async function outstandingTranslations(reader: Reader, resolutionId: string): Promise<OutstandingTranslation[]> {
  const original = await currentBody(reader.db, reader.collab, resolutionId)
  const out: OutstandingTranslation[] = []
  for (const { language } of await listLanguageVersions(reader.db, resolutionId)) {
    for (const block of await readVersion(reader, resolutionId, language, original)) {
      if (block.status !== 'current') out.push({ language, sourceId: block.sourceId, paragraph: block.paragraph, status: block.status })
    }
  }
  return out
}

export const countStatuses = (blocks: readonly BlockState[]) => ({
  current: blocks.filter((block) => block.status === 'current').length,
  due: blocks.filter((block) => block.status === 'due').length,
  missing: blocks.filter((block) => block.status === 'missing').length,
})
