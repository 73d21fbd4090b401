import type { BrowserContext, Page } from 'playwright-core'

/**
 * Records, in every page the context opens from now on, what becomes of its
 * collaboration sockets: opened, and closed with which code and reason. When
 * text typed on one screen never shows on another, a socket closed for good
 * (4400: an update the server refused; y-websocket does not reconnect after
 * a 44xx) or one that dropped and reconnected says which side lost it.
 */
export async function traceSockets(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const trace: string[] = []
    ;(window as unknown as { socketTrace: string[] }).socketTrace = trace
    const Native = window.WebSocket
    window.WebSocket = class extends Native {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols)
        // `/collab/<id>` is the original, `/collab/<id>/<language>` a version.
        const name = new URL(String(url)).pathname.split('/')[3] ?? 'original'
        const at = () => `${(performance.now() / 1000).toFixed(1)} s`
        trace.push(`${at()} ${name} opening`)
        this.addEventListener('open', () => trace.push(`${at()} ${name} open`))
        this.addEventListener('close', (event) => trace.push(`${at()} ${name} closed ${event.code} ${event.reason}`))
      }
    }
  })
}

/** What `traceSockets` recorded in the page, oldest first. */
export function socketTrace(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { socketTrace?: string[] }).socketTrace ?? ['(not traced)']).catch((error: unknown) => [`(unreadable: ${String(error)})`])
}
