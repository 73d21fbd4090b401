import type { WebSocketRoute } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { browserAndSite, clickStartOf, loggedIn, openDraft, screenshots, textOf } from './harness.ts'

const { browser, site } = browserAndSite({ LOST_CHANGES_GRACE_MS: '1500' })

/**
 * An instance passes Lucía's typing to Erik's tab and dies before storing it; Lucía's tab is gone for good. Erik's tab
 * shows words no one else's text holds. The server, which leaves them out of his tab's answer (not his to bring),
 * waits for their author, then tells the tab to open the text afresh (4411): the page takes the server's text and
 * offers back the words it showed, saying where they came from.
 */
describe('a tab showing another’s words that an interruption lost', () => {
  it('takes the server’s text once their author stays away, and offers the words back as lost', async () => {
    const shot = screenshots('others-lost')
    const erik = await loggedIn(browser(), site(), 'erik')
    const lucia = await loggedIn(browser(), site(), 'lucia')
    // Erik's page as the dying instance would serve it: Lucía's typing reaches it, and never the server.
    let erikPage: WebSocketRoute | null = null
    await erik.context.routeWebSocket(/\/collab\//, (socket) => {
      const server = socket.connectToServer()
      erikPage = socket
      socket.onMessage((message) => server.send(message))
      server.onMessage((message) => socket.send(message))
    })
    let intercepting = false
    await lucia.context.routeWebSocket(/\/collab\//, (socket) => {
      const server = socket.connectToServer()
      socket.onMessage((message) => {
        const bytes = typeof message === 'string' ? null : new Uint8Array(message)
        // A y-websocket update (sync, update): to Erik's page only.
        if (intercepting && bytes && bytes[0] === 0 && bytes[1] === 2) erikPage?.send(message)
        else if (!intercepting) server.send(message)
      })
      server.onMessage((message) => socket.send(message))
    })
    await openDraft(erik.page)
    await openDraft(lucia.page)
    const before = await textOf(erik.page, 2)
    intercepting = true
    await clickStartOf(lucia.page, 2)
    await lucia.page.keyboard.type('Perdu. ')
    await expect.poll(() => textOf(erik.page, 2)).toBe(`Perdu. ${before}`)
    await shot(erik.page, 'shows-lost-words')
    await lucia.context.close()

    const id = (await site().services.db.query<{ id: string }>('select id from resolutions limit 1'))[0]!.id
    // The text as the server holds it, paragraph by paragraph.
    const serverText = async () => (await site().services.collab.open(id)).doc.getXmlFragment('body').toString().replace(/<[^>]*>/g, '\n')
    expect(await serverText()).toContain(`\n${before}\n`)
    expect(await serverText()).not.toContain('Perdu.')
    // Erik's socket drops (the instance died): his tab answers the next one with Lucía's words, left out, and waits.
    erikPage!.close({ code: 1001 })

    const notice = erik.page.getByTestId('unsaved')
    await notice.waitFor({ timeout: 15_000 })
    expect(await notice.locator('p').textContent()).toMatch(/^§\s?\d+ as this tab showed it held words the server never received/)
    expect(await notice.getByTestId('unsaved-words').textContent()).toContain('Perdu. ')
    await expect.poll(() => textOf(erik.page, 2)).toBe(before)
    await shot(erik.page, 'lost-words-offered')
    // The tab goes on with the server's text.
    await clickStartOf(erik.page, 2)
    await erik.page.keyboard.type('Erik. ')
    await expect.poll(serverText, { timeout: 10_000 }).toContain(`\nErik. ${before}\n`)
    expect(await serverText()).not.toContain('Perdu.')
    await erik.context.close()
  })
})
