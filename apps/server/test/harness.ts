import { randomUUID } from 'node:crypto'
import { request as httpRequest } from 'node:http'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { findBlock } from '@hemicycle/amendments'
import { MessageType } from '@hemicycle/protocol'
import { readBody } from '@hemicycle/schema'
import pg from 'pg'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { expect, inject } from 'vitest'
import WebSocket from 'ws'
import * as authProtocol from 'y-protocols/auth'
import * as syncProtocol from 'y-protocols/sync'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { readConfig, type Config } from '../src/config.ts'
import type { Database, Queryable } from '../src/db/database.ts'
import { openDatabase } from '../src/db/open.ts'
import { startHemicycle, type Hemicycle, type HemicycleOptions } from '../src/hemicycle.ts'
import { TEST_PASSWORD_COST, templateFor } from './serverScripts.ts'

export type Engine = 'pglite' | 'postgres'
export const ENGINES: Engine[] = ['pglite', 'postgres']

/** A new, empty database on the test PostgreSQL server. */
export async function freshPostgresUrl(): Promise<string> {
  const admin = inject('postgresUrl')
  const name = `hemicycle_${randomUUID().replace(/-/g, '')}`
  const client = new pg.Client({ connectionString: admin })
  await client.connect()
  await client.query(`create database ${name}`)
  await client.end()
  return admin.replace(/\/[^/]*$/, `/${name}`)
}

/** Where a test server keeps its data: a PGlite directory or a PostgreSQL database, reusable across restarts. */
export interface Storage {
  engine: Engine
  env: { DATA_DIR: string; DATABASE_URL?: string }
  remove(): void
}

export async function freshStorage(engine: Engine): Promise<Storage> {
  const dir = mkdtempSync(join(tmpdir(), 'hemicycle-test-'))
  const env = engine === 'postgres' ? { DATA_DIR: dir, DATABASE_URL: await freshPostgresUrl() } : { DATA_DIR: dir }
  return { engine, env, remove: () => rmSync(dir, { recursive: true, force: true }) }
}

/**
 * A new embedded database in memory, migrated: a copy of the run's template, as every test server's starts. Creating
 * one (initdb, then every migration) took 3-4 s of CPU each time, and the tests that open their own took minutes of it.
 */
export function memoryDatabase(): Promise<Database> {
  const dataDir = 'memory://'
  return openDatabase({ dataDir, template: templateFor(inject('pgliteTemplate'), dataDir) })
}

export function testConfig(env: Record<string, string | undefined> = {}): Config {
  return readConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    WEB_ROOT: '/nonexistent',
    UNLOAD_AFTER_MS: '200',
    // Many servers share a test process: none stops it to collect garbage unless a test asks (memory.test.ts).
    RELEASE_MEMORY_AFTER_MS: '0',
    ...TEST_PASSWORD_COST,
    PGLITE_TEMPLATE: templateFor(inject('pgliteTemplate'), env['DATA_DIR']),
    ...env,
  })
}

export interface TestServer {
  hemicycle: Hemicycle
  url: string
  wsUrl: string
  /** The id of the demo draft. */
  resolutionId: string
  login(username: string, password?: string): Promise<string>
  api(path: string, init?: RequestInit & { token?: string }): Promise<Response>
  close(): Promise<void>
}

export async function startTestServer(
  env: Record<string, string | undefined> = {},
  options: Omit<HemicycleOptions, 'config'> = {},
): Promise<TestServer> {
  const hemicycle = await startHemicycle({ config: testConfig(env), ...options })
  const url = hemicycle.url
  const api = (path: string, { token, headers, ...init }: RequestInit & { token?: string } = {}) =>
    fetch(`${url}${path}`, { ...init, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(headers as Record<string, string>) } })
  const login = async (username: string, password = 'demo') => {
    const response = await api('/api/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    })
    if (response.status !== 200) throw new Error(`login as ${username} failed: ${response.status}`)
    return ((await response.json()) as { token: string }).token
  }
  const secretariat = await login('secretariat')
  const list = (await (await api('/api/resolutions', { token: secretariat })).json()) as Array<{ id: string; title: string }>
  const draft = list.find((resolution) => resolution.title.startsWith('Résolution : cohésion sociale'))
  return {
    hemicycle,
    url,
    wsUrl: url.replace(/^http/, 'ws'),
    resolutionId: draft?.id ?? '',
    login,
    api,
    close: () => hemicycle.close(),
  }
}

