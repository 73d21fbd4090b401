import {
  Amendment,
  type AmendmentChange,
  BulkAcceptance,
  type Decision,
  LoginResponse,
  type NewAmendment,
  type NewCompromise,
  Person,
  Preview,
  Redline,
  Resolution,
  type Response,
  type Stage,
} from '@hemicycle/protocol'
import { z } from 'zod'
import { api, HttpError } from './http.ts'

export interface StageMove {
  to: Stage
  reason?: string
  deadline?: string
  confirm?: boolean
  adoptedBy?: 'Council' | 'Conference'
  adoptedAt?: string
  event?: string
}

export const Version = z.object({ id: z.number(), label: z.string(), stage: z.string(), createdBy: z.string().nullable(), createdAt: z.string() })
export type Version = z.infer<typeof Version>

/**
 * The routes the client uses, each with the schema its answer must match.
 * `base` is empty in the browser (same origin); tests point it at a server.
 */
export function createEndpoints(base = '') {
  const resolutionPath = (id: string) => `${base}/api/resolutions/${encodeURIComponent(id)}`
  const amendmentPath = (id: string) => `${base}/api/amendments/${encodeURIComponent(id)}`
  const post = <T extends z.ZodType>(path: string, schema: T, body: unknown = {}) => api(path, schema, { method: 'POST', body })
  return {
    login: (username: string, password: string) => post(`${base}/api/login`, LoginResponse, { username, password }),
    logout: () => api(`${base}/api/logout`, z.null(), { method: 'POST' }),
    me: () => api(`${base}/api/me`, Person),
    resolutions: (signal?: AbortSignal) => api(`${base}/api/resolutions`, z.array(Resolution), signal ? { signal } : {}),
    resolution: (id: string, signal?: AbortSignal) => api(resolutionPath(id), Resolution, signal ? { signal } : {}),
    moveStage: (id: string, move: StageMove) => post(`${resolutionPath(id)}/stage`, Resolution, move),
    versions: (id: string) => api(`${resolutionPath(id)}/versions`, z.array(Version)),
    saveVersion: (id: string, label: string) => post(`${resolutionPath(id)}/versions`, Version, { label }),
    redline: (id: string, from: number, to: number | 'current') => api(`${resolutionPath(id)}/redline.json?from=${from}&to=${to}`, Redline),
    /** The resolution as its Markdown file (front matter and body). */
    markdown: async (id: string, signal?: AbortSignal) => {
      const response = await fetch(`${resolutionPath(id)}/export.md`, { credentials: 'same-origin', signal: signal ?? null })
      if (!response.ok) throw new HttpError(response.status, 'error', `The server answered ${response.status}.`)
      return response.text()
    },
    amendments: (id: string) => api(`${resolutionPath(id)}/amendments`, z.array(Amendment)),
    table: (id: string, amendment: NewAmendment) => post(`${resolutionPath(id)}/amendments`, Amendment, amendment),
    editAmendment: (aid: string, change: AmendmentChange) => api(amendmentPath(aid), Amendment, { method: 'PATCH', body: change }),
    withdraw: (aid: string) => post(`${amendmentPath(aid)}/withdraw`, Amendment),
    cosponsor: (aid: string) => post(`${amendmentPath(aid)}/cosponsor`, Amendment),
    preview: (aid: string) => api(`${amendmentPath(aid)}/preview`, Preview),
    decide: (aid: string, decision: Decision) => post(`${amendmentPath(aid)}/decision`, Amendment, decision),
    respond: (aid: string, response: Response) => post(`${amendmentPath(aid)}/response`, Amendment, response),
    compromise: (id: string, compromise: NewCompromise) => post(`${resolutionPath(id)}/compromises`, Amendment, compromise),
    acceptNonColliding: (id: string) => post(`${resolutionPath(id)}/amendments/accept-non-colliding`, BulkAcceptance),
  }
}

export type Endpoints = ReturnType<typeof createEndpoints>

export const endpoints = createEndpoints()
