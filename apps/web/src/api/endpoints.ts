import { LoginResponse, Person, Resolution } from '@hemicycle/protocol'
import { z } from 'zod'
import { api } from './http.ts'

/**
 * The routes the client uses, each with the schema its answer must match.
 * `base` is empty in the browser (same origin); tests point it at a server.
 */
export function createEndpoints(base = '') {
  return {
    login: (username: string, password: string) =>
      api(`${base}/api/login`, LoginResponse, { method: 'POST', body: { username, password } }),
    logout: () => api(`${base}/api/logout`, z.null(), { method: 'POST' }),
    me: () => api(`${base}/api/me`, Person),
    resolutions: (signal?: AbortSignal) => api(`${base}/api/resolutions`, z.array(Resolution), signal ? { signal } : {}),
    resolution: (id: string, signal?: AbortSignal) =>
      api(`${base}/api/resolutions/${encodeURIComponent(id)}`, Resolution, signal ? { signal } : {}),
  }
}

export type Endpoints = ReturnType<typeof createEndpoints>

export const endpoints = createEndpoints()
