import { lazy, Suspense, useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { useRouter } from '../stores/router.ts'
import { useSession } from '../stores/session.ts'
import { dropLeftBehind, unsavedLeftBehind } from '../editor/leftBehind.ts'
import { LanguageSwitcher } from './LanguageSwitcher.tsx'
import { NotificationsMenu } from './NotificationsMenu.tsx'
import { LoginPage } from './LoginPage.tsx'
import { MeetingList } from './meetings/MeetingList.tsx'
import { ResolutionList } from './ResolutionList.tsx'
import { AppLink } from './AppLink.tsx'

// The editor (TipTap, Yjs) is most of the code: the list and the login page do not wait for it.
const EditorPage = lazy(() => import('./EditorPage.tsx').then((module) => ({ default: module.EditorPage })))
const DeskPage = lazy(() => import('./desk/DeskPage.tsx').then((module) => ({ default: module.DeskPage })))
const PrintPage = lazy(() => import('./print/PrintPage.tsx').then((module) => ({ default: module.PrintPage })))
const TranslationPage = lazy(() => import('./translations/TranslationPage.tsx').then((module) => ({ default: module.TranslationPage })))
const PeoplePage = lazy(() => import('./people/PeoplePage.tsx').then((module) => ({ default: module.PeoplePage })))
const NewResolutionPage = lazy(() => import('./NewResolutionPage.tsx').then((module) => ({ default: module.NewResolutionPage })))
const AuditPage = lazy(() => import('./audit/AuditPage.tsx').then((module) => ({ default: module.AuditPage })))
const MeetingPage = lazy(() => import('./meetings/MeetingPage.tsx').then((module) => ({ default: module.MeetingPage })))

export function App() {
  const { t } = useTranslation()
  const { status, person, restore, logout } = useSession()
  const route = useRouter((state) => state.route)

  useEffect(() => {
    void restore()
  }, [restore])

  return (
    <>
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <header className="app-header">
        <AppLink className="brand" to={{ page: 'resolutions' }}>
          <svg viewBox="0 0 32 32" width="28" height="28" aria-hidden="true">
            <path d="M2 26a14 14 0 0 1 28 0h-5a9 9 0 0 0-18 0z" fill="currentColor" />
          </svg>
          {t('app.name')}
        </AppLink>
        {person && (
          <nav className="app-nav" aria-label={t('nav.main')}>
            {(person.role === 'secretariat' ? (['resolutions', 'meetings', 'people'] as const) : (['resolutions', 'meetings'] as const)).map((page) => (
              <AppLink key={page} to={{ page }} aria-current={route.page === page || (page === 'meetings' && route.page === 'meeting') ? 'page' : undefined}>
                {t(`nav.${page}`)}
              </AppLink>
            ))}
          </nav>
        )}
        <div className="header-tools">
          <LanguageSwitcher />
          {person && <NotificationsMenu />}
          {person && (
            <div className="account">
              <span className="who">
                {t('nav.account', { name: person.name })}
                {person.delegation && <span className="delegation"> · {person.delegation.party}</span>}
                <span className="role"> · {t(`role.${person.role}`)}</span>
              </span>
              {/* On a phone, the name alone (see app.css). */}
              <span className="who-short">{person.name}</span>
              <button
                type="button"
                onClick={() => {
                  // Words typed offline in a text left since are still waiting to be sent: logging out loses them.
                  if (unsavedLeftBehind() && !window.confirm(t('nav.logoutUnsaved'))) return
                  dropLeftBehind()
                  void logout()
                }}
              >
                {t('nav.logout')}
              </button>
            </div>
          )}
        </div>
      </header>
      {status === 'unknown' && (
        <main id="main" aria-busy="true">
          {t('app.loading')}
        </main>
      )}
      {status === 'anonymous' && <LoginPage />}
      {status === 'authenticated' && person && route.page === 'resolution' && (
        <Suspense
          fallback={
            <main id="main" aria-busy="true">
              {t('app.loading')}
            </main>
          }
        >
          <EditorPage key={route.id} id={route.id} me={person} />
        </Suspense>
      )}
      {status === 'authenticated' && person && route.page === 'desk' && (
        <Suspense
          fallback={
            <main id="main" aria-busy="true">
              {t('app.loading')}
            </main>
          }
        >
          <DeskPage key={route.id} id={route.id} me={person} />
        </Suspense>
      )}
      {status === 'authenticated' && person && route.page === 'translation' && (
        <Suspense
          fallback={
            <main id="main" aria-busy="true">
              {t('app.loading')}
            </main>
          }
        >
          <TranslationPage key={`${route.id}:${route.language}`} id={route.id} language={route.language} me={person} />
        </Suspense>
      )}
      {status === 'authenticated' && route.page === 'print' && (
        <Suspense
          fallback={
            <main id="main" aria-busy="true">
              {t('app.loading')}
            </main>
          }
        >
          <PrintPage key={`${route.id}:${route.what}`} id={route.id} what={route.what} />
        </Suspense>
      )}
      {status === 'authenticated' && person && route.page === 'meeting' && (
        <Suspense
          fallback={
            <main id="main" aria-busy="true">
              {t('app.loading')}
            </main>
          }
        >
          <MeetingPage key={route.id} id={route.id} me={person} />
        </Suspense>
      )}
      {status === 'authenticated' && person?.role === 'secretariat' && route.page === 'people' && (
        <Suspense
          fallback={
            <main id="main" aria-busy="true">
              {t('app.loading')}
            </main>
          }
        >
          <PeoplePage />
        </Suspense>
      )}
      {status === 'authenticated' && person?.role === 'secretariat' && (route.page === 'newResolution' || route.page === 'audit') && (
        <Suspense
          fallback={
            <main id="main" aria-busy="true">
              {t('app.loading')}
            </main>
          }
        >
          {route.page === 'audit' ? <AuditPage key={route.id} id={route.id} /> : <NewResolutionPage />}
        </Suspense>
      )}
      {status === 'authenticated' && route.page === 'meetings' && <MeetingList />}
      {status === 'authenticated' &&
        (route.page === 'resolutions' ||
          route.page === 'notFound' ||
          ((route.page === 'people' || route.page === 'newResolution' || route.page === 'audit') && person?.role !== 'secretariat')) && <ResolutionList />}
    </>
  )
}
