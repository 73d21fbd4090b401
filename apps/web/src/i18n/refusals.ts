import { OutstandingTranslation } from '@hemicycle/protocol'
import type { TFunction } from 'i18next'
import { z } from 'zod'
import { HttpError } from '../api/http.ts'
import type { Refusal } from '../editor/liveResolution.ts'

/** "Spanish (15 blocks: §1, §2, …)" for each version with due or missing blocks. */
function outstandingTranslations(detail: unknown, t: TFunction): string | null {
  const parsed = z.array(OutstandingTranslation).safeParse(detail)
  if (!parsed.success || parsed.data.length === 0) return null
  const byLanguage = new Map<string, number[]>()
  for (const block of parsed.data) byLanguage.set(block.language, [...(byLanguage.get(block.language) ?? []), block.paragraph])
  return [...byLanguage]
    .map(([language, paragraphs]) => {
      const cited = [...new Set(paragraphs.filter((paragraph) => paragraph > 0))].map((paragraph) => `§${paragraph}`).join(', ')
      return t('errors.outstandingIn', { language: t(`translations.languageName.${language}`), count: paragraphs.length, cited })
    })
    .join('; ')
}

/**
 * What a refusal says, in the interface's language, keyed by the server's
 * stable error code. The server's own message is English and is never shown:
 * a code the interface does not know is named as a code.
 */
export function refusalText(failure: unknown, t: TFunction): string {
  if (!(failure instanceof HttpError)) return t('errors.unexpected')
  if (failure.code === 'translations_due') {
    const list = outstandingTranslations(failure.detail['outstanding'], t)
    if (list) return t('errors.translations_dueIn', { list })
  }
  const known = t(`errors.${failure.code}`, { defaultValue: '' })
  return known || t('errors.unknown', { code: failure.code === 'error' ? String(failure.status) : failure.code })
}

/** Why a closed vote changed nothing (`Vote.notApplied`), in the words of its refusal code. */
export function notAppliedText(code: string, t: TFunction): string {
  return t('votes.notApplied', { reason: t(`errors.${code}`, { defaultValue: '' }) || t('errors.unknown', { code }) })
}

/**
 * Why a live text no longer takes this tab's writing, worded by the
 * refusal's code in the page's own notices (`editor.readOnly.*` for the
 * original, `translations.readOnly.*` for a language version) and saying
 * that typed changes were refused only when some were.
 */
export function writeRefusalText(refusal: Refusal, t: TFunction, notices: 'editor' | 'translations'): string {
  const why = t(`${notices}.readOnly.${refusal.code}`, { defaultValue: '' }) || t('errors.unknown', { code: refusal.code })
  return refusal.changesRefused ? t('editor.changesRefused', { why }) : why
}
