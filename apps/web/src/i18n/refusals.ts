import type { TFunction } from 'i18next'
import { HttpError } from '../api/http.ts'

/**
 * What a refusal says, in the interface's language, keyed by the server's
 * stable error code. The server's own message is English and is never shown:
 * a code the interface does not know is named as a code.
 */
export function refusalText(failure: unknown, t: TFunction): string {
  if (!(failure instanceof HttpError)) return t('errors.unexpected')
  const known = t(`errors.${failure.code}`, { defaultValue: '' })
  return known || t('errors.unknown', { code: failure.code === 'error' ? String(failure.status) : failure.code })
}
