import { describe, expect, it } from 'vitest'
import { browserAndSite, clickStartOf, loggedIn, openDraft, paragraph, paste, serverBody, serverText, statusOf, textOf } from './harness.ts'

const { browser, site } = browserAndSite()

/** `MAX_BLOCK_TEXT` of @hemicycle/schema, which e2e does not load. */
const MAX_BLOCK_TEXT = 10_000

describe('pasting more than a paragraph may hold', () => {
  it('leaves the paragraph as it was, says why, and the tab goes on saving what is typed next', async () => {
    const id = (await site().services.db.query<{ id: string }>('select id from resolutions limit 1'))[0]!.id
    const body = await serverBody(site(), id)
    const before = serverText(body, 2)

    const { page } = await loggedIn(browser(), site(), 'claire')
    await openDraft(page)
    await clickStartOf(page, 2)
    const pasted = 'Le Conseil rappelle sa résolution. '.repeat(Math.ceil((MAX_BLOCK_TEXT + 1 - before.length) / 35) + 1)
    await paste(paragraph(page, 2), { 'text/plain': pasted })

    await page.getByTestId('block-too-long').waitFor()
    expect(await page.getByTestId('block-too-long').textContent()).toMatch(/at most 10,000 characters/)
    expect(await textOf(page, 2)).toBe(before)

    // Still connected and saving: a word typed next reaches the server, and the paste never did.
    await page.keyboard.type('Vu ')
    await expect.poll(() => serverText(body, 2)).toBe(`Vu ${before}`)
    await expect.poll(() => statusOf(page)).toBe('saved')
  })
})
