import type { WebSocketRoute } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { browserAndSite, clickStartOf, loggedIn, openDraft, screenshots, textOf } from './harness.ts'

const { browser, site } = browserAndSite()

/**
 * The server closes a socket for good (4400) over a change it will not
 * take: stock y-websocket does not reconnect after a 44xx close. The tab
 * must neither go on as if "offline, sent when the connection returns",
 * nor lose what was typed without saying so.
 */
describe('a tab whose socket the server closed for good', () => {
  it('takes the server’s text again, goes on saving, and gives back what was not saved', async () => {
    const shot = screenshots('closed-for-good')
    const { context, page } = await loggedIn(browser(), site(), 'erik')
    // Between page and server: while `holding`, what the page sends stays here; `spoil` sends the server a frame it cannot read.
    let holding = false
    let current: { server: WebSocketRoute } | null = null
    await context.routeWebSocket(/\/collab\//, (socket) => {
      const server = socket.connectToServer()
      socket.onMessage((message) => {
        if (!holding) server.send(message)
      })
      current = { server }
    })
    await openDraft(page)
    const before = await textOf(page, 2)
    await clickStartOf(page, 2)
    await page.keyboard.type('Kept ')
    const id = (await site().services.db.query<{ id: string }>('select id from resolutions limit 1'))[0]!.id
    // The text as the server holds it, paragraph by paragraph.
    const serverText = async () => (await site().services.collab.open(id)).doc.getXmlFragment('body').toString().replace(/<[^>]*>/g, '\n')
    await expect.poll(serverText, { timeout: 10_000 }).toContain(`\nKept ${before}\n`)

    holding = true
    await page.keyboard.type('lost ')
    // A frame the server cannot read: it closes the socket with 4400, as for any change it will not take.
    current!.server.send(Buffer.from([0, 0, 0xff, 0xff, 0xff, 0xff, 0x0f]))
    holding = false

    const notice = page.getByTestId('unsaved')
    await notice.waitFor({ timeout: 10_000 })
    expect(await notice.locator('p').textContent()).toMatch(/^Your last changes to §\d+ were not saved: the server refused them\./)
    expect(await notice.getByTestId('unsaved-words').textContent()).toContain('Kept lost ')
    // The text is the server's again, and typing is saved again.
    await expect.poll(() => textOf(page, 2)).toBe(`Kept ${before}`)
    await shot(page, 'not-saved-offered')
    await clickStartOf(page, 2)
    await page.keyboard.type('Again ')
    await expect.poll(serverText, { timeout: 10_000 }).toContain(`\nAgain Kept ${before}\n`)
    expect(await serverText()).not.toContain('lost')
    await context.close()
  })
})
