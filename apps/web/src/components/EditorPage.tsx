import type { Run } from '@hemicycle/amendments'
import type { Person, Resolution } from '@hemicycle/protocol'
import { checkAmendmentAction, readOnlyReason } from '@hemicycle/rules'
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react'
import { useTranslation } from 'react-i18next'
import { useStore } from 'zustand'
import { createStore } from 'zustand/vanilla'
import { afterSessionEnded, initialFacts } from '../editor/connectionStatus.ts'
import { LiveResolution, type Refusal } from '../editor/liveResolution.ts'
import type { Room } from '../editor/room.ts'
import { useRoom } from '../editor/useRoom.ts'
import { unsavedNoticeKey } from '../editor/unsavedNotice.ts'
import { writeRefusalText } from '../i18n/refusals.ts'
import { useRouter } from '../stores/router.ts'
import { useSession } from '../stores/session.ts'
import { useNumbering } from '../api/useNumbering.ts'
import { amendmentTarget } from './amendments/amendmentTarget.ts'
import { AmendmentsPanel } from './amendments/AmendmentsPanel.tsx'
import { type AmendmentTarget, ProposeAmendment } from './amendments/ProposeAmendment.tsx'
import { DraftHeader } from './DraftHeader.tsx'
import { PresenceList } from './PresenceList.tsx'
import { ResolutionEditor } from './ResolutionEditor.tsx'
import { StagePanel } from './StagePanel.tsx'
import { StatusBadge } from './StatusBadge.tsx'
import { UnsavedNotice } from './UnsavedNotice.tsx'
import { LanguageVersions } from './translations/LanguageVersions.tsx'
import { VersionsPanel } from './VersionsPanel.tsx'
import { useNowAround } from './useNowAround.ts'
import { AppLink } from './AppLink.tsx'

/** Stands in for a session's facts in the render before the session exists. */
const emptyFacts = createStore(() => initialFacts)

export function EditorPage({ id, me }: { id: string; me: Person }) {
  const { t } = useTranslation()
  const navigate = useRouter((state) => state.navigate)
  const load = useRoom(id)
  const [live] = useState(() => new LiveResolution(id))
  const { session, refusal, unsaved, unsavedBecause, unsavedDeletions, unsavedRemoved } = useSyncExternalStore(live.subscribe, live.getSnapshot)

  if (load.state === 'loading') return <main id="main" aria-busy="true">{t('app.loading')}</main>
  if (load.state === 'missing') {
    return (
      <main id="main">
        <p role="alert">{t('editor.notFound')}</p>
        <BackLink onNavigate={() => navigate({ page: 'resolutions' })} />
      </main>
    )
  }
  return <Workspace room={load.room} live={live} session={session} refusal={refusal} unsaved={unsaved} unsavedBecause={unsavedBecause} unsavedDeletions={unsavedDeletions} unsavedRemoved={unsavedRemoved} me={me} />
}

interface WorkspaceProps {
  room: Room
  live: LiveResolution
  session: ReturnType<LiveResolution['getSnapshot']>['session']
  refusal: Refusal | null
  unsaved: ReadonlyMap<string, Run[]>
  unsavedBecause: 'rights' | 'refused' | 'lost'
  unsavedDeletions: ReadonlyMap<string, Run[]>
  unsavedRemoved: ReadonlyMap<string, string>
  me: Person
}

