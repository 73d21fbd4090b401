import { Language } from '@hemicycle/protocol'
import { buildParallelModel, type ParallelModel } from '@hemicycle/translations'
import { documentName } from '../collab/documentKey.ts'
import type { Services } from '../http/env.ts'
import { badRequest } from '../http/errors.ts'
import { currentBody } from '../resolutions/documents.ts'
import type { StoredResolution } from '../resolutions/repository.ts'
import { metaAt, translationOf } from './exportModel.ts'

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

export async function loadParallel(services: Pick<Services, 'db' | 'collab'>, resolution: StoredResolution, languages: readonly Language[]): Promise<ParallelModel> {
  const original = await currentBody(services.db, services.collab, resolution.id)
  const texts = []
  for (const language of languages) {
    const translation = await translationOf(services.db, resolution, language)
    const body = translation ? await currentBody(services.db, services.collab, documentName({ resolutionId: resolution.id, language })) : null
    texts.push({ meta: metaAt(resolution, resolution.stage, translation), body })
  }
  return buildParallelModel(original, texts)
}
