import { Language } from '@hemicycle/protocol'

/**
 * Which of a resolution's documents: the original (the text amendments are
 * tabled against) or one of its language versions. Its name is the
 * y-websocket room: the resolution's id for the original (as it always
 * was), `<resolutionId>/<language>` for a version. In storage the pair is
 * (`resolution_id`, `document`), `document` being `original` or the
 * language, so every row stored before versions existed reads as the
 * original's.
 */
export interface DocumentKey {
  resolutionId: string
  /** null: the original. */
  language: Language | null
}

export const ORIGINAL = 'original'

export function documentName({ resolutionId, language }: DocumentKey): string {
  return language === null ? resolutionId : `${resolutionId}/${language}`
}

/** The key a room name stands for; a name whose suffix is not a language names an original that does not exist. */
export function documentKey(name: string): DocumentKey {
  const slash = name.lastIndexOf('/')
  if (slash < 0) return { resolutionId: name, language: null }
  const language = Language.safeParse(name.slice(slash + 1))
  return language.success ? { resolutionId: name.slice(0, slash), language: language.data } : { resolutionId: name, language: null }
}

/** The `document` column of a key's rows. */
export const storedDocument = (key: DocumentKey): string => key.language ?? ORIGINAL
