import { findBlock, readRuns, type Rebase, type Run } from '@hemicycle/amendments'
import { candidateOf, changedLines, insertedBy, rebasedAgainstText } from '@hemicycle/documents'
import { type Amendment, delegationColor, type Person } from '@hemicycle/protocol'
import { checkAmendmentAction } from '@hemicycle/rules'
import { LINE_WIDTH, type NumberedBlock, numberBlocks, readBody, wrapLines } from '@hemicycle/schema'
import { useId, useMemo, useState, useSyncExternalStore } from 'react'
import { useTranslation } from 'react-i18next'
import type * as Y from 'yjs'
import { useStore } from 'zustand'
import { createStore } from 'zustand/vanilla'
import type { CollabSession } from '../../editor/collabSession.ts'
import { initialFacts } from '../../editor/connectionStatus.ts'
import { LiveResolution } from '../../editor/liveResolution.ts'
import type { Room } from '../../editor/room.ts'
import { useAmendmentsAsTextStands } from '../amendments/useAmendmentsAsTextStands.ts'
import { useRoom } from '../../editor/useRoom.ts'
import { AmendmentCard } from '../amendments/AmendmentCard.tsx'
import { citationOf } from '../amendments/amendmentTarget.ts'
import { CompromiseComposer } from '../amendments/CompromiseComposer.tsx'
import { joined, MarkedRuns, TrackedChange } from '../amendments/TrackedChange.tsx'
import { useNowAround } from '../useNowAround.ts'
import { type DeskGroup, deskGroups } from './deskGroups.ts'
import { useSelection } from '../amendments/useSelection.ts'
import { AppLink } from '../AppLink.tsx'
import { useNumbering } from '../../api/useNumbering.ts'

/** Stands in for a session's facts before the session exists. */
const noFacts = createStore(() => initialFacts)

/**
 * The consolidation desk: the whole width for the chairs and the secretariat
 * to go through the amendments paragraph by paragraph, in the order of the
 * live text, each paragraph with its amendments side by side (only the lines
 * they change), the colliding ones together, and every decision at hand.
 */
export function DeskPage({ id, me }: { id: string; me: Person }) {
  const { t } = useTranslation()
  const load = useRoom(id)
  const [live] = useState(() => new LiveResolution(id))
  const { session } = useSyncExternalStore(live.subscribe, live.getSnapshot)
  if (load.state === 'loading') return <main id="main" aria-busy="true">{t('app.loading')}</main>
  if (load.state === 'missing') {
    return (
      <main id="main">
        <p role="alert">{t('editor.notFound')}</p>
      </main>
    )
  }
  return <Desk room={load.room} session={session} me={me} />
}

function Desk({ room, session, me }: { room: Room; session: CollabSession | null; me: Person }) {
  const { t } = useTranslation()
  const loaded = useStore(session?.facts ?? noFacts, (facts) => facts.loaded)
  const resolution = useStore(room.store, (state) => state.resolution)
  // Redrawn as the text changes: § numbers, lines, rebased changes, conflicts and collisions follow it.
  const amendments = useAmendmentsAsTextStands(room, session && loaded ? session.doc : null)
  const now = useNowAround(resolution.deadline)
  const byId = useMemo(() => new Map(amendments.map((amendment) => [amendment.id, amendment])), [amendments])
  const numbering = useNumbering(resolution.id, resolution.stage)
  // Drawn once the numbers in force are known: numbered as it stands, a paragraph would be cited as the cards cite another.
  const ready = session && loaded && numbering !== undefined
  const blocks = ready ? numberBlocks(readBody(session.doc), LINE_WIDTH, numbering) : []
  const groups = ready ? deskGroups(blocks, amendments) : []
  const deadline = resolution.deadline ? new Date(resolution.deadline) : null
  const mayDecide = checkAmendmentAction('decide', me, { stage: resolution.stage, deadline, now }) === null

  return (
    <main id="main" className="desk-page">
      <div className="page-links">
        <AppLink to={{ page: 'resolution', id: resolution.id }}>
          ← {t('desk.back')}
        </AppLink>
      </div>
      <h1>{t('desk.title', { title: resolution.title })}</h1>
      <p className="desk-summary">
        {t('desk.summary', { count: amendments.length, tabled: amendments.filter((amendment) => amendment.status === 'tabled').length })}
        {!mayDecide && <> {t('desk.notDeciding')}</>}
      </p>
      {!(session && loaded) && <p aria-busy="true">{t('app.loading')}</p>}
      {session && loaded && groups.length === 0 && <p className="empty">{t('amendments.none')}</p>}
      {session &&
        groups.map((group) => (
          <DeskParagraph key={group.key} group={group} room={room} me={me} now={now} byId={byId} mayDecide={mayDecide} doc={session.doc} current={runsOf(session, group.block)} />
        ))}
    </main>
  )
}

