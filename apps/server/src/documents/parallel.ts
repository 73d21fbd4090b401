import type { DocumentMeta } from '@hemicycle/documents'
import { Language } from '@hemicycle/protocol'
import type { FrozenNumbering } from '@hemicycle/schema'
import { buildParallelModel, type ConfirmedWording, type ParallelModel } from '@hemicycle/translations'
import { documentName } from '../collab/documentKey.ts'
import type { Services } from '../http/env.ts'
import { badRequest } from '../http/errors.ts'
import { numberingAt, type StoredResolution } from '../resolutions/repository.ts'
import { confirmationsOf } from '../translations/repository.ts'
import { bodyFromUpdates, currentUpdates, metaAt, translationOf } from './exportModel.ts'

/**
 * The texts a parallel edition sets side by side: `languages` as given
 * (`fr,en,es`), two or three of the alliance's languages, each the original
 * or a version the resolution has, in the order asked.
 */
export function parseLanguages(languages: string): Language[] {
  const asked = languages.split(',').map((language) => language.trim().toLowerCase())
  const parsed = asked.map((language) => Language.safeParse(language))
  if (parsed.some((result) => !result.success) || new Set(asked).size !== asked.length || asked.length < 2 || asked.length > 3) {
    throw badRequest('invalid_languages', `languages lists two or three different languages of ${Language.options.join(', ')}, separated by commas (fr,en,es).`)
  }
  return parsed.map((result) => result.data!)
}

/**
 * What a parallel edition is made of, as plain data for the export thread:
 * each text as Yjs updates (`currentUpdates`), a column's null for the
 * original itself, and each version's confirmations, which say which of its
 * cells are marked as not current. Reading three texts of 8,000 paragraphs and pairing their
 * blocks held the event loop 0.8–1 s; it is done on the thread (`parallelOf`).
 */
export interface ParallelReading {
  original: Uint8Array[]
  /** The § numbers frozen when amendments opened, while in force (`numberingAt`). */
  numbering: FrozenNumbering | null
  columns: Array<{ meta: DocumentMeta; updates: Uint8Array[] | null; confirmations: ReadonlyMap<string, ConfirmedWording> | null }>
}

export async function readParallel(services: Pick<Services, 'db' | 'collab'>, resolution: StoredResolution, languages: readonly Language[]): Promise<ParallelReading> {
  const original = await currentUpdates(services, resolution.id)
  const columns = []
  for (const language of languages) {
    const translation = await translationOf(services.db, resolution, language)
    const updates = translation ? await currentUpdates(services, documentName({ resolutionId: resolution.id, language })) : null
    const confirmations = translation ? await confirmationsOf(services.db, resolution.id, language) : null
    columns.push({ meta: metaAt(resolution, resolution.stage, translation), updates, confirmations })
  }
  return { original, numbering: numberingAt(resolution, resolution.stage), columns }
}

export function parallelOf({ original, numbering, columns }: ParallelReading): ParallelModel {
  return buildParallelModel(
    bodyFromUpdates(original),
    columns.map(({ meta, updates, confirmations }) => ({ meta, body: updates ? bodyFromUpdates(updates) : null, confirmations })),
    numbering,
  )
}
