import { type Amendment, LiveEvent, type Resolution, type TranslationStatus } from '@hemicycle/protocol'
import { createStore, type StoreApi } from 'zustand/vanilla'
import { type Endpoints, endpoints } from '../api/endpoints.ts'

/**
 * Everything about one resolution that changes while people work on it,
 * apart from its text: its stage (and so who may write), the amendments,
 * whether saving is delayed. Kept current by the server-sent events.
 */
export interface RoomState {
  resolution: Resolution
  amendments: Amendment[]
  /** Whether the event stream is connected; when it reconnects, the amendments are fetched again. */
  live: boolean
  saving: 'ok' | 'delayed'
  /** The status last announced for each translated block, keyed `<language>:<sourceId>`: pages showing a version refetch it when it changes. */
  translations: Readonly<Record<string, TranslationStatus>>
}

/** In the order they were tabled: A2 before A10. */
const byNumber = (a: Amendment, b: Amendment) => Number(a.number.slice(1)) - Number(b.number.slice(1))

/** Applies one live event to the room (pure, so it can be tested without a server). */
export function applyEvent(state: RoomState, event: LiveEvent): RoomState {
  switch (event.type) {
    case 'amendment': {
      const others = state.amendments.filter((amendment) => amendment.id !== event.amendment.id)
      const amendments = [...others, event.amendment].sort(byNumber)
      return { ...state, amendments }
    }
    case 'stage':
    case 'deadline':
      return { ...state, resolution: latest(state.resolution, event.resolution) }
    case 'saving':
      return { ...state, saving: event.state === 'delayed' ? 'delayed' : 'ok' }
    case 'translation':
      return { ...state, translations: { ...state.translations, [`${event.language}:${event.sourceId}`]: event.status } }
    case 'rights':
      return state
  }
}

/**
 * The later of two readings of the resolution: an event and a fresh reading (after the stream reconnects) can arrive in
 * either order. Stage and deadline moves set `updatedAt`; on a tie the one that came last is taken, for `tablingOpen`,
 * which the server's clock moves without a change.
 */
export function latest(held: Resolution, arriving: Resolution): Resolution {
  return Date.parse(arriving.updatedAt) >= Date.parse(held.updatedAt) ? arriving : held
}

/**
 * A reading of the amendments merged with those held: an event applied while the reading was on its way is later than
 * it (a decision sets `updatedAt`), and one tabled meanwhile is not in it. Taken as read, the reading put an amendment
 * accepted a moment before back to "tabled" on screen until its next change.
 */
export function laterOf(held: readonly Amendment[], read: readonly Amendment[]): Amendment[] {
  const byId = new Map(read.map((amendment) => [amendment.id, amendment]))
  for (const amendment of held) {
    const fresh = byId.get(amendment.id)
    if (!fresh || Date.parse(amendment.updatedAt) > Date.parse(fresh.updatedAt)) byId.set(amendment.id, amendment)
  }
  return [...byId.values()].sort(byNumber)
}

/** How long after a reading that still found an amendment obsolete, its paragraph back, it is read once more. */
export const READ_AGAIN_AFTER_MS = 2000

export class Room {
  readonly store: StoreApi<RoomState>
  private source: EventSource | null = null

  constructor(
    resolution: Resolution,
    private readonly api: Pick<Endpoints, 'amendments' | 'resolution'> = endpoints,
  ) {
    this.store = createStore<RoomState>(() => ({ resolution, amendments: [], live: false, saving: 'ok', translations: {} }))
  }

  /** Opens the event stream (the session cookie authenticates it). */
  start(url = `/api/resolutions/${encodeURIComponent(this.store.getState().resolution.id)}/events`): void {
    const source = new EventSource(url)
    this.source = source
    const handle = (message: MessageEvent<string>) => {
      const parsed = LiveEvent.safeParse(JSON.parse(message.data))
      if (parsed.success) this.store.setState((state) => applyEvent(state, parsed.data))
    }
    for (const type of ['amendment', 'stage', 'rights', 'saving', 'translation', 'deadline'] as const) source.addEventListener(type, handle)
    // Events sent while the stream was down (a network blip, a restart), or before it first opened, are not sent again:
    // the stage, the deadline and the amendments are read afresh at every opening. The stage read only with the page
    // stayed as it was: a text shown as an editable draft after amendments had opened.
    source.addEventListener('open', () => {
      this.store.setState({ live: true })
      void this.refresh()
      void this.rereadResolution()
    })
    source.addEventListener('error', () => this.store.setState({ live: false }))
  }

  /** Reads the amendments again; false if they could not be read. An answer overtaken by a later reading is dropped. */
  async refresh(): Promise<boolean> {
    const asked = ++this.readings
    try {
      const amendments = await this.api.amendments(this.store.getState().resolution.id)
      if (asked === this.readings) this.store.setState((state) => ({ amendments: laterOf(state.amendments, amendments) }))
      return true
    } catch {
      // The stream's next reconnection fetches again.
      return false
    }
  }

  /** Reads the resolution again (its stage, its deadline), keeping whichever reading is later. */
  async rereadResolution(): Promise<void> {
    try {
      const resolution = await this.api.resolution(this.store.getState().resolution.id)
      this.store.setState((state) => ({ resolution: latest(state.resolution, resolution) }))
    } catch {
      // The stream's next reconnection reads it again.
    }
  }

  /** The obsolete amendments last found with their paragraph back in the text (`readAgainWhenBack`). */
  private back: ReadonlySet<string> = new Set()
  private readings = 0
  private retry: ReturnType<typeof setTimeout> | undefined

  /**
   * Amendments listed obsolete whose paragraph the text holds again (an
   * undone deletion): the listing read them while it was gone, and only the
   * server knows whether a decision since recorded them so, for good. Each
   * is read again once per return, so one recorded obsolete is not fetched
   * again at every keystroke.
   */
  readAgainWhenBack(ids: readonly string[]): void {
    const returned = ids.filter((id) => !this.back.has(id))
    this.back = new Set(ids)
    if (returned.length === 0) return
    const stillBack = () => returned.some((id) => this.back.has(id))
    void this.refresh().then((read) => {
      // Not read, or still obsolete: the server may not hold the paragraph again yet (it came back through another instance),
      // so it is asked once more a moment later. One recorded obsolete for good then costs two readings per return, not a loop.
      const obsolete = (id: string) => this.store.getState().amendments.find((amendment) => amendment.id === id)?.status === 'obsolete'
      if (!stillBack() || (read && !returned.some(obsolete))) return
      clearTimeout(this.retry)
      this.retry = setTimeout(() => {
        if (stillBack()) void this.refresh()
      }, READ_AGAIN_AFTER_MS)
    })
  }

  /** An amendment the server just returned (after an action here), ahead of its event. */
  upsert(amendment: Amendment): void {
    this.store.setState((state) => applyEvent(state, { type: 'amendment', action: 'changed', amendment }))
  }

  setResolution(resolution: Resolution): void {
    this.store.setState({ resolution })
  }

  stop(): void {
    clearTimeout(this.retry)
    this.source?.close()
    this.source = null
  }
}