/** A block's runs in the live text now. */
function runsOf(session: CollabSession, block: NumberedBlock | null): Run[] | null {
  const found = block?.blockId ? findBlock(session.doc, block.blockId) : null
  return found ? readRuns(found.element) : null
}

interface ParagraphProps {
  group: DeskGroup
  room: Room
  me: Person
  now: Date
  byId: ReadonlyMap<string, Amendment>
  mayDecide: boolean
  /** The live text, against which a change is rebased as accepting would rebase it. */
  doc: Y.Doc
  /** The block's runs as they stand now (null at the start of the text or for blocks gone). */
  current: Run[] | null
}

/** One paragraph at the desk: its text with line numbers, then its amendments side by side. */
function DeskParagraph({ group, room, me, now, byId, mayDecide, doc, current }: ParagraphProps) {
  const { t } = useTranslation()
  const id = useId()
  const lang = useStore(room.store, (state) => state.resolution.language)
  const { selected, tick, clear } = useSelection()
  const [composing, setComposing] = useState(false)
  const { block } = group
  const title = group.place === 'start' ? t('desk.start') : group.place === 'gone' ? t('desk.gone') : citationOf(block!, t)
  const chosen = group.clusters.flat().filter((amendment) => selected.has(amendment.id) && amendment.status === 'tabled' && amendment.kind !== 'insertAfter')
  const target = block?.blockId && current ? { blockId: block.blockId, citation: title, current, initial: current } : null

  return (
    <section className="desk-group" aria-labelledby={`${id}-title`} data-testid="desk-group" data-block={block?.blockId ?? group.key}>
      <h2 id={`${id}-title`}>{title}</h2>
      {block && (
        <ol className="desk-paragraph numbered-lines" lang={lang} aria-label={t('desk.currentText')}>
          {wrapLines(block.text).map((line, index) => (
            <li key={index}>
              <span className="line-number">{block.lineLabels[index]}</span>
              <span>{line}</span>
            </li>
          ))}
        </ol>
      )}
      <div className="desk-row">
        {group.clusters.map((cluster) => (
          <div key={cluster.map((amendment) => amendment.id).join(' ')} className={cluster.length > 1 ? 'desk-cluster colliding' : 'desk-cluster'} data-testid={cluster.length > 1 ? 'collision' : undefined}>
            {cluster.length > 1 && <p className="collision-note">{t('desk.colliding', { numbers: cluster.map((amendment) => amendment.number).join(', ') })}</p>}
            <div className="desk-columns">
              {cluster.map((amendment) => (
                <div className="desk-column" key={amendment.id}>
                  <AmendmentCard
                    amendment={amendment}
                    current={current}
                    doc={doc}
                    citationNow={block ? citationOf(block, t) : undefined}
                    byId={byId}
                    room={room}
                    me={me}
                    lang={lang}
                    now={now}
                    change={<DeskChange amendment={amendment} block={block} current={current} rebased={() => rebasedAgainstText(candidateOf(amendment, [...byId.values()]), doc, insertedBy([...byId.values()]))} lang={lang} />}
                    selected={selected.has(amendment.id)}
                    onSelect={
                      mayDecide && amendment.status === 'tabled' && amendment.kind !== 'insertAfter' && target
                        ? (checked) => tick(amendment.id, checked)
                        : undefined
                    }
                  />
                </div>
              ))}
            </div>
          </div>
        ))}
      </div>
      {mayDecide && target && (
        <div className="bulk">
          <button type="button" disabled={chosen.length < 2} onClick={() => setComposing(!composing)} aria-expanded={composing}>
            {t('amendments.composeCompromise', { count: chosen.length })}
          </button>
        </div>
      )}
      {composing && target && chosen.length >= 2 && (
        <CompromiseComposer
          room={room}
          lang={lang}
          chosen={chosen}
          target={target}
          onTabled={() => {
            clear()
            setComposing(false)
          }}
        />
      )}
    </section>
  )
}

