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

/** Applies one live event to the room (pure, so it can be tested without a server). */
export function applyEvent(state: RoomState, event: LiveEvent): RoomState {
  switch (event.type) {
    case 'amendment': {
      const others = state.amendments.filter((amendment) => amendment.id !== event.amendment.id)
      const amendments = [...others, event.amendment].sort((a, b) => Number(a.number.slice(1)) - Number(b.number.slice(1)))
      return { ...state, amendments }
    }
    case 'stage':
    case 'deadline':
      return { ...state, resolution: event.resolution }
    case 'saving':
      return { ...state, saving: event.state === 'delayed' ? 'delayed' : 'ok' }
    case 'translation':
      return { ...state, translations: { ...state.translations, [`${event.language}:${event.sourceId}`]: event.status } }
    case 'rights':
      return state
  }
}

export class Room {
  readonly store: StoreApi<RoomState>
  private source: EventSource | null = null

  constructor(
    resolution: Resolution,
    private readonly api: Pick<Endpoints, 'amendments'> = endpoints,
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
    source.addEventListener('open', () => {
      this.store.setState({ live: true })
      void this.refresh()
    })
    source.addEventListener('error', () => this.store.setState({ live: false }))
  }

  async refresh(): Promise<void> {
    try {
      const amendments = await this.api.amendments(this.store.getState().resolution.id)
      this.store.setState({ amendments })
    } catch {
      // The stream's next reconnection fetches again.
    }
  }

  /** The obsolete amendments last found with their paragraph back in the text (`readAgainWhenBack`). */
  private back: ReadonlySet<string> = new Set()

  /**
   * Amendments listed obsolete whose paragraph the text holds again (an
   * undone deletion): the listing read them while it was gone, and only the
   * server knows whether a decision since recorded them so, for good. Each
   * is read again once per return, so one recorded obsolete is not fetched
   * again at every keystroke.
   */
  readAgainWhenBack(ids: readonly string[]): void {
    const returned = ids.some((id) => !this.back.has(id))
    this.back = new Set(ids)
    if (returned) void this.refresh()
  }

  /** An amendment the server just returned (after an action here), ahead of its event. */
  upsert(amendment: Amendment): void {
    this.store.setState((state) => applyEvent(state, { type: 'amendment', action: 'changed', amendment }))
  }

  setResolution(resolution: Resolution): void {
    this.store.setState({ resolution })
  }

  stop(): void {
    this.source?.close()
    this.source = null
  }
}
