import { describe, expect, it } from 'vitest'
import { browserAndSite, loggedIn, openDraft, paragraph } from './harness.ts'

const { browser, site } = browserAndSite()

/**
 * The print view read the text once: open beside someone editing, it went
 * on showing (and printing) the text as it was, while its PDF link
 * downloaded the text as it stood, and nothing said so.
 */
describe('the print view of a text not yet adopted', () => {
  it('follows the text as others change it, and says as of when', async () => {
    const claire = await loggedIn(browser(), site(), 'claire')
    const julien = await loggedIn(browser(), site(), 'julien')
    await openDraft(claire.page)
    const id = (await site().services.db.query<{ id: string }>('select id from resolutions limit 1'))[0]!.id
    await julien.page.goto(`${site().url}/resolutions/${id}/print`)
    await julien.page.locator('.printed').waitFor()
    expect(await julien.page.getByTestId('printed-as-of').textContent()).toMatch(/^As it stood on .+: the text is not adopted, and may have changed since\.$/)
    await paragraph(claire.page, 0).click()
    await claire.page.keyboard.press('Home')
    await claire.page.keyboard.type('Printed later. ')
    await expect.poll(() => julien.page.locator('.printed').textContent(), { timeout: 20_000 }).toContain('Printed later. ')
    await claire.context.close()
    await julien.context.close()
  })
})
