import type { OutstandingTranslation, Role, Stage } from '@hemicycle/protocol'
import type { Refusal } from './lifecycle.ts'
import type { ReadOnlyReason } from './rights.ts'

/**
 * Who works on the language versions of a resolution (CONTRACT.md,
 * "Language versions"): the secretariat and translators write them from the
 * draft to consolidation, while the original can still change; nobody once
 * the text is locked. Translators never table or decide amendments (see
 * `speaksForDelegation`): amendments are tabled against the original.
 */
const VERSION_WRITERS: readonly Role[] = ['secretariat', 'translator']
const OPEN_STAGES: readonly Stage[] = ['draft', 'amendments', 'consolidation']

/** Whether the versions still follow the original (and may change): until the lock, which hashes each as it stands. */
export const versionsFollowOriginal = (stage: Stage): boolean => OPEN_STAGES.includes(stage)

export function mayEditVersion(stage: Stage, role: Role): boolean {
  return VERSION_WRITERS.includes(role) && OPEN_STAGES.includes(stage)
}

export function versionReadOnlyReason(stage: Stage, role: Role): ReadOnlyReason | null {
  if (mayEditVersion(stage, role)) return null
  if (role === 'observer') return 'observer'
  return VERSION_WRITERS.includes(role) ? 'stage' : 'role'
}

const refusal = (status: Refusal['status'], code: string, message: string): Refusal => ({ status, code, message })

/** Confirming a block (its translation matches the source as it is now) and titling a version: the version's writers, while they may write. */
export function checkVersionWork(stage: Stage, role: Role): Refusal | null {
  if (!VERSION_WRITERS.includes(role)) return refusal(403, 'forbidden', 'Only translators and the secretariat work on language versions.')
  if (!OPEN_STAGES.includes(stage)) return refusal(409, 'wrong_stage', 'The text is locked: translations no longer change.')
  return null
}

/** The secretariat adds a language version while the text can still change; the lock hashes every version there is. */
export function checkVersionCreation(stage: Stage, role: Role): Refusal | null {
  if (role !== 'secretariat') return refusal(403, 'forbidden', 'Only the secretariat adds a language version.')
  if (!OPEN_STAGES.includes(stage)) return refusal(409, 'wrong_stage', 'The text is locked: no language version can be added any more.')
  return null
}

/**
 * The lock never hashes a version silently while some of its blocks are
 * due or missing: refused, naming them, unless the Steering Committee
 * acknowledges the outstanding translations explicitly.
 */
export function checkTranslationsAtLock(outstanding: readonly OutstandingTranslation[], acknowledged: boolean): Refusal | null {
  if (outstanding.length === 0 || acknowledged) return null
  const byLanguage = new Map<string, number[]>()
  for (const block of outstanding) {
    const paragraphs = byLanguage.get(block.language)
    if (paragraphs) paragraphs.push(block.paragraph)
    else byLanguage.set(block.language, [block.paragraph])
  }
  const list = [...byLanguage].map(([language, paragraphs]) => {
    const cited = [...new Set(paragraphs.filter((n) => n > 0))].map((n) => `§${n}`)
    return `${language} (${paragraphs.length} block${paragraphs.length === 1 ? '' : 's'}${cited.length > 0 ? `: ${cited.join(', ')}` : ''})`
  })
  return refusal(
    409,
    'translations_due',
    `Translations are due or missing in ${list.join('; ')}. Complete and confirm them, or lock with acceptOutstandingTranslations: true to record that they are acknowledged.`,
  )
}
