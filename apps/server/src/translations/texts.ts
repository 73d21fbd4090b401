import type { Language, OutstandingTranslation, TranslationStatus } from '@hemicycle/protocol'
import { bodyOf, type DocumentNode, type FrozenNumbering, numberBlocks } from '@hemicycle/schema'
import type { Run } from '@hemicycle/amendments'
import { hash } from 'node:crypto'
import { type AlignedBlock, alignedBlocks, alignedStatus, alignVersion, canonicalKey } from '@hemicycle/translations'
import type { CollabServer } from '../collab/collabServer.ts'
import { documentName } from '../collab/documentKey.ts'
import type { LiveDocument } from '../collab/liveDocument.ts'
import { SERVER_ORIGIN } from '../collab/origin.ts'
import type { Database } from '../db/database.ts'
import { currentBody } from '../resolutions/documents.ts'
import { type Confirmation, confirmationsOf, listLanguageVersions } from './repository.ts'

/** A block's status, all that is announced and counted of it. */
export type BlockStatus = Pick<BlockState, 'sourceId' | 'status'>

/** A block of a version as it stands: beside its source, with its status and last confirmation. */
export interface BlockState extends AlignedBlock {
  status: TranslationStatus
  confirmation: Confirmation | null
}

/** A live version brought into the original's shape (its paragraphs, in its order), as the server's own change; whether it changed anything. */
export function followOriginal(version: LiveDocument, original: DocumentNode): boolean {
  return version.doc.transact(() => alignVersion(original, bodyOf(version.doc)), SERVER_ORIGIN)
}

/**
 * `wordingDigest` of a block's runs (the same SHA-256 of the same UTF-8,
 * by Node's own hash, many times faster than the browser's), computed once
 * per runs: the runs of a body's blocks are read once per body
 * (`alignedBlocks`) and never changed, and a version's page digests both
 * wordings of every block on every read.
 */
const digests = new WeakMap<readonly Run[], string>()

export function digestOfRuns(runs: readonly Run[]): string {
  let digest = digests.get(runs)
  if (digest === undefined) digests.set(runs, (digest = hash('sha256', canonicalKey(runs))))
  return digest
}

const counts = new WeakMap<DocumentNode, number>()

/** How many blocks of a body have an id: the original's count of current blocks in the list of languages. */
export function identifiedBlocks(body: DocumentNode): number {
  let count = counts.get(body)
  if (count === undefined) counts.set(body, (count = numberBlocks(body).filter((block) => block.blockId !== null).length))
  return count
}

/** `numbering`: the original's § numbers frozen when amendments opened, while in force (`numberingAt`). */
export function blockStates(original: DocumentNode, version: DocumentNode, confirmations: ReadonlyMap<string, Confirmation>, numbering: FrozenNumbering | null = null): BlockState[] {
  return alignedBlocks(original, version, numbering).map((block) => {
    const confirmation = confirmations.get(block.sourceId) ?? null
    return { ...block, confirmation, status: alignedStatus(block, confirmation) }
  })
}

type Reader = { db: Database; collab: CollabServer }

/** A version's blocks as they stand now: both texts from memory where open here, otherwise from storage. */
export async function readVersion({ db, collab }: Reader, resolutionId: string, language: Language, original?: DocumentNode, numbering: FrozenNumbering | null = null): Promise<BlockState[]> {
  const [source, version, confirmations] = await Promise.all([
    original ?? currentBody(db, collab, resolutionId),
    currentBody(db, collab, documentName({ resolutionId, language })),
    confirmationsOf(db, resolutionId, language),
  ])
  return blockStates(source, version, confirmations, numbering)
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

export const countStatuses = (blocks: readonly BlockStatus[]) => ({
  current: blocks.filter((block) => block.status === 'current').length,
  due: blocks.filter((block) => block.status === 'due').length,
  missing: blocks.filter((block) => block.status === 'missing').length,
})
