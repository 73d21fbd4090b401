import { useCallback, useEffect, useState } from 'react'

/** What a page asked the API for: still coming, failed, or here. */
export type Fetched<T> = { state: 'loading' } | { state: 'error' } | { state: 'ready'; value: T }

/**
 * Fetches with `fetch` while the page shows it (a page left before the
 * answer drops it rather than setting state on nothing), and gives a way to
 * fetch again, for a retry button. `fetch` must keep its identity across
 * renders (a module function, or wrapped in `useCallback`).
 */
export function useFetched<T>(fetch: (signal?: AbortSignal) => Promise<T>): [Fetched<T>, () => void] {
  const [fetched, setFetched] = useState<Fetched<T>>({ state: 'loading' })
  const run = useCallback(
    (signal?: AbortSignal) => {
      fetch(signal).then(
        (value) => setFetched({ state: 'ready', value }),
        (error: unknown) => {
          if ((error as Error).name !== 'AbortError') setFetched({ state: 'error' })
        },
      )
    },
    [fetch],
  )
  useEffect(() => {
    const controller = new AbortController()
    run(controller.signal)
    return () => controller.abort()
  }, [run])
  return [fetched, useCallback(() => run(), [run])]
}
