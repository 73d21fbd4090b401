import type { Route } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { browserAndSite, callApi, loggedIn, openDraft } from './harness.ts'

const { browser, site } = browserAndSite()

/**
 * The tabling reached the server and its answer was lost on the way: the
 * form said the server could not be reached and stayed open, and pressing
 * "Table" again tabled the same words a second time, under a new number.
 */
describe('an amendment tabled again after its answer was lost', () => {
  it('is the same amendment, not a second one', async () => {
    const { context, page } = await loggedIn(browser(), site(), 'claire')
    const id = (await site().services.db.query<{ id: string }>('select id from resolutions limit 1'))[0]!.id
    await callApi(site(), `/api/resolutions/${id}/stage`, 'secretariat', { to: 'amendments', deadline: '2100-01-01T00:00:00Z' })
    await openDraft(page)
    await page.getByRole('button', { name: 'Propose an amendment to §1', exact: true }).click()
    await page.locator('.propose .wording-editor').click()
    await page.keyboard.press('End')
    await page.keyboard.type(' Added.')
    await page.getByLabel('Justification').fill('Because.')
    // The first tabling reaches the server; its answer does not reach the page.
    let lost = false
    await context.route(/\/api\/resolutions\/[^/]+\/amendments$/, async (route: Route) => {
      if (route.request().method() !== 'POST' || lost) return route.continue()
      lost = true
      await route.fetch()
      await route.abort('connectionreset')
    })
    const tableIt = page.getByRole('button', { name: 'Table the amendment' })
    await tableIt.click()
    await expect.poll(() => lost).toBe(true)
    await page.locator('.propose [role=alert]').waitFor()
    await tableIt.click()
    await page.locator('.propose').waitFor({ state: 'detached' })
    const tabled = (await callApi(site(), `/api/resolutions/${id}/amendments`, 'tomas')) as unknown as Array<{ number: string }>
    expect(tabled.map((amendment) => amendment.number)).toEqual(['A1'])
    await context.close()
  })
})