/**
 * What an amendment does to its paragraph: for one still to be decided that
 * applies to the paragraph as it stands, only the lines it changes there,
 * numbered as they are now; otherwise (decided, or no longer applying
 * cleanly) only the lines it changed in the text it was tabled on, numbered
 * as cited at tabling.
 */
function DeskChange({ amendment, block, current, rebased: rebasedNow, lang }: { amendment: Amendment; block: NumberedBlock | null; current: Run[] | null; rebased: () => Rebase; lang: string }) {
  const { t } = useTranslation()
  const color = delegationColor(amendment.delegation?.id ?? null)
  // Why accepting it is refused, as the card's badge says it: the words changed under it, or some of what it adds is there already.
  const refused = (partlyInText: boolean) => <p className="error">{t(partlyInText ? 'amendments.rebasePartlyInText' : 'amendments.rebaseConflict')}</p>
  if (amendment.kind === 'insertAfter') {
    return (
      <div className="desk-change">
        <p className="desk-where">{block ? t('desk.insertedAfter', { line: block.lineLabels.at(-1) }) : t('desk.insertedAtStart')}</p>
        {amendment.status === 'tabled' && amendment.conflict && refused(amendment.partlyInText === true)}
        <TrackedChange before={[]} after={amendment.wording} color={color} lang={lang} />
      </div>
    )
  }
  const asTabled = (
    <div className="desk-change">
      <p className="desk-where">{t('desk.asTabled')}</p>
      <ChangedLines before={amendment.baseWording} after={amendment.kind === 'delete' ? [] : joined(amendment.wording)} lineLabel={(index) => String(amendment.line + index)} color={color} lang={lang} />
    </div>
  )
  if (amendment.status !== 'tabled' || !block || !current) return asTabled
  const rebased = rebasedNow()
  if (rebased.state !== 'clean') {
    return (
      <>
        {refused(rebased.state === 'conflict' && rebased.partlyInText === true)}
        {asTabled}
      </>
    )
  }
  return <ChangedLines before={current} after={joined(rebased.wording)} lineLabel={(index) => block.lineLabels[index] ?? ''} color={color} lang={lang} />
}

/** Only the lines a change touches, each with its number as cited (`lineLabel` of the line's index in `before`), as a tracked change. */
function ChangedLines({ before, after, lineLabel, color, lang }: { before: Run[]; after: Run[]; lineLabel: (index: number) => string; color: string; lang: string }) {
  const { t } = useTranslation()
  const lines = changedLines(before, after, 0)
  if (lines.length === 0) return <p className="desk-where">{t('desk.noChange')}</p>
  return (
    <ol className="desk-lines numbered-lines tracked-change" lang={lang} style={{ ['--change-color' as string]: color }} data-testid="changed-lines">
      {lines.map((line) => (
        <li key={line.line}>
          <span className="line-number">{lineLabel(line.line)}</span>
          <span>
            <MarkedRuns runs={line.runs} />
          </span>
        </li>
      ))}
    </ol>
  )
}
