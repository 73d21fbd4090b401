import type { Route } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { browserAndSite, callApi, loggedIn, openDraft, screenshots } from './harness.ts'

const { browser, site } = browserAndSite()

/**
 * The resolution's event stream sends nothing again after a drop: a stage
 * moved while it was down (a network blip, a restart, the moment between
 * the page's first reading and the stream's opening) was missed for good,
 * and the editor went on showing an editable draft after amendments opened.
 */
describe('a stage moved while the page’s event stream was down', () => {
  it('is on screen once the stream opens again', async () => {
    const shot = screenshots('missed-stage')
    const { context, page } = await loggedIn(browser(), site(), 'claire')
    // The stream cannot open: every attempt is cut, as by a network that drops the long-lived request.
    let cut = true
    await page.route(/\/api\/resolutions\/[^/]+\/events$/, (route: Route) => (cut ? route.abort('connectionreset') : route.continue()))
    await openDraft(page)
    const stage = page.getByTestId('stage')
    expect(await stage.textContent()).toBe('Draft')
    const id = (await site().services.db.query<{ id: string }>('select id from resolutions limit 1'))[0]!.id
    await callApi(site(), `/api/resolutions/${id}/stage`, 'secretariat', { to: 'amendments', deadline: new Date(Date.now() + 7 * 86_400_000).toISOString() })
    cut = false
    // EventSource tries again by itself (after about three seconds); its opening reads the resolution afresh.
    await expect.poll(() => stage.textContent(), { timeout: 15_000 }).toBe('Amendments open')
    await shot(page, 'stage-after-reconnection')
    await context.close()
  })
})
