import type { Person, Resolution } from '@hemicycle/protocol'
import { readOnlyReason } from '@hemicycle/rules'
import { useEffect, useState, useSyncExternalStore } from 'react'
import { useTranslation } from 'react-i18next'
import { useStore } from 'zustand'
import { createStore } from 'zustand/vanilla'
import { endpoints } from '../api/endpoints.ts'
import { LiveResolution } from '../editor/liveResolution.ts'
import { initialFacts } from '../editor/connectionStatus.ts'
import { hrefOf, useRouter } from '../stores/router.ts'
import { DraftHeader } from './DraftHeader.tsx'
import { PresenceList } from './PresenceList.tsx'
import { ResolutionEditor } from './ResolutionEditor.tsx'
import { StatusBadge } from './StatusBadge.tsx'

type Load = { state: 'loading' } | { state: 'missing' } | { state: 'ready'; resolution: Resolution }

export function EditorPage({ id, me }: { id: string; me: Person }) {
  const { t } = useTranslation()
  const navigate = useRouter((state) => state.navigate)
  const [load, setLoad] = useState<Load>({ state: 'loading' })
  const [live] = useState(() => new LiveResolution(id))
  const { session, refusal } = useSyncExternalStore(live.subscribe, live.getSnapshot)

  useEffect(() => {
    const controller = new AbortController()
    endpoints.resolution(id, controller.signal).then(
      (resolution) => setLoad({ state: 'ready', resolution }),
      (error: unknown) => {
        if ((error as Error).name !== 'AbortError') setLoad({ state: 'missing' })
      },
    )
    return () => controller.abort()
  }, [id])

  const expectedReadOnly = load.state === 'ready' ? readOnlyReason(load.resolution.stage, me.role) : null
  useEffect(() => live.setMayWrite(load.state === 'ready' && expectedReadOnly === null), [live, load.state, expectedReadOnly])
  const loaded = useStore(session?.facts ?? emptyFacts, (facts) => facts.loaded)

  if (load.state === 'loading') return <main id="main" aria-busy="true">{t('app.loading')}</main>
  if (load.state === 'missing') {
    return (
      <main id="main">
        <p role="alert">{t('editor.notFound')}</p>
        <BackLink onNavigate={() => navigate({ page: 'resolutions' })} />
      </main>
    )
  }

  const { resolution } = load
  const readOnly = expectedReadOnly ?? (refusal ? 'denied' : null)
  return (
    <main id="main" className="editor-page">
      <BackLink onNavigate={() => navigate({ page: 'resolutions' })} />
      <div className="editor-layout">
        <article className="paper" aria-labelledby="draft-title">
          <DraftHeader resolution={resolution} />
          {readOnly && (
            <p className="read-only-notice" role="note" data-testid="read-only">
              {readOnly === 'denied' ? t('editor.readOnly.denied', { reason: refusal }) : t(`editor.readOnly.${readOnly}`)}
            </p>
          )}
          {session && loaded ? (
            <ResolutionEditor session={session} me={me} editable={readOnly === null} language={resolution.language} />
          ) : (
            <p aria-busy="true">{t('app.loading')}</p>
          )}
        </article>
        {session && (
          <aside className="side">
            <StatusBadge session={session} />
            <PresenceList provider={session.provider} me={me} />
          </aside>
        )}
      </div>
    </main>
  )
}

function BackLink({ onNavigate }: { onNavigate: () => void }) {
  const { t } = useTranslation()
  return (
    <nav className="breadcrumb" aria-label={t('nav.resolutions')}>
      <a
        href={hrefOf({ page: 'resolutions' })}
        onClick={(event) => {
          event.preventDefault()
          onNavigate()
        }}
      >
        ← {t('editor.back')}
      </a>
    </nav>
  )
}

/** Stands in for a session's facts in the render before the session exists. */
const emptyFacts = createStore(() => initialFacts)
