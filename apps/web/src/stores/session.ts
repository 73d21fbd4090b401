import type { Person } from '@hemicycle/protocol'
import { create } from 'zustand'
import { type Endpoints, endpoints } from '../api/endpoints.ts'
import { HttpError } from '../api/http.ts'

export type LoginFailure = 'failed' | 'throttled' | 'unreachable'

export interface SessionState {
  /** `unknown` until the server has said whether the cookie is still good. */
  status: 'unknown' | 'anonymous' | 'authenticated'
  person: Person | null
  failure: LoginFailure | null
  restore(): Promise<void>
  login(username: string, password: string): Promise<boolean>
  logout(): Promise<void>
}

/** Who is logged in. The session itself lives in an HttpOnly cookie the page never sees. */
export function createSessionStore(api: Pick<Endpoints, 'login' | 'logout' | 'me'> = endpoints) {
  return create<SessionState>()((set) => ({
    status: 'unknown',
    person: null,
    failure: null,

    async restore() {
      try {
        set({ status: 'authenticated', person: await api.me() })
      } catch {
        set({ status: 'anonymous', person: null })
      }
    },

    async login(username, password) {
      try {
        const { person } = await api.login(username, password)
        set({ status: 'authenticated', person, failure: null })
        return true
      } catch (error) {
        const failure: LoginFailure =
          error instanceof HttpError && error.status === 429 ? 'throttled' : error instanceof HttpError && error.status === 0 ? 'unreachable' : 'failed'
        set({ status: 'anonymous', person: null, failure })
        return false
      }
    },

    async logout() {
      await api.logout().catch(() => {})
      set({ status: 'anonymous', person: null, failure: null })
    },
  }))
}

export const useSession = createSessionStore()
