import { ChangedSinceRead, type ConfirmTranslation, type Language, type Person, type TranslationBlock } from '@hemicycle/protocol'
import { versionReadOnlyReason } from '@hemicycle/rules'
import { FixedStructure, LINE_WIDTH, numberBlocks, readBody, WORD_INPUT_RULES } from '@hemicycle/schema'
import { translationOf, wordingDigest } from '@hemicycle/translations'
import { EditorContent } from '@tiptap/react'
import { type RefObject, useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react'
import type { TFunction } from 'i18next'
import { useTranslation } from 'react-i18next'
import { useStore } from 'zustand'
import { createStore } from 'zustand/vanilla'
import { endpoints } from '../../api/endpoints.ts'
import { HttpError } from '../../api/http.ts'
import { refusalText, writeRefusalText } from '../../i18n/refusals.ts'
import { CollabSession } from '../../editor/collabSession.ts'
import { UnsavedNotice } from '../UnsavedNotice.tsx'
import { initialFacts } from '../../editor/connectionStatus.ts'
import { LiveResolution } from '../../editor/liveResolution.ts'
import { unsavedNoticeKey } from '../../editor/unsavedNotice.ts'
import { Room } from '../../editor/room.ts'
import { useLive } from '../../editor/useRoom.ts'
import { useLiveEditor } from '../../editor/useLiveEditor.ts'
import { alignRows, showRows, SideBySide } from '../../editor/sideBySide.ts'
import { BlockTooLong, PasteNotice, RefusedChanges, StructureKept } from '../RefusedChange.tsx'
import { ErrorNote } from '../ErrorNote.tsx'
import { PresenceList } from '../PresenceList.tsx'
import { StatusBadge } from '../StatusBadge.tsx'
import { ChangedRuns, RereadNotice, type Reread, sourceChangeSinceRead } from './ChangedSinceRead.tsx'
import { AppLink } from '../AppLink.tsx'
import { useNumbering } from '../../api/useNumbering.ts'

/** How long a confirmation waits for the translator's last keystrokes to be stored before it gives up and says so. */
const STORED_WITHIN_MS = 5000

/**
 * What the translator has before their eyes as they click: the source as
 * the row shows it, and the translation as their live editor shows it (their
 * own typing included, which the fetched block may not have yet). Without
 * the live text (the editor not loaded), the translation as last fetched,
 * which is what the row then shows.
 */
function readingOf(block: TranslationBlock, session: CollabSession | null): NonNullable<ConfirmTranslation['read']> {
  const shown = session?.facts.getState().loaded ? translationOf(readBody(session.doc), block.sourceId) : null
  return { sourceDigest: block.sourceDigest, translationDigest: shown ? wordingDigest(shown) : block.translationDigest }
}

const emptyFacts = createStore(() => initialFacts)

/** A language version beside its original, § for §: `/resolutions/<id>/languages/<language>`. */
export function TranslationPage({ id, language, me }: { id: string; language: Language; me: Person }) {
  const { t } = useTranslation()
  const load = useLive(
    (signal) =>
      Promise.all([endpoints.resolution(id, signal), endpoints.languages(id, signal)]).then(([resolution, languages]) =>
        languages.some((entry) => entry.language === language && !entry.original) ? new Room(resolution) : null,
      ),
    `${id}/${language}`,
  )

  if (load.state === 'loading') return <main id="main" aria-busy="true">{t('app.loading')}</main>
  if (load.state === 'missing') {
    return (
      <main id="main">
        <p role="alert">{t('translations.notFound')}</p>
        <BackToOriginal id={id} />
      </main>
    )
  }
  return <SideBySideView room={load.room} language={language} me={me} />
}

function SideBySideView({ room, language, me }: { room: Room; language: Language; me: Person }) {
  const { t, i18n } = useTranslation()
  const resolution = useStore(room.store, (state) => state.resolution)
  const [live] = useState(() => new LiveResolution(`${resolution.id}/${language}`))
  const { session, refusal, unsaved, unsavedBecause } = useSyncExternalStore(live.subscribe, live.getSnapshot)
  // The editor is made once the version has arrived, as the original's is: made on an empty document, it wrote an empty
  // paragraph of its own into the version, which the server then folded away, moving everyone's rows twice.
  const loaded = useStore(session?.facts ?? emptyFacts, (facts) => facts.loaded)
  const [blocks, setBlocks] = useState<TranslationBlock[]>([])
  const [onlyDue, setOnlyDue] = useState(false)
  const [originalBody, setOriginalBody] = useState<ReturnType<typeof readBody> | null>(null)
  // The original's lines as its cards and exports cite them: frozen through consolidation.
  const numbering = useNumbering(resolution.id, resolution.stage)
  const sourceLines = useMemo(
    () =>
      new Map(
        originalBody && numbering !== undefined ? numberBlocks(originalBody, LINE_WIDTH, numbering).flatMap((block) => (block.blockId ? [[block.blockId, { first: block.lineLabels[0]!, last: block.lineLabels.at(-1)! }] as const] : [])) : [],
      ),
    [originalBody, numbering],
  )
  // Blocks whose confirmation was refused because they changed since read: marked until confirmed.
  const [rereads, setRereads] = useState<ReadonlyMap<string, Reread>>(new Map())
  // The refusal as it came: worded at render, in the interface's language of the moment.
  const [error, setError] = useState<unknown>(null)
  // A confirmation not sent: the translator's last keystrokes were not stored in time.
  const [notSaved, setNotSaved] = useState(false)
  const readOnly = versionReadOnlyReason(resolution.stage, me.role)
  useEffect(() => live.setMayWrite(readOnly === null), [live, readOnly])

  const fail = (failure: unknown) => setError(failure)
  const refresh = useCallback(() => endpoints.translationBlocks(resolution.id, language), [resolution.id, language])

  useEffect(() => {
    let current = true
    refresh().then((list) => {
      if (current) setBlocks(list)
    }, fail)
    return () => {
      current = false
    }
  }, [refresh, resolution.stage])

  // Statuses change on the server (an amendment accepted, a confirmation): an announced status is shown at once,
  // then the blocks are read again for the source's change that goes with it. Announcements arrive in order, so the
  // latest is the truth until the next read.
  useEffect(
    () =>
      room.store.subscribe((state, previous) => {
        if (state.translations === previous.translations) return
        const prefix = `${language}:`
        const changed = new Map(
          Object.entries(state.translations)
            .filter(([key, status]) => key.startsWith(prefix) && previous.translations[key] !== status)
            .map(([key, status]) => [key.slice(prefix.length), status]),
        )
        if (changed.size === 0) return
        setBlocks((list) => list.map((block) => (changed.has(block.sourceId) ? { ...block, status: changed.get(block.sourceId)! } : block)))
        void refresh().then(setBlocks, fail)
      }),
    [room, language, refresh],
  )

  // Typing into a block turns it from missing to due, and the original's wording (and so the change shown) moves on while a
  // block stays due, both without an announcement: read again once either text pauses. The original is followed read-only.
  useEffect(() => {
    if (!session) return
    const original = new CollabSession(resolution.id)
    let timer: ReturnType<typeof setTimeout> | undefined
    const later = () => {
      clearTimeout(timer)
      timer = setTimeout(() => {
        void refresh().then(setBlocks, fail)
        setOriginalBody(readBody(original.doc))
      }, 300)
    }
    session.doc.on('update', later)
    original.doc.on('update', later)
    return () => {
      clearTimeout(timer)
      session.doc.off('update', later)
      original.destroy()
    }
  }, [session, refresh, resolution.id])

  const rereadOf = (sourceId: string, reread: Reread | null) =>
    setRereads((map) => {
      const next = new Map(map)
      if (reread) next.set(sourceId, reread)
      else next.delete(sourceId)
      return next
    })

  /**
   * Confirms what the translator read. Their last keystrokes are stored
   * first, so the server compares with the translation as shown rather than
   * one still on its way; if either text changed meanwhile, the server
   * refuses and the row shows the block as it now stands, marked.
   */
  async function confirm(shown: TranslationBlock) {
    setError(null)
    const { sourceId } = shown
    const read = readingOf(shown, session)
    setNotSaved(false)
    if (session && !(await session.whenStored(STORED_WITHIN_MS))) return setNotSaved(true)
    try {
      const confirmed = await endpoints.confirmTranslation(resolution.id, language, sourceId, read)
      setBlocks((list) => list.map((block) => (block.sourceId === sourceId ? confirmed : block)))
      rereadOf(sourceId, null)
    } catch (failure) {
      const refused = failure instanceof HttpError && failure.code === 'changed_since_read' ? ChangedSinceRead.safeParse(failure.detail) : null
      if (!refused?.success) return fail(failure)
      setBlocks((list) => list.map((block) => (block.sourceId === sourceId ? refused.data.block : block)))
      // Marked against what the translator read the first time, even after a second refusal.
      rereadOf(sourceId, { changed: refused.data.changed, sourceRead: rereads.get(sourceId)?.sourceRead ?? shown.sourceText })
    }
  }

  const name = (code: Language) => t(`translations.languageName.${code}`)
  const hidden = new Set(onlyDue ? blocks.filter((block) => block.status === 'current').map((block) => block.sourceId) : [])
  const rows = useRef(new Map<string, HTMLElement>())

  return (
    <main id="main" className="translation-page">
      <div className="page-links">
        <BackToOriginal id={resolution.id} />
      </div>
      <h1 className="translation-title">
        {resolution.title} — {t('translations.title', { language: name(language) })}
      </h1>
      {(readOnly || refusal) && (
        <p className="read-only-notice" role="note" data-testid="read-only">
          {readOnly ? t(`translations.readOnly.${readOnly}`) : refusal && writeRefusalText(refusal, t, 'translations')}
        </p>
      )}
      {[...unsaved].map(([blockId, wording]) => (
        <UnsavedNotice
          key={blockId}
          message={t(unsavedNoticeKey('translation', unsavedBecause))}
          wording={wording}
          onDismiss={() => live.dismissUnsaved(blockId)}
        />
      ))}
      <div className="translation-tools">
        <label>
          <input type="checkbox" checked={onlyDue} onChange={(event) => setOnlyDue(event.target.checked)} /> {t('translations.onlyDue')}
        </label>
        {session && <StatusBadge session={session} />}
        {session && <PresenceList provider={session.provider} me={me} />}
      </div>
      <ErrorNote message={notSaved ? t('translations.notSaved') : error === null ? null : refusalText(error, t)} />
      <div className="side-by-side">
        <h2 className="column-heading">{t('translations.sourceColumn', { language: name(resolution.language) })}</h2>
        <h2 className="column-heading">{t('translations.versionColumn', { language: name(language) })}</h2>
        <ol className="source-rows" lang={resolution.language} aria-label={t('translations.sourceColumn', { language: name(resolution.language) })}>
          {blocks.map((block) => {
            const reread = block.status === 'current' ? undefined : rereads.get(block.sourceId)
            const sinceRead = reread ? sourceChangeSinceRead(reread, block) : null
            return (
              <li
                key={block.sourceId}
                className={`source-row translation-${block.status}`}
                data-source-row={block.sourceId}
                hidden={hidden.has(block.sourceId)}
                ref={(element) => {
                  if (element) rows.current.set(block.sourceId, element)
                  else rows.current.delete(block.sourceId)
                }}
              >
                <span className="paragraph-number">{block.numbered ? `§${block.section}` : ''}</span>
                {sourceLines.has(block.sourceId) && (
                  <span className="row-lines" lang={i18n.language}>
                    {linesOf(t, sourceLines.get(block.sourceId)!)}
                  </span>
                )}
                <span className={`translation-status status-${block.status}`} data-testid="translation-status" lang={i18n.language}>
                  {t(`translations.status.${block.status}`)}
                </span>
                {sinceRead ? (
                  <ChangedRuns runs={sinceRead} label={t('translations.sourceChangedSinceRead')} />
                ) : block.status === 'due' && block.sourceChanges ? (
                  <ChangedRuns runs={block.sourceChanges} label={t('translations.sourceChanged')} />
                ) : (
                  <span className="source-text">{block.sourceText}</span>
                )}
                {reread && <RereadNotice reread={reread} block={block} />}
                {!readOnly && block.status !== 'current' && block.text.trim() !== '' && (
                  <button type="button" className="confirm" onClick={() => void confirm(block)}>
                    {block.numbered ? t('translations.confirm', { paragraph: block.section }) : t('translations.confirmBlock')}
                  </button>
                )}
              </li>
              )
          })}
        </ol>
        {session && loaded && <TranslationEditor session={session} me={me} editable={readOnly === null && refusal === null} language={language} blocks={blocks} hidden={hidden} rows={rows} />}
      </div>
    </main>
  )
}

interface EditorProps {
  session: CollabSession
  me: Person
  editable: boolean
  language: Language
  blocks: readonly TranslationBlock[]
  hidden: ReadonlySet<string>
  rows: RefObject<Map<string, HTMLElement>>
}

/** "lines 3–5", or "line 4" when a paragraph fits on one. */
const linesOf = (t: TFunction, { first, last }: { first: string | number; last: string | number }) => t(first === last ? 'translations.line' : 'translations.lines', { first, last })

/** The version's live text, block beside block with the original, with everyone's carets. */
function TranslationEditor({ session, me, editable, language, blocks, hidden, rows }: EditorProps) {
  const { t } = useTranslation()
  const editor = useLiveEditor({
    session,
    me,
    editable,
    // The version's blocks are the original's: the translator writes words into them, never joins, splits or adds any.
    extensions: [SideBySide, FixedStructure],
    inputRules: WORD_INPUT_RULES,
    id: 'translation-text',
    className: 'resolution-text translation-text',
    language,
    label: t('translations.versionColumn', { language: t(`translations.languageName.${language}`) }),
  })

  const hiddenKey = [...hidden].join(' ')
  useEffect(() => {
    if (!editor) return
    showRows(editor.view, {
      statuses: new Map(blocks.map((block) => [block.sourceId, block.status])),
      hidden: new Set(hiddenKey ? hiddenKey.split(' ') : []),
      lines: (first, last) => linesOf(t, { first, last }),
    })
    let frame = 0
    const align = () => {
      cancelAnimationFrame(frame)
      frame = requestAnimationFrame(() => {
        if (!editor.isDestroyed) alignRows(editor.view, rows.current)
      })
    }
    align()
    editor.on('update', align)
    window.addEventListener('resize', align)
    return () => {
      cancelAnimationFrame(frame)
      editor.off('update', align)
      window.removeEventListener('resize', align)
    }
  }, [editor, blocks, hiddenKey, rows, t])

  if (!editor) return null
  return (
    <>
      <RefusedChanges>
        <BlockTooLong editor={editor} inVersion />
        <StructureKept editor={editor} />
        <PasteNotice editor={editor} />
      </RefusedChanges>
      <EditorContent editor={editor} className="translation-column" />
    </>
  )
}

function BackToOriginal({ id }: { id: string }) {
  const { t } = useTranslation()
  return (
    <nav className="breadcrumb" aria-label={t('translations.back')}>
      <AppLink to={{ page: 'resolution', id }}>
        ← {t('translations.back')}
      </AppLink>
    </nav>
  )
}
