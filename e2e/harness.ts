import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { readConfig, startHemicycle, type Hemicycle } from '@hemicycle/server'
import { type Browser, type BrowserContext, type BrowserServer, chromium, type Locator, type Page } from 'playwright-core'
import { afterAll, beforeAll, expect, inject } from 'vitest'
import { TEST_PASSWORD_COST } from '../apps/server/test/serverScripts.ts'
import { traceSockets } from './socketTrace.ts'

const root = fileURLToPath(new URL('..', import.meta.url))
export const WEB_ROOT = join(root, 'apps/web/dist')
export const ARTIFACTS = join(root, 'e2e/artifacts')

/** Debian's Chromium, never a downloaded one, started once for the run (`globalSetup.ts`). */
export function launchBrowserServer(): Promise<BrowserServer> {
  return chromium.launchServer({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
}

/** The run's Chromium, for one test file: what it opens is closed with it. */
export function connectBrowser(): Promise<Browser> {
  return chromium.connect(inject('browserEndpoint'))
}

/** A real server on loopback serving the built client, with its own embedded database, restartable on the same port. */
export class TestSite {
  private hemicycle: Hemicycle | null = null
  private port = 0
  readonly dataDir = mkdtempSync(join(tmpdir(), 'hemicycle-e2e-'))

  static async start(env: Record<string, string> = {}): Promise<TestSite> {
    if (!existsSync(join(WEB_ROOT, 'index.html'))) throw new Error('Build the client first: pnpm --filter @hemicycle/web build')
    const site = new TestSite(env)
    await site.boot()
    return site
  }

  private constructor(private readonly env: Record<string, string>) {}

  private async boot() {
    this.hemicycle = await startHemicycle({
      config: readConfig({
        PORT: String(this.port),
        HOST: '127.0.0.1',
        DATA_DIR: this.dataDir,
        WEB_ROOT,
        LOG_LEVEL: 'silent',
        ...TEST_PASSWORD_COST,
        PGLITE_TEMPLATE: inject('pgliteTemplate').directory,
        ...this.env,
      }),
    })
    this.port = this.hemicycle.port
  }

  get url() {
    return `http://127.0.0.1:${this.port}`
  }

  get services() {
    return this.hemicycle!.services
  }

  async restart() {
    await this.hemicycle!.close()
    await this.boot()
  }

  async close() {
    await this.hemicycle?.close()
    rmSync(this.dataDir, { recursive: true, force: true })
  }
}

/** Saves a screenshot of each step under e2e/artifacts/<test>/. */
export function screenshots(test: string) {
  const dir = join(ARTIFACTS, test)
  mkdirSync(dir, { recursive: true })
  let step = 0
  return async (page: Page, name: string) => {
    step += 1
    await page.screenshot({ path: join(dir, `${String(step).padStart(2, '0')}-${name}.png`), fullPage: false })
  }
}

/** A person's browser: their own context (cookies), logged in through the login form; with `trace`, its sockets are recorded (`socketTrace.ts`). */
export async function loggedIn(browser: Browser, site: TestSite, username: string, { trace = false } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' })
  if (trace) await traceSockets(context)
  const page = await context.newPage()
  await page.goto(site.url)
  await page.getByLabel('Username').fill(username)
  await page.getByLabel('Password').fill('demo')
  await page.getByRole('button', { name: 'Log in' }).click()
  await page.locator('.resolution-list a').first().waitFor()
  return { context, page }
}

/** A French-speaking person's own browser, in their own time zone and window, logged in through the login form. */
export async function frenchPerson(browser: Browser, site: TestSite, username: string, timezoneId: string, viewport = { width: 1280, height: 900 }) {
  const context = await browser.newContext({ viewport, locale: 'fr-FR', timezoneId })
  const page = await context.newPage()
  await page.goto(site.url)
  await page.getByLabel('Identifiant').fill(username)
  await page.getByLabel('Mot de passe').fill('demo')
  await page.getByRole('button', { name: 'Se connecter' }).click()
  await page.locator('.resolution-list a').first().waitFor()
  return { context, page }
}

/** The API as a script calls it, logged in as `username`: GET without a body, POST with one. */
export async function callApi(site: TestSite, path: string, username: string, body?: unknown) {
  const login = (await (await fetch(`${site.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'demo' }) })).json()) as { token: string }
  const response = await fetch(`${site.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${login.token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`)
  return response.json() as Promise<Record<string, unknown>>
}

/** The body of a text as the server holds it, read through what its paragraphs show (e2e does not load its own yjs). */
export interface ServerBody {
  get(index: number): { toArray(): Array<{ nodeName?: string; toString(): string }> }
}

/** The live body the server holds for resolution `id`. */
export async function serverBody(site: TestSite, id: string): Promise<ServerBody> {
  return (await site.services.collab.open(id)).doc.getXmlFragment('body') as unknown as ServerBody
}

/** A paragraph's words as the server holds them. */
export const serverText = (body: ServerBody, index: number) =>
  body
    .get(index)
    .toArray()
    .filter((child) => child.nodeName === undefined)
    .map((text) => text.toString())
    .join('')

/** Opens the demo draft from the list and waits until its text is on screen. */
export async function openDraft(page: Page) {
  await page.locator('.resolution-list a', { hasText: 'cohésion sociale' }).click()
  await page.locator('.resolution-text p').first().waitFor()
}

export const paragraph = (page: Page, index: number) => page.locator('.resolution-text > p').nth(index)

/** A paragraph's own text, without the margin or the name labels of other people's carets inside it. */
export function textOf(page: Page, index: number) {
  return paragraph(page, index).evaluate((element) => {
    const copy = element.cloneNode(true) as HTMLElement
    copy.querySelectorAll('.collaboration-carets__caret, .margin').forEach((decoration) => decoration.remove())
    return copy.textContent
  })
}

/** Pastes from a clipboard holding `data` (type → content) onto `target`, as a person's paste reaches it: the editor takes it at its caret. */
export async function paste(target: Locator, data: Record<string, string>): Promise<void> {
  await target.evaluate((element, entries) => {
    const clipboard = new DataTransfer()
    for (const [type, content] of Object.entries(entries)) clipboard.setData(type, content)
    element.dispatchEvent(new ClipboardEvent('paste', { clipboardData: clipboard, bubbles: true, cancelable: true }))
  }, data)
}

/** Puts the cursor at the very start of a paragraph, as a person clicking its first letter would. */
export async function clickStartOf(page: Page, index: number) {
  const target = paragraph(page, index)
  await target.click({ position: { x: 2, y: 8 } })
  await page.keyboard.press('Home')
  // ProseMirror learns of a caret moved by a key from the browser's selectionchange, a task later; a key pressed before
  // that acts where the caret was (a Backspace then did nothing, 1 run in 3). Waits until the editor's own selection is there.
  await expect
    .poll(() =>
      target.evaluate((element) => {
        const editor = (element.closest('.ProseMirror') as (HTMLElement & { editor?: { state: EditorStateLike; view: { nodeDOM(pos: number): Node | null } } }) | null)?.editor
        const selection = editor?.state.selection
        return selection !== undefined && selection.empty && selection.$from.parentOffset === 0 && editor!.view.nodeDOM(selection.$from.before()) === element
      }),
    )
    .toBe(true)
}

/**
 * Presses keys that move the caret (Home, End, arrows) and waits until the editor holding the focus has read where it went.
 * ProseMirror learns of such a move from the browser's selectionchange, a task later, and acts on its own selection: a
 * Backspace, Delete or Enter pressed at once acted where the caret had been (a "." at a paragraph's end deleted, 1 run in 40).
 */
export async function moveCaret(page: Page, ...keys: string[]): Promise<void> {
  for (const key of keys) await page.keyboard.press(key)
  await expect
    .poll(() =>
      page.evaluate(() => {
        const element = document.activeElement?.closest('.ProseMirror') as (HTMLElement & { editor?: { state: { selection: { head: number } }; view: { posAtDOM(node: Node, offset: number): number } } }) | null
        const editor = element?.editor
        const selection = document.getSelection()
        if (!editor || !selection?.focusNode || !element!.contains(selection.focusNode)) return false
        return editor.view.posAtDOM(selection.focusNode, selection.focusOffset) === editor.state.selection.head
      }),
    )
    .toBe(true)
}

/** The little of ProseMirror's state `clickStartOf` reads through the editor TipTap hangs on its element. */
interface EditorStateLike {
  selection: { empty: boolean; $from: { parentOffset: number; before(): number } }
}

/**
 * The browser's network cable: Chromium's offline emulation stops new
 * requests but leaves open websockets alone, so sockets are also cut here,
 * between page and server, and refused until the cable is back.
 */
export async function networkCable(context: BrowserContext) {
  let plugged = true
  const open = new Set<{ close(options?: { code?: number; reason?: string }): Promise<void> }>()
  await context.routeWebSocket(/\/collab\//, (socket) => {
    if (!plugged) {
      void socket.close({ code: 4000, reason: 'offline' })
      return
    }
    socket.connectToServer()
    open.add(socket)
    socket.onClose(() => open.delete(socket))
  })
  return {
    async unplug() {
      plugged = false
      await context.setOffline(true)
      await Promise.all([...open].map((socket) => socket.close({ code: 4000, reason: 'offline' })))
    },
    async plug() {
      plugged = true
      await context.setOffline(false)
    },
  }
}

export async function statusOf(page: Page) {
  return page.locator('[data-status]').getAttribute('data-status')
}

export async function eventually(check: () => Promise<void>, timeout = 10_000) {
  await expect.poll(async () => {
    try {
      await check()
      return true
    } catch {
      return false
    }
  }, { timeout, interval: 50 }).toBe(true)
}

/** A browser and a fresh site for the tests of one file, started before them and closed after. */
export function browserAndSite(env: Record<string, string> = {}): { browser: () => Browser; site: () => TestSite } {
  let browser: Browser | null = null
  let site: TestSite | null = null
  beforeAll(async () => {
    ;[browser, site] = await Promise.all([connectBrowser(), TestSite.start(env)])
  })
  afterAll(async () => {
    await browser?.close()
    await site?.close()
  })
  return { browser: () => browser!, site: () => site! }
}
