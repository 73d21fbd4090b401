import type { WebSocketRoute } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { browserAndSite, clickStartOf, loggedIn, openDraft, screenshots, statusOf, textOf } from './harness.ts'

const { browser, site } = browserAndSite()

async function draftOnServer() {
  const id = (await site().services.db.query<{ id: string }>('select id from resolutions limit 1'))[0]!.id
  const live = async () => site().services.collab.open(id)
  return {
    /** The Yjs ids the text holds changes under. */
    ids: async () => new Set((await live()).doc.store.clients.keys()),
    /** Whether someone's presence is on the server under `client`: a tab writing under a reused id shows under it too. */
    presentUnder: async (client: number) => (await live()).awareness.getStates().has(client),
    text: async () => (await live()).doc.getXmlFragment('body').toString().replace(/<[^>]*>/g, '\n'),
  }
}

/**
 * Yjs gives every new document a random id, and a text keeps each id that
 * ever wrote in it: every transaction, on the server and in each tab, walks
 * them all. A person's tabs reuse the ids of their pool in this browser, so
 * the text gains an id only for tabs open at once.
 */
describe('the Yjs ids a person writes under', () => {
  it('are reused by the next tab of the same browser, while tabs open at once each have their own, and nothing typed is lost', async () => {
    const shot = screenshots('client-id-reuse')
    const server = await draftOnServer()
    const before = await server.ids()
    const newIds = async () => [...(await server.ids())].filter((client) => !before.has(client))

    const { context, page } = await loggedIn(browser(), site(), 'claire')
    await openDraft(page)
    const original = await textOf(page, 2)
    await clickStartOf(page, 2)
    await page.keyboard.type('Un ')
    await expect.poll(server.text, { timeout: 10_000 }).toContain(`\nUn ${original}\n`)
    expect(await newIds()).toHaveLength(1)
    const [first] = await newIds()

    // The same page opened again: a new Y.Doc, the same id once the old page's socket is gone, its clock going on from there.
    await page.reload()
    await expect.poll(() => server.presentUnder(first!), { timeout: 10_000 }).toBe(true)
    await clickStartOf(page, 2)
    await page.keyboard.type('Deux ')
    await expect.poll(server.text, { timeout: 10_000 }).toContain(`\nDeux Un ${original}\n`)
    expect(await newIds()).toEqual([first])
    await expect.poll(() => statusOf(page)).toBe('saved')
    // Only other people's carets are drawn as theirs: this tab's own, now under the reused id, is not.
    expect(await page.locator('.collaboration-carets__caret').count()).toBe(0)

    // A second tab open beside it takes an id of its own; both go on writing.
    const second = await context.newPage()
    await second.goto(page.url())
    await second.locator('.resolution-text p').first().waitFor()
    const third = await textOf(second, 3)
    await clickStartOf(second, 3)
    await second.keyboard.type('Trois ')
    await clickStartOf(page, 2)
    await page.keyboard.type('Quatre ')
    await expect.poll(server.text, { timeout: 10_000 }).toContain(`\nQuatre Deux Un ${original}\n`)
    await expect.poll(server.text, { timeout: 10_000 }).toContain(`\nTrois ${third}\n`)
    await expect.poll(() => textOf(second, 2)).toBe(`Quatre Deux Un ${original}`)
    await expect.poll(() => textOf(page, 3)).toBe(`Trois ${third}`)
    expect(await newIds()).toHaveLength(2)
    await shot(second, 'second-tab')

    // Both closed, a new tab takes one of the two again.
    const url = page.url()
    await second.close()
    await page.close()
    const last = await context.newPage()
    await last.goto(url)
    await expect.poll(async () => (await Promise.all((await newIds()).map(server.presentUnder))).includes(true), { timeout: 10_000 }).toBe(true)
    await clickStartOf(last, 2)
    await last.keyboard.type('Cinq ')
    await expect.poll(server.text, { timeout: 10_000 }).toContain(`\nCinq Quatre Deux Un ${original}\n`)
    expect(await newIds()).toHaveLength(2)
    await context.close()
  })

  it('show the person to the others again after a reload, though they heard the id at a later clock before', async () => {
    const server = await draftOnServer()
    const claire = await loggedIn(browser(), site(), 'claire')
    const kwame = await loggedIn(browser(), site(), 'kwame')
    await openDraft(claire.page)
    await openDraft(kwame.page)
    await clickStartOf(claire.page, 2)
    await claire.page.keyboard.type('Vu ')
    // Every caret move is presence at a new clock under the id: the others keep the last one after the tab has gone.
    for (let move = 0; move < 30; move++) await claire.page.keyboard.press(move % 2 ? 'ArrowLeft' : 'ArrowRight')
    const caret = kwame.page.locator('.collaboration-carets__label', { hasText: 'Claire Martin' })
    await caret.waitFor({ timeout: 10_000 })
    const ids = [...(await server.ids())]

    await claire.page.reload()
    await expect.poll(async () => (await Promise.all(ids.map(server.presentUnder))).includes(true), { timeout: 10_000 }).toBe(true)
    await clickStartOf(claire.page, 3)
    await claire.page.keyboard.press('ArrowRight')
    await caret.waitFor({ timeout: 5_000 })
    await expect.poll(() => kwame.page.locator('.presence li').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('Claire Martin')]))
    await claire.context.close()
    await kwame.context.close()
  })

  it('follow when changes under the id come from elsewhere after all: what the last tab sent late lands, and this tab counts and shows only its own', async () => {
    const server = await draftOnServer()
    const before = await server.ids()
    const { context, page } = await loggedIn(browser(), site(), 'claire')
    // Between page and server: while `holding`, what the page sends stays here; the server's side of a closed page's socket stays
    // open, as when its last segments are still on their way.
    const routes: Array<{ server: WebSocketRoute; url: string; held: Array<string | Buffer>; holding: boolean }> = []
    await context.routeWebSocket(/\/collab\//, (socket) => {
      const route = { server: socket.connectToServer(), url: socket.url(), held: [] as Array<string | Buffer>, holding: false }
      routes.push(route)
      socket.onMessage((message) => (route.holding ? route.held.push(message) : route.server.send(message)))
      socket.onClose(() => {})
    })
    await openDraft(page)
    const original = await textOf(page, 2)
    await clickStartOf(page, 2)
    await page.keyboard.type('Un deux trois ')
    await expect.poll(server.text, { timeout: 10_000 }).toContain(`\nUn deux trois ${original}\n`)
    const [taken] = [...(await server.ids())].filter((client) => !before.has(client))
    const old = routes.at(-1)!
    old.holding = true
    await page.keyboard.type('tard ')
    page.on('dialog', (dialog) => void dialog.accept())
    await page.reload()
    await page.locator('.resolution-text p').first().waitFor()
    await expect.poll(() => server.presentUnder(taken!), { timeout: 10_000 }).toBe(true)
    // The old page's last words arrive after the new page synced and took the id (here on a socket of the same person standing
    // for the old one, which Chromium closed with the page: on the server a socket's last messages are read before its close,
    // and a tab takes an id only once the presence of the last tab under it is gone). Yjs then gives the tab a new id.
    const elsewhere = await loggedIn(browser(), site(), 'claire')
    const frames = old.held.map((message) => [...(typeof message === 'string' ? Buffer.from(message) : message)])
    await elsewhere.page.evaluate(
      async ({ url, frames }) => {
        const socket = new WebSocket(url)
        socket.binaryType = 'arraybuffer'
        await new Promise((resolve) => (socket.onopen = resolve))
        for (const frame of frames) socket.send(new Uint8Array(frame))
        await new Promise((resolve) => setTimeout(resolve, 1000))
        socket.close()
      },
      { url: old.url, frames },
    )
    await expect.poll(() => textOf(page, 2), { timeout: 10_000 }).toBe(`Un deux trois tard ${original}`)
    await expect.poll(server.text, { timeout: 10_000 }).toContain(`\nUn deux trois tard ${original}\n`)
    await clickStartOf(page, 3)
    await page.keyboard.type('Neuf ')
    await expect.poll(server.text, { timeout: 10_000 }).toContain('\nNeuf ')
    await expect.poll(() => statusOf(page)).toBe('saved')
    expect(await page.locator('.collaboration-carets__caret').count()).toBe(0)
    // Unsent, it is unsaved: said, and leaving the page asks first.
    routes.at(-1)!.holding = true
    await page.keyboard.type('Perdu ')
    await expect.poll(() => statusOf(page)).toBe('syncing')
    let warned = false
    page.removeAllListeners('dialog')
    page.on('dialog', (dialog) => {
      warned = dialog.type() === 'beforeunload'
      void dialog.dismiss()
    })
    await page.close({ runBeforeUnload: true })
    await expect.poll(() => warned).toBe(true)
    await context.close()
    await elsewhere.context.close()
  })
})
