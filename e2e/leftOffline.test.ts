import { describe, expect, it } from 'vitest'
import { browserAndSite, callApi, loggedIn, networkCable, openDraft, paragraph, serverBody, serverText, textOf } from './harness.ts'

const { browser, site } = browserAndSite()

/**
 * Offline, the page says changes "stay here and are sent when the
 * connection returns". Leaving the text for the list of resolutions
 * destroyed its session, and with it what had been typed: nothing was sent,
 * nothing said.
 */
describe('words typed offline, then the text left for another page of the app', () => {
  it('are sent when the connection returns', async () => {
    const { context, page } = await loggedIn(browser(), site(), 'claire')
    const cable = await networkCable(context)
    await openDraft(page)
    const id = (await site().services.db.query<{ id: string }>('select id from resolutions limit 1'))[0]!.id
    const before = await textOf(page, 0)
    await cable.unplug()
    await paragraph(page, 0).click()
    await page.keyboard.press('End')
    await page.keyboard.type(' Typed offline.')
    await expect.poll(() => page.locator('[data-status]').getAttribute('data-status')).toBe('offline')
    await page.getByRole('link', { name: /All resolutions/ }).click()
    await expect.poll(() => page.locator('.resolution-text').count()).toBe(0)
    await cable.plug()
    // The list reads again once the network is back; the text's words reach the server meanwhile, unseen.
    const body = await serverBody(site(), id)
    // End goes to the end of the line the caret is on: where in the paragraph does not matter here.
    await expect.poll(() => serverText(body, 0), { timeout: 20_000 }).toContain(' Typed offline.')
    expect(serverText(body, 0).replace(' Typed offline.', '')).toBe(before)
    await context.close()
  })

  it('that the server will no longer take (the stage moved meanwhile) are offered back when the text is opened again', async () => {
    const { context, page } = await loggedIn(browser(), site(), 'claire')
    const cable = await networkCable(context)
    await openDraft(page)
    const id = (await site().services.db.query<{ id: string }>('select id from resolutions limit 1'))[0]!.id
    await cable.unplug()
    await paragraph(page, 1).click()
    await page.keyboard.press('End')
    await page.keyboard.type(' Too late.')
    await expect.poll(() => page.locator('[data-status]').getAttribute('data-status')).toBe('offline')
    await page.getByRole('link', { name: /All resolutions/ }).click()
    await expect.poll(() => page.locator('.resolution-text').count()).toBe(0)
    await callApi(site(), `/api/resolutions/${id}/stage`, 'secretariat', { to: 'amendments', deadline: new Date(Date.now() + 7 * 86_400_000).toISOString() })
    await cable.plug()
    // The session left behind is refused; its words wait for the text's next opening in this tab.
    await page.waitForTimeout(3000)
    // Back to the text within the app (a reload starts the tab afresh).
    const retry = page.getByRole('button', { name: 'Try again' })
    if (await retry.count()) await retry.click()
    await openDraft(page)
    const notice = page.getByTestId('unsaved')
    await notice.waitFor({ timeout: 15_000 })
    expect(await notice.getByTestId('unsaved-words').textContent()).toContain('Too late.')
    await context.close()
  })
})
