import type { Run } from '@hemicycle/amendments'
import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'

/**
 * A paragraph's words this tab typed and the server never stored (refused,
 * or closed for good): said, shown to copy — the text on the page is the
 * server's again — and dismissed by hand; or a paragraph this tab deleted
 * that is back, with the words it is back with. `children`: what else the
 * page offers (the original's editor: a draft amendment).
 */
export function UnsavedNotice({
  message,
  wording,
  onDismiss,
  dismissLabel,
  children,
}: {
  message: string
  wording: readonly Run[]
  onDismiss: () => void
  /** What dismissing means here; "discard them" (the words) unless said. */
  dismissLabel?: string
  children?: ReactNode
}) {
  const { t } = useTranslation()
  return (
    <div className="unsaved-notice" role="alert" data-testid="unsaved">
      <p>{message}</p>
      <blockquote data-testid="unsaved-words">{wording.map((run) => run.text).join('')}</blockquote>
      {children}
      <button type="button" onClick={onDismiss}>
        {dismissLabel ?? t('amendments.dismiss')}
      </button>
    </div>
  )
}
