import { useEffect, useState } from 'react'
import { endpoints } from '../api/endpoints.ts'
import { Room } from './room.ts'

/** Something a page keeps live (a resolution's room, a meeting's) while it shows it. */
interface Live {
  start(): void
  stop(): void
}

export type LiveLoad<R extends Live> = { state: 'loading' } | { state: 'missing' } | { state: 'ready'; room: R }
export type RoomLoad = LiveLoad<Room>

/**
 * What `open` fetches for the page (null, or a failed fetch: there is no
 * such thing), started while the page shows it and stopped after. `key`
 * names what is shown: a new key fetches again.
 */
export function useLive<R extends Live>(open: (signal: AbortSignal) => Promise<R | null>, key: string): LiveLoad<R> {
  const [load, setLoad] = useState<LiveLoad<R>>({ state: 'loading' })
  useEffect(() => {
    const controller = new AbortController()
    open(controller.signal).then(
      (room) => setLoad(room ? { state: 'ready', room } : { state: 'missing' }),
      (error: unknown) => {
        if ((error as Error).name !== 'AbortError') setLoad({ state: 'missing' })
      },
    )
    return () => controller.abort()
    // `open` is a new function at every render; `key` says when it fetches something else.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key])

  const room = load.state === 'ready' ? load.room : null
  useEffect(() => {
    if (!room) return
    room.start()
    return () => room.stop()
  }, [room])
  return load
}

/** One resolution's room, fetched and kept live by its event stream for as long as the page shows it. */
export function useRoom(id: string): RoomLoad {
  return useLive((signal) => endpoints.resolution(id, signal).then((resolution) => new Room(resolution)), id)
}
