import { create } from 'zustand'

/** The pages of the app, read from the address bar so every page can be bookmarked and shared. */
export type Route = { page: 'resolutions' } | { page: 'resolution'; id: string } | { page: 'notFound' }

export function parseRoute(pathname: string): Route {
  if (pathname === '/' || pathname === '') return { page: 'resolutions' }
  const match = /^\/resolutions\/([^/]+)\/?$/.exec(pathname)
  if (match) return { page: 'resolution', id: decodeURIComponent(match[1]!) }
  return { page: 'notFound' }
}

export const hrefOf = (route: Route) => (route.page === 'resolution' ? `/resolutions/${encodeURIComponent(route.id)}` : '/')

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