export interface Client {
  doc: Y.Doc
  provider: WebsocketProvider
  synced: Promise<void>
  /** Permission-denied reasons the server sent. */
  denials: string[]
  /** Resolves once the server acknowledges that everything this client typed is stored. */
  saved(): Promise<void>
  /** How many "saved" acknowledgements the server has sent this client. */
  acknowledgements(): number
  destroy(): void
}

/** A stock client that types while cut off from the server, so what it types is concurrent with what the server does `meanwhile`; back online once it has. */
export async function typedOffline(wsUrl: string, resolutionId: string, token: string, type: (doc: Y.Doc) => void, meanwhile: () => Promise<void>): Promise<Client> {
  const client = connectClient(wsUrl, resolutionId, token)
  await client.synced
  client.provider.disconnect()
  type(client.doc)
  await meanwhile()
  client.provider.connect()
  await client.saved()
  return client
}

/** A websocket whose frames each leave `ms` late, in order: a client far away, whose first messages reach the server well after it took the socket. */
export function slowSending(ms: number): typeof WebSocket {
  return class SlowSending extends WebSocket {
    override send(data: Uint8Array): void {
      setTimeout(() => {
        if (this.readyState === WebSocket.OPEN) super.send(data)
      }, ms)
    }
  }
}

// Each stock client below listens for the process's exit until it is destroyed; a test with a room of them passed Node's
// warning threshold (10) and filled the run's output with "possible memory leak" warnings.
process.setMaxListeners(Math.max(process.getMaxListeners(), 1_000))

/** A stock y-websocket client, as any integrator would connect (with `doc`: a tab reconnecting with the document it has; with `socket`: over another websocket). */
export function connectClient(wsUrl: string, resolutionId: string, token: string | null, params: Record<string, string> = {}, doc = new Y.Doc(), socket: typeof WebSocket = WebSocket): Client {
  const provider = new WebsocketProvider(`${wsUrl}/collab`, resolutionId, doc, {
    WebSocketPolyfill: socket as unknown as typeof globalThis.WebSocket,
    params: { ...(token ? { token } : {}), acks: '1', ...params },
    disableBc: true,
    maxBackoffTime: 200,
  })
  const denials: string[] = []
  // A stock client only logs a refusal; the tests want to see it.
  provider.messageHandlers[MessageType.Auth] = (_encoder, decoder) => {
    authProtocol.readAuthMessage(decoder, doc, (_doc, reason) => denials.push(reason))
  }
  let stored = new Map<number, number>()
  let acknowledgements = 0
  provider.messageHandlers[MessageType.Saved] = (_encoder, decoder) => {
    stored = Y.decodeStateVector(decoding.readVarUint8Array(decoder))
    acknowledgements += 1
  }
  const synced = new Promise<void>((resolve) => {
    if (provider.synced) resolve()
    provider.on('sync', (isSynced: boolean) => isSynced && resolve())
  })
  return {
    doc,
    provider,
    synced,
    denials,
    saved: () => eventually(() => expect(stored.get(doc.clientID) ?? 0).toBe(Y.getState(doc.store, doc.clientID)), { interval: 5 }),
    acknowledgements: () => acknowledgements,
    destroy() {
      provider.destroy()
      doc.destroy()
    },
  }
}

