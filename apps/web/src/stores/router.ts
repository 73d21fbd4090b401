import { Language } from '@hemicycle/protocol'
import { create } from 'zustand'

/** The pages of the app, read from the address bar so every page can be bookmarked and shared. */
export type Route =
  | { page: 'resolutions' }
  | { page: 'resolution'; id: string }
  | { page: 'desk'; id: string }
  | { page: 'newResolution' }
  | { page: 'audit'; id: string }
  | { page: 'print'; id: string; what: 'text' | 'booklet' }
  | { page: 'translation'; id: string; language: Language }
  | { page: 'meetings' }
  | { page: 'meeting'; id: string }
  | { page: 'people' }
  | { page: 'notFound' }

export function parseRoute(pathname: string): Route {
  if (pathname === '/' || pathname === '') return { page: 'resolutions' }
  if (/^\/meetings\/?$/.test(pathname)) return { page: 'meetings' }
  if (/^\/people\/?$/.test(pathname)) return { page: 'people' }
  // Resolution ids are UUIDs: "new" is never one.
  if (/^\/resolutions\/new\/?$/.test(pathname)) return { page: 'newResolution' }
  const meeting = /^\/meetings\/([^/]+)\/?$/.exec(pathname)
  if (meeting) return { page: 'meeting', id: decodeURIComponent(meeting[1]!) }
  const version = /^\/resolutions\/([^/]+)\/languages\/([^/]+)\/?$/.exec(pathname)
  if (version) {
    const language = Language.safeParse(version[2])
    return language.success ? { page: 'translation', id: decodeURIComponent(version[1]!), language: language.data } : { page: 'notFound' }
  }
  const match = /^\/resolutions\/([^/]+)(?:\/(print|booklet|desk|audit))?\/?$/.exec(pathname)
  if (!match) return { page: 'notFound' }
  const id = decodeURIComponent(match[1]!)
  if (match[2] === 'print') return { page: 'print', id, what: 'text' }
  if (match[2] === 'booklet') return { page: 'print', id, what: 'booklet' }
  if (match[2] === 'desk') return { page: 'desk', id }
  if (match[2] === 'audit') return { page: 'audit', id }
  return { page: 'resolution', id }
}

export function hrefOf(route: Route): string {
  if (route.page === 'resolution') return `/resolutions/${encodeURIComponent(route.id)}`
  if (route.page === 'desk') return `/resolutions/${encodeURIComponent(route.id)}/desk`
  if (route.page === 'newResolution') return '/resolutions/new'
  if (route.page === 'audit') return `/resolutions/${encodeURIComponent(route.id)}/audit`
  if (route.page === 'print') return `/resolutions/${encodeURIComponent(route.id)}/${route.what === 'text' ? 'print' : 'booklet'}`
  if (route.page === 'translation') return `/resolutions/${encodeURIComponent(route.id)}/languages/${route.language}`
  if (route.page === 'meetings') return '/meetings'
  if (route.page === 'people') return '/people'
  if (route.page === 'meeting') return `/meetings/${encodeURIComponent(route.id)}`
  return '/'
}

interface RouterState {
  route: Route
  navigate(route: Route): void
}

export const useRouter = create<RouterState>()((set) => ({
  route: parseRoute(typeof location === 'undefined' ? '/' : location.pathname),
  navigate(route) {
    history.pushState(null, '', hrefOf(route))
    set({ route })
  },
}))

if (typeof window !== 'undefined') {
  window.addEventListener('popstate', () => useRouter.setState({ route: parseRoute(location.pathname) }))
}
