import { useEffect, useState } from 'react'
import { endpoints } from '../api/endpoints.ts'
import { Room } from './room.ts'

export type RoomLoad = { state: 'loading' } | { state: 'missing' } | { state: 'ready'; room: Room }

/** One resolution's room, fetched and kept live by its event stream for as long as the page shows it. */
export function useRoom(id: string): RoomLoad {
  const [load, setLoad] = useState<RoomLoad>({ state: 'loading' })
  useEffect(() => {
    const controller = new AbortController()
    endpoints.resolution(id, controller.signal).then(
      (resolution) => setLoad({ state: 'ready', room: new Room(resolution) }),
      (error: unknown) => {
        if ((error as Error).name !== 'AbortError') setLoad({ state: 'missing' })
      },
    )
    return () => controller.abort()
  }, [id])

  const room = load.state === 'ready' ? load.room : null
  useEffect(() => {
    if (!room) return
    room.start()
    return () => room.stop()
  }, [room])
  return load
}
