import type { Account, AuditEntry, Delegation, Resolution } from '@hemicycle/protocol'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { endpoints } from '../../api/endpoints.ts'
import { formatCountry, formatInstant, viewerTimeZone } from '../../format.ts'
import { refusalText } from '../../i18n/refusals.ts'
import { auditSentence, SESSION_ACTIONS } from './auditSentence.ts'
import { AppLink } from '../AppLink.tsx'

type Load =
  | { state: 'loading' }
  | { state: 'error'; message: string }
  | { state: 'ready'; resolution: Resolution; entries: AuditEntry[]; people: Map<string, Account>; delegations: Map<string, Delegation> }

/** A resolution's audit log for the secretariat, in plain language: who (person and delegation) did what, when, in the viewer's zone; logins left out. */
export function AuditPage({ id }: { id: string }) {
  const { t, i18n } = useTranslation()
  const [load, setLoad] = useState<Load>({ state: 'loading' })
  const zone = viewerTimeZone()

  useEffect(() => {
    let current = true
    Promise.all([endpoints.resolution(id), endpoints.audit(id), endpoints.accounts(), endpoints.delegations()]).then(
      ([resolution, entries, people, delegations]) => {
        if (!current) return
        setLoad({
          state: 'ready',
          resolution,
          entries: entries.filter((entry) => !SESSION_ACTIONS.has(entry.action)),
          people: new Map(people.map((person) => [person.id, person])),
          delegations: new Map(delegations.map((delegation) => [delegation.id, delegation])),
        })
      },
      (failure: unknown) => {
        if (current) setLoad({ state: 'error', message: refusalText(failure, t) })
      },
    )
    return () => {
      current = false
    }
  }, [id, t])

  if (load.state === 'loading')
    return (
      <main id="main" aria-busy="true">
        {t('app.loading')}
      </main>
    )
  if (load.state === 'error')
    return (
      <main id="main">
        <p role="alert">{load.message}</p>
      </main>
    )

  const who = (entry: AuditEntry) => {
    if (!entry.person) return t('auditLog.server')
    const name = load.people.get(entry.person)?.name ?? t('auditLog.unknownPerson', { id: entry.person })
    const delegation = entry.delegation ? load.delegations.get(entry.delegation) : undefined
    if (!entry.delegation) return name
    const named = delegation ? t('people.delegationName', { party: delegation.party, country: formatCountry(delegation.country, i18n.language) }) : entry.delegation
    return t('auditLog.personOf', { name, delegation: named })
  }

  const back = { page: 'resolution', id } as const
  return (
    <main id="main" className="audit-log">
      <p>
        <AppLink to={back}>
          {t('auditLog.back')}
        </AppLink>
      </p>
      <h1>
        {t('auditLog.title')} <span lang={load.resolution.language}>{load.resolution.title}</span>
      </h1>
      <p>{t('auditLog.intro', { zone })}</p>
      {load.entries.length === 0 ? (
        <p>{t('auditLog.empty')}</p>
      ) : (
        <table className="audit-table">
          <thead>
            <tr>
              <th scope="col">{t('auditLog.when')}</th>
              <th scope="col">{t('auditLog.who')}</th>
              <th scope="col">{t('auditLog.what')}</th>
            </tr>
          </thead>
          <tbody>
            {load.entries.map((entry) => {
              const sentence = auditSentence(entry, t, i18n.language, zone)
              return (
                <tr key={entry.id} data-action={entry.action}>
                  <td>
                    <time dateTime={entry.at}>{formatInstant(entry.at, i18n.language, zone)}</time>
                  </td>
                  <td>{who(entry)}</td>
                  <td>
                    {sentence.what}
                    {sentence.particulars.map((particular) => (
                      <span key={particular} className="particular">
                        <br />
                        {particular}
                      </span>
                    ))}
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      )}
    </main>
  )
}