function Workspace({ room, live, session, refusal, unsaved, unsavedBecause, unsavedDeletions, unsavedRemoved, me }: WorkspaceProps) {
  const { t } = useTranslation()
  const navigate = useRouter((state) => state.navigate)
  const resolution: Resolution = useStore(room.store, (state) => state.resolution)
  const amendments = useStore(room.store, (state) => state.amendments)
  const saving = useStore(room.store, (state) => state.saving)
  const loaded = useStore(session?.facts ?? emptyFacts, (facts) => facts.loaded)
  const sessionEnded = useStore(session?.facts ?? emptyFacts, afterSessionEnded)
  useEffect(() => {
    // The server says who is logged in now: nobody, so the login page replaces the editor.
    if (sessionEnded === 'login') void useSession.getState().restore()
  }, [sessionEnded])
  const [target, setTarget] = useState<AmendmentTarget | null>(null)

  const expectedReadOnly = readOnlyReason(resolution.stage, me.role)
  useEffect(() => live.setMayWrite(expectedReadOnly === null), [live, expectedReadOnly])
  const readOnly = expectedReadOnly ?? (refusal ? 'refused' : null)
  // Typing into the text once it turned read-only: why is said where the person is looking, and read out, not only in the
  // notice at the top of the text, which may be pages above.
  const readOnlyText = readOnly ? (expectedReadOnly ? t(`editor.readOnly.${expectedReadOnly}`) : refusal && writeRefusalText(refusal, t, 'editor')) : null
  const [typedWhile, setTypedWhile] = useState<string | null>(null)
  const onTypedWhileReadOnly = useCallback(() => setTypedWhile(readOnly), [readOnly])
  const typedWhileReadOnly = readOnly !== null && typedWhile === readOnly
  const textFocused = useRef(false)
  const deadline = resolution.deadline ? new Date(resolution.deadline) : null
  // Read again as time passes: the ✎ buttons go when the deadline does, not at the next reload.
  const now = useNowAround(resolution.deadline)
  const canAmend = checkAmendmentAction('table', me, { stage: resolution.stage, deadline, now }) === null

  const numbering = useNumbering(resolution.id, resolution.stage)
  const blockText = useCallback(
    (blockId: string, draft?: Run[]): AmendmentTarget | null => (session ? amendmentTarget(session.doc, blockId, t, numbering, draft) : null),
    [session, t, numbering],
  )

  const onAmend = useCallback((blockId: string) => setTarget(blockText(blockId)), [blockText])
  const [shownBlock, setShownBlock] = useState<string | null>(null)
  const [suggesting, setSuggesting] = useState(false)
  const onShowAmendments = useCallback((blockId: string) => setShownBlock(blockId), [])
  const counts = useMemo(() => {
    const byBlock = new Map<string, number>()
    for (const amendment of amendments) if (amendment.blockId) byBlock.set(amendment.blockId, (byBlock.get(amendment.blockId) ?? 0) + 1)
    return byBlock
  }, [amendments])

  return (
    <main id="main" className="editor-page">
      <div className="page-links">
        <BackLink onNavigate={() => navigate({ page: 'resolutions' })} />
        {(['text', 'booklet'] as const).map((what) => (
          <AppLink key={what} to={{ page: 'print', id: resolution.id, what }}>
            {t(what === 'text' ? 'print.printView' : 'print.booklet')}
          </AppLink>
        ))}
        {(me.role === 'chair' || me.role === 'secretariat') && (
          <AppLink to={{ page: 'desk', id: resolution.id }}>
            {t('desk.open')}
          </AppLink>
        )}
        {me.role === 'secretariat' && (
          <AppLink to={{ page: 'audit', id: resolution.id }}>
            {t('auditLog.link')}
          </AppLink>
        )}
      </div>
      <div className="editor-layout">
        <article className="paper" aria-labelledby="draft-title">
          <DraftHeader resolution={resolution} />
          {readOnly && (
            <p className="read-only-notice" role="note" data-testid="read-only">
              {readOnlyText}
            </p>
          )}
          {readOnly && typedWhileReadOnly && (
            <p className="read-only-notice typed-while-read-only" role="alert" data-testid="typed-while-read-only">
              {readOnlyText}
            </p>
          )}
          {sessionEnded === 'stay' && (
            <p className="saving-notice" role="alert" data-testid="session-ended">
              {t('editor.sessionEndedUnsaved')}
            </p>
          )}
          {saving === 'delayed' && (
            <p className="saving-notice" role="alert">
              {t('status.savingDelayed')}
            </p>
          )}
          {[...unsaved].map(([blockId, wording]) => {
            // Null for a paragraph the server never had (a new one): its words are still shown, to copy.
            const draft = blockText(blockId, wording)
            return (
              <UnsavedNotice
                key={blockId}
                message={draft ? t(unsavedNoticeKey('paragraph', unsavedBecause), { citation: draft.citation }) : t(unsavedNoticeKey('newParagraph', unsavedBecause))}
                wording={wording}
                onDismiss={() => live.dismissUnsaved(blockId)}
              >
                {draft && canAmend && (
                  <button type="button" onClick={() => setTarget(draft)}>
                    {t('amendments.offerAsAmendment')}
                  </button>
                )}
              </UnsavedNotice>
            )
          })}
          {[...unsavedDeletions].map(([blockId, wording]) => {
            const back = blockText(blockId)
            return (
              <UnsavedNotice
                key={`deleted-${blockId}`}
                message={t(unsavedNoticeKey('deletion', unsavedBecause), { citation: back?.citation ?? '' })}
                wording={wording}
                onDismiss={() => live.dismissUnsaved(blockId)}
                dismissLabel={t('amendments.leaveInText')}
              >
                {back && canAmend && (
                  <button type="button" onClick={() => setTarget({ ...back, kind: 'delete' })}>
                    {t('amendments.offerDeletion')}
                  </button>
                )}
              </UnsavedNotice>
            )
          })}
          {[...unsavedRemoved].map(([blockId, words]) => (
            <UnsavedNotice key={`removed-${blockId}`} message={t('amendments.unsavedRemoved')} wording={[{ text: words }]} onDismiss={() => live.dismissUnsaved(blockId)} />
          ))}
          {amendments.some((amendment) => amendment.status === 'tabled') && (
            <label className="suggestions-toggle">
              <input type="checkbox" checked={suggesting} onChange={(event) => setSuggesting(event.target.checked)} />
              {t('desk.showSuggestions')}
            </label>
          )}
          {session && loaded ? (
            <ResolutionEditor
              session={session}
              me={me}
              editable={readOnly === null}
              language={resolution.language}
              margin={{ counts, canAmend, onAmend, onShowAmendments, numbering }}
              suggestions={{ show: suggesting, amendments }}
              onTypedWhileReadOnly={onTypedWhileReadOnly}
              focusMemory={textFocused}
            />
          ) : (
            <p aria-busy="true">{t('app.loading')}</p>
          )}
        </article>
        <aside className="side">
          {session && <StatusBadge session={session} />}
          <StagePanel room={room} me={me} />
          {target && (
            <ProposeAmendment
              key={`${target.blockId}:${target.kind ?? ''}:${JSON.stringify(target.initial)}`}
              target={target}
              room={room}
              me={me}
              lang={resolution.language}
              onClose={() => {
                live.dismissUnsaved(target.blockId)
                setTarget(null)
              }}
            />
          )}
          {session && <PresenceList provider={session.provider} me={me} />}
          <AmendmentsPanel
            room={room}
            me={me}
            lang={resolution.language}
            blockText={blockText}
            doc={session && loaded ? session.doc : null}
            numbering={numbering}
            shownBlock={shownBlock}
            onShowAll={() => setShownBlock(null)}
          />
          <LanguageVersions room={room} me={me} />
          <VersionsPanel room={room} me={me} />
        </aside>
      </div>
    </main>
  )
}

function BackLink({ onNavigate }: { onNavigate: () => void }) {
  const { t } = useTranslation()
  return (
    <nav className="breadcrumb" aria-label={t('nav.resolutions')}>
      <AppLink to={{ page: 'resolutions' }} onNavigate={onNavigate}>
        ← {t('editor.back')}
      </AppLink>
    </nav>
  )
}
