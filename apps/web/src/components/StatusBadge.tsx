import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { useStore } from 'zustand'
import { connectionStatus, hasUnsavedChanges } from '../editor/connectionStatus.ts'
import type { CollabSession } from '../editor/collabSession.ts'

/** Online, offline, syncing or saved, announced politely to screen readers; warns before leaving with unsaved changes. */
export function StatusBadge({ session }: { session: CollabSession }) {
  const { t } = useTranslation()
  const facts = useStore(session.facts)
  const status = connectionStatus(facts)
  const unsaved = hasUnsavedChanges(facts)

  useEffect(() => {
    if (!unsaved) return
    const warn = (event: BeforeUnloadEvent) => event.preventDefault()
    window.addEventListener('beforeunload', warn)
    return () => window.removeEventListener('beforeunload', warn)
  }, [unsaved])

  return (
    <p className={`status status-${status}`} role="status" aria-live="polite" data-status={status}>
      <span className="status-dot" aria-hidden="true" />
      <span className="visually-hidden">{t('status.label')}: </span>
      {t(`status.${status}`)}
    </p>
  )
}