/** A new French draft of these paragraphs, imported by `importer` (the secretariat), with its blocks' ids as `reader` sees them. */
export async function importDraft(server: TestServer, importer: string, reader: string, paragraphs: readonly string[]): Promise<{ id: string; blocks: string[] }> {
  const form = new FormData()
  form.append('file', new File([`---\ntitle: "Test ${Math.random()}"\nlanguage: fr\n---\n\n${paragraphs.join('\n\n')}\n`], 'draft.md'))
  const { id } = await ok<{ id: string }>(await server.api('/api/resolutions/import', { method: 'POST', body: form, token: importer }), 201)
  const { blocks } = await readBlocks(server.wsUrl, id, reader)
  return { id, blocks }
}

/** A resolution's top-level blocks as a reader connected with `token` sees them: each one's id and its text, in order. */
export async function readBlocks(wsUrl: string, resolutionId: string, token: string): Promise<{ blocks: string[]; texts: string[] }> {
  const reader = connectClient(wsUrl, resolutionId, token)
  try {
    await reader.synced
    const blocks: string[] = []
    const texts: string[] = []
    readBody(reader.doc).forEach((node) => {
      blocks.push(node.attrs['id'] as string)
      texts.push(node.textContent)
    })
    return { blocks, texts }
  } finally {
    reader.destroy()
  }
}

/** The text of each top-level block of a client's document. */
export function paragraphs(doc: Y.Doc): string[] {
  const body = readBody(doc)
  const out: string[] = []
  body.forEach((node) => out.push(node.textContent))
  return out
}

/** Inserts `text` at `offset` in the `index`-th top-level block (a paragraph). */
export function typeInto(doc: Y.Doc, index: number, offset: number, text: string): void {
  const paragraph = doc.getXmlFragment('body').get(index) as Y.XmlElement
  const content = paragraph.get(0) as Y.XmlText
  content.insert(offset, text)
}

/** Inserts `text` at `offset` in the textblock with this id, wherever it has moved to. */
export function typeIntoBlock(doc: Y.Doc, blockId: string, offset: number, text: string): void {
  const block = findBlock(doc, blockId)
  if (!block) throw new Error(`no block ${blockId}`)
  ;(block.element.get(0) as Y.XmlText).insert(offset, text)
}

