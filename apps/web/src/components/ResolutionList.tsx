import { useTranslation } from 'react-i18next'
import { endpoints } from '../api/endpoints.ts'
import { useFetched } from '../api/useFetched.ts'
import { formatStampDate, formatWhen } from '../format.ts'
import { useSession } from '../stores/session.ts'
import { AppLink } from './AppLink.tsx'

export function ResolutionList() {
  const { t, i18n } = useTranslation()
  const role = useSession((state) => state.person?.role)
  const [load, fetchList] = useFetched(endpoints.resolutions)

  return (
    <main id="main" className="resolutions">
      <h1>{t('list.title')}</h1>
      {role === 'secretariat' && (
        <p className="secretariat-tools">
          <AppLink to={{ page: 'newResolution' }}>
            {t('newResolution.link')}
          </AppLink>{' '}
          <a href="/api/audit?format=csv" download>
            {t('list.auditCsv')}
          </a>
        </p>
      )}
      {load.state === 'loading' && <p aria-busy="true">{t('app.loading')}</p>}
      {load.state === 'error' && (
        <p role="alert">
          {t('list.error')}{' '}
          <button type="button" onClick={() => fetchList()}>
            {t('list.retry')}
          </button>
        </p>
      )}
      {load.state === 'ready' && load.value.length === 0 && <p>{t('list.empty')}</p>}
      {load.state === 'ready' && load.value.length > 0 && (
        <ul className="resolution-list">
          {load.value.map((resolution) => {
            const route = { page: 'resolution', id: resolution.id } as const
            return (
              <li key={resolution.id}>
                <AppLink to={route}>
                  <span className="stamp" lang={resolution.language}>
                    {resolution.stamp.label} {formatStampDate(resolution.stamp.date, resolution.language)}
                  </span>
                  <span className="title" lang={resolution.language}>
                    {resolution.title}
                  </span>
                  <span className="meta">
                    <span className={`stage stage-${resolution.stage}`}>{t(`stage.${resolution.stage}`)}</span>
                    {resolution.stage === 'amendments' && (
                      <span className={resolution.tablingOpen ? 'tabling open' : 'tabling closed'} data-testid="tabling">
                        {t(resolution.tablingOpen ? 'list.tablingOpen' : 'list.tablingClosed')}
                      </span>
                    )}
                    <span lang={resolution.language}>{resolution.event}</span>
                    <span>{t('list.updated', { date: formatWhen(resolution.updatedAt, i18n.language) })}</span>
                  </span>
                </AppLink>
              </li>
            )
          })}
        </ul>
      )}
    </main>
  )
}
