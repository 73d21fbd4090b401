import { bookletAmendments, bookletPlaces, buildBooklet, type BookletModel, type BookletPlaces, type DocumentModel } from '@hemicycle/documents'
import { type Amendment, AmendmentStatus, type Delegation, type Language, type Resolution } from '@hemicycle/protocol'
import { useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { endpoints } from '../../api/endpoints.ts'
import { formatCountry, formatWhen } from '../../format.ts'
import { Runs } from './Runs.tsx'
import { AppLink } from '../AppLink.tsx'

type Load =
  | { state: 'loading' }
  | { state: 'missing' }
  | { state: 'ready'; resolution: Resolution; text: DocumentModel; amendments: null; places: null; asOf: Date }
  | { state: 'ready'; resolution: Resolution; text: null; amendments: Amendment[]; places: BookletPlaces; asOf: Date }

/** How often a text not yet adopted is read again while its print view is open: others may be changing it. */
const READ_AGAIN_MS = 10_000


const metaOf = (resolution: Resolution) => ({
  title: resolution.title,
  language: resolution.language,
  organisation: resolution.organisation,
  event: resolution.event,
  stamp: resolution.stamp,
  timeZone: resolution.timeZone,
})

/** The resolution, or its amendments booklet, laid out as it prints: the same model the DOCX and PDF are made from. */
export function PrintPage({ id, what }: { id: string; what: 'text' | 'booklet' }) {
  const { t, i18n } = useTranslation()
  const [load, setLoad] = useState<Load>({ state: 'loading' })
  const [lines, setLines] = useState(false)
  const [versions, setVersions] = useState<Language[]>([])
  // For the text, the language exported; for the booklet, the version printed beside each amendment (empty: none).
  const [language, setLanguage] = useState<Language | ''>('')
  // The booklet's filters: the screen, the PDF and the DOCX print the same amendments.
  const [status, setStatus] = useState<AmendmentStatus | ''>('')
  const [delegationId, setDelegationId] = useState('')
  // Read once, the view showed the text as it stood when opened, beside links that download it as it stands now, and
  // printed that: a text still changing is read again, and the page says as of when.
  const [reading, setReading] = useState(0)
  const changing = load.state === 'ready' && load.resolution.stage !== 'adopted'
  useEffect(() => {
    if (!changing) return
    const again = () => setReading((count) => count + 1)
    const timer = setInterval(again, READ_AGAIN_MS)
    window.addEventListener('focus', again)
    return () => {
      clearInterval(timer)
      window.removeEventListener('focus', again)
    }
  }, [changing])

  useEffect(() => {
    let current = true
    endpoints.languages(id).then(
      (list) => {
        if (current) setVersions(list.filter((entry) => !entry.original).map((entry) => entry.language))
      },
      () => {},
    )
    return () => {
      current = false
    }
  }, [id])

  useEffect(() => {
    const controller = new AbortController()
    const resolution = endpoints.resolution(id, controller.signal)
    // After the resolution, as before: an unknown id is told by its 404, not by the text's.
    const model = resolution.then(async () => {
      // Laid out by the server, as the exports are: with the § and line numbers in force (frozen through consolidation), by block id.
      if (what === 'booklet') {
        const [amendments, text] = await Promise.all([endpoints.amendments(id), endpoints.printedText(id, controller.signal)])
        return { text: null, amendments, places: bookletPlaces(text.blocks) }
      }
      return { text: await endpoints.printedText(id, controller.signal), amendments: null, places: null }
    })
    Promise.all([resolution, model]).then(
      ([found, built]) => setLoad({ state: 'ready', resolution: found, ...built, asOf: new Date() }),
      (error: unknown) => {
        // Read again and not read: what is shown stays, with the time it was read.
        if ((error as Error).name !== 'AbortError') setLoad((shown) => (reading > 0 && shown.state === 'ready' ? shown : { state: 'missing' }))
      },
    )
    return () => controller.abort()
  }, [id, what, reading])

  // The delegations that tabled or co-sponsor an amendment: the ones a booklet can be filtered by.
  const delegations = useMemo(() => {
    const byId = new Map<string, Delegation>()
    if (load.state === 'ready' && load.amendments)
      for (const amendment of load.amendments) for (const delegation of [amendment.delegation, ...amendment.cosponsors]) if (delegation) byId.set(delegation.id, delegation)
    return [...byId.values()].sort((a, b) => a.party.localeCompare(b.party))
  }, [load])
  const booklet = useMemo((): BookletModel | null => {
    if (load.state !== 'ready' || !load.amendments) return null
    const delegation = delegations.find((candidate) => candidate.id === delegationId)
    const shown = bookletAmendments(load.amendments, { status: status || undefined, delegationId: delegation?.id })
    return buildBooklet(shown, metaOf(load.resolution), { status: status || undefined, delegation }, null, load.places)
  }, [load, delegations, status, delegationId])

  if (load.state === 'loading') return <main id="main" aria-busy="true">{t('app.loading')}</main>
  if (load.state === 'missing') return <main id="main"><p role="alert">{t('editor.notFound')}</p></main>
  const base = `/api/resolutions/${encodeURIComponent(id)}`
  const query = new URLSearchParams()
  if (what === 'text' && lines) query.set('lines', '1')
  if (language) query.set(what === 'text' ? 'language' : 'beside', language)
  if (what === 'booklet' && status) query.set('status', status)
  if (what === 'booklet' && delegationId && delegations.some((delegation) => delegation.id === delegationId)) query.set('delegation', delegationId)
  const suffix = query.size > 0 ? `?${query.toString()}` : ''
  const parallel = [load.resolution.language, ...versions].join(',')
  return (
    <main id="main" className="print-page">
      <div className="print-controls">
        <AppLink to={{ page: 'resolution', id }}>
          ← {t('print.back')}
        </AppLink>
        {what === 'text' && (
          <label>
            <input type="checkbox" checked={lines} onChange={(event) => setLines(event.target.checked)} /> {t('print.lineNumbers')}
          </label>
        )}
        <button type="button" className="primary" onClick={() => window.print()}>
          {t('print.print')}
        </button>
        {versions.length > 0 && (
          <label>
            {t(what === 'text' ? 'print.exportLanguage' : 'print.besideIn')}{' '}
            <select value={language} onChange={(event) => setLanguage(event.target.value as Language | '')}>
              <option value="">{what === 'text' ? t(`translations.languageName.${load.resolution.language}`) : t('print.noVersion')}</option>
              {versions.map((version) => (
                <option key={version} value={version}>
                  {t(`translations.languageName.${version}`)}
                </option>
              ))}
            </select>
          </label>
        )}
        {what === 'booklet' && (
          <>
            <label>
              {t('bookletPage.status')}{' '}
              <select value={status} onChange={(event) => setStatus(event.target.value as AmendmentStatus | '')}>
                <option value="">{t('bookletPage.anyStatus')}</option>
                {AmendmentStatus.options.map((option) => (
                  <option key={option} value={option}>
                    {t(`amendments.status.${option}`)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t('bookletPage.delegation')}{' '}
              <select value={delegationId} onChange={(event) => setDelegationId(event.target.value)}>
                <option value="">{t('bookletPage.anyDelegation')}</option>
                {delegations.map((delegation) => (
                  <option key={delegation.id} value={delegation.id}>
                    {t('people.delegationName', { party: delegation.party, country: formatCountry(delegation.country, i18n.language) })}
                  </option>
                ))}
              </select>
            </label>
          </>
        )}
        <a href={`${base}/${what === 'text' ? 'export' : 'booklet'}.docx${suffix}`}>{t('print.docx')}</a>
        <a href={`${base}/${what === 'text' ? 'export' : 'booklet'}.pdf${suffix}`}>{t('print.pdf')}</a>
        {what === 'text' && versions.length > 0 && (
          <>
            <a href={`${base}/parallel.pdf?languages=${parallel}`}>{t('print.parallelPdf')}</a>
            <a href={`${base}/parallel.docx?languages=${parallel}`}>{t('print.parallelDocx')}</a>
          </>
        )}
      </div>
      {changing && (
        <p className="printed-as-of" data-testid="printed-as-of">
          {t('print.asOf', { when: formatWhen(load.asOf.toISOString(), i18n.language) })}
        </p>
      )}
      {load.text ? <PrintedText model={load.text} lines={lines} /> : booklet && <PrintedBooklet model={booklet} />}
    </main>
  )
}

function Letterhead({ model }: { model: { letterhead: string; stamp: string; event: string; title: string } }) {
  return (
    <header className="printed-header">
      <p className="letterhead">{model.letterhead}</p>
      <p className="printed-stamp" data-testid="printed-stamp">
        {model.stamp}
      </p>
      {model.event && <p className="printed-event">{model.event}</p>}
      <h1>{model.title}</h1>
    </header>
  )
}

function PrintedText({ model, lines }: { model: DocumentModel; lines: boolean }) {
  return (
    <article className={`printed${lines ? ' with-lines' : ''}`} lang={model.language}>
      <Letterhead model={model} />
      {model.blocks.map((block, index) => {
        const Tag = block.kind === 'heading' ? (`h${Math.min(6, block.level + 1)}` as 'h2') : 'div'
        return (
          <Tag key={block.id ?? index} className={`printed-block depth-${Math.min(block.depth, 4)}${block.quote ? ' quote' : ''}`} data-paragraph={block.number ?? undefined}>
            {block.number !== null && <span className="printed-number">§{block.number}</span>}
            {block.marker && <span className="printed-marker">{block.marker} </span>}
            {lines ? (
              block.lines.map((line, offset) => (
                <span className="printed-line" key={offset}>
                  <span className="line-number" aria-hidden="true">
                    {block.lineLabels[offset]}
                  </span>
                  <Runs runs={line} />
                </span>
              ))
            ) : (
              <Runs runs={block.runs} />
            )}
          </Tag>
        )
      })}
    </article>
  )
}

function PrintedBooklet({ model }: { model: BookletModel }) {
  return (
    <article className="printed booklet" lang={model.language}>
      <Letterhead model={model} />
      <h2 className="booklet-heading">{model.heading}</h2>
      {model.filters && <p>{model.filters}</p>}
      <p>{model.summary}</p>
      {model.entries.map((entry) => (
        <section key={entry.id} className="booklet-entry" data-amendment={entry.number}>
          <h3>{entry.heading}</h3>
          <p className="booklet-meta">
            {entry.action} · {entry.tabledBy} · {entry.cosponsors}
          </p>
          <div className="side-by-side">
            <div>
              {entry.original.map((paragraph, index) => (
                <p key={index}>
                  <Runs runs={paragraph} />
                </p>
              ))}
            </div>
            <div>
              {entry.proposed.map((paragraph, index) => (
                <p key={index}>
                  <Runs runs={paragraph} />
                </p>
              ))}
            </div>
          </div>
          <p className="booklet-justification">{entry.justification}</p>
          <p className="booklet-decision">{entry.decision}</p>
          {entry.decisionDetail && (
            <div className="booklet-detail">
              <strong>{entry.decisionDetail.label}</strong>
              {entry.decisionDetail.runs.map((paragraph, index) => (
                <p key={index}>
                  <Runs runs={paragraph} />
                </p>
              ))}
            </div>
          )}
        </section>
      ))}
    </article>
  )
}