export async function eventually<T>(check: () => T | Promise<T>, { timeout = 5000, interval = 20 } = {}): Promise<T> {
  const started = Date.now()
  let lastError: unknown
  for (;;) {
    try {
      return await check()
    } catch (error) {
      lastError = error
    }
    if (Date.now() - started > timeout) throw lastError
    await new Promise((resolve) => setTimeout(resolve, interval))
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export interface RawSocket {
  socket: WebSocket
  received: Uint8Array[]
  closed: Promise<{ code: number; reason: string }>
}

/** A raw websocket, to send what no y-websocket client would. */
export function openRaw(wsUrl: string, path: string): Promise<RawSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${wsUrl}${path}`)
    const received: Uint8Array[] = []
    const closed = new Promise<{ code: number; reason: string }>((done) => socket.on('close', (code, reason) => done({ code, reason: reason.toString() })))
    socket.on('message', (data: Buffer) => received.push(new Uint8Array(data)))
    socket.on('open', () => resolve({ socket, received, closed }))
    socket.on('unexpected-response', (_request, response) => reject(new Error(`HTTP ${response.statusCode}`)))
    socket.on('error', reject)
  })
}

/** A y-websocket sync message carrying `update`. */
export function syncMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.Sync)
  syncProtocol.writeUpdate(encoder, update)
  return encoding.toUint8Array(encoder)
}

/** "Send me everything" (or, with `doc`, what it lacks): a y-websocket sync request (step 1), with an empty state vector unless `doc` has something. The answer comes after whatever was sent before it. */
export function syncRequestMessage(doc = new Y.Doc()): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.Sync)
  syncProtocol.writeSyncStep1(encoder, doc)
  return encoding.toUint8Array(encoder)
}

/** A y-websocket sync reply (step 2), as a client answers the server's request: what `doc` has beyond `stateVector`. */
export function syncReplyMessage(doc: Y.Doc, stateVector: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.Sync)
  syncProtocol.writeSyncStep2(encoder, doc, stateVector)
  return encoding.toUint8Array(encoder)
}

/** A y-websocket awareness message carrying `update`. */
export function awarenessMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.Awareness)
  encoding.writeVarUint8Array(encoder, update)
  return encoding.toUint8Array(encoder)
}

/** A Yjs update (v1) that only deletes: these [client, clock, length] ranges. */
export function deleteSetUpdate(ranges: ReadonlyArray<[number, number, number]>): Uint8Array {
  const byClient = new Map<number, Array<[number, number]>>()
  for (const [client, clock, length] of ranges) {
    const list = byClient.get(client) ?? []
    list.push([clock, length])
    byClient.set(client, list)
  }
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, 0)
  encoding.writeVarUint(encoder, byClient.size)
  for (const [client, list] of byClient) {
    encoding.writeVarUint(encoder, client)
    encoding.writeVarUint(encoder, list.length)
    for (const [clock, length] of list) {
      encoding.writeVarUint(encoder, clock)
      encoding.writeVarUint(encoder, length)
    }
  }
  return encoding.toUint8Array(encoder)
}

/** The JSON an answer carries, once its status is `status` (the answer's text in the failure otherwise). */
export async function ok<T>(response: Response, status = 200): Promise<T> {
  const text = await response.text()
  expect(response.status, text).toBe(status)
  return JSON.parse(text) as T
}

/**
 * A refusal as the API gives it: `status`, JSON with `error.code` = `code`
 * and a message a person can read. Returns the error, with whatever else it
 * carries (e.g. `outstanding`).
 */
export async function expectError<E extends Record<string, unknown> = Record<string, unknown>>(response: Response, status: number, code: string): Promise<{ code: string; message: string } & E> {
  const text = await response.text()
  let body: { error?: { code?: unknown; message?: unknown } }
  try {
    body = JSON.parse(text) as typeof body
  } catch {
    throw new Error(`${response.status}, not JSON: ${text.slice(0, 200)}`)
  }
  expect({ status: response.status, code: body.error?.code }, text).toEqual({ status, code })
  expect(response.headers.get('content-type')).toMatch(/application\/json/)
  expect(typeof body.error?.message === 'string' && body.error.message.length > 10, text).toBe(true)
  return body.error as { code: string; message: string } & E
}

/** A JSON POST sent from a chosen local address (any 127.x.y.z on Linux), as from another client machine. */
export function postFrom(url: string, address: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body)
    const request = httpRequest(url, { method: 'POST', localAddress: address, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...headers } }, (response) => {
      let text = ''
      response.setEncoding('utf8')
      response.on('data', (chunk: string) => (text += chunk))
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text }))
    })
    request.on('error', reject)
    request.end(payload)
  })
}

/** The real database, every query answered `delayMs` late (as a networked PostgreSQL under load might), to widen the windows races slip through. */
export function slowed(db: Database): Database & { delayMs: number } {
  const late = <T>(work: () => Promise<T>) => new Promise<void>((resolve) => setTimeout(resolve, wrapper.delayMs)).then(work)
  const slow = (target: Queryable): Queryable => ({ query: (sql, params) => late(() => target.query(sql, params)) })
  const wrapper: Database & { delayMs: number } = {
    delayMs: 0,
    kind: db.kind,
    query: (sql, params) => late(() => db.query(sql, params)),
    run: (statement, params) => late(() => db.run(statement, params)),
    exec: (sql) => late(() => db.exec(sql)),
    transaction: (work) => db.transaction((tx) => work(slow(tx))),
    lock: (key, mode) => late(() => db.lock(key, mode)),
    close: () => db.close(),
  }
  return wrapper
}
