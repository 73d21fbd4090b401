import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { browserAndSite, callApi, loggedIn } from './harness.ts'

const { browser, site } = browserAndSite()

const translationBlock = (page: Page, index: number) => page.locator('#translation-text [data-source-id]').nth(index)

/**
 * ProseMirror learns where a click put the caret from the browser's
 * `selectionchange` event, which comes a moment after the click. The page
 * here holds that event back, so that a redraw of the rows (another
 * person's confirmation arriving) falls in that moment every time rather
 * than once in a while: the words typed next must still go where the
 * translator clicked. (Seen in CI: a translator's words written into the
 * paragraph she had left.)
 */
describe('the caret a click places', () => {
  it('stays where the translator clicked when the rows are redrawn before the browser reports the click', async () => {
    const list = (await callApi(site(), '/api/resolutions', 'secretariat')) as unknown as Array<{ id: string; title: string }>
    const id = list.find((resolution) => resolution.title.startsWith('Résolution : cohésion sociale'))!.id
    await callApi(site(), `/api/resolutions/${id}/languages`, 'secretariat', { language: 'en' })
    const { page, context } = await loggedIn(browser(), site(), 'traductrice')
    await page.goto(`${site().url}/resolutions/${id}/languages/en`)
    await expect.poll(() => translationBlock(page, 5).count()).toBe(1)
    for (const [index, words] of [[0, 'First.'], [5, 'Sixth.'], [3, 'Fourth.']] as const) {
      await translationBlock(page, index).click()
      await page.keyboard.type(words)
    }
    type Block = { sourceId: string; text: string; sourceDigest: string; translationDigest: string }
    const blocks = async () => (await callApi(site(), `/api/resolutions/${id}/languages/en/blocks`, 'secretariat')) as unknown as Block[]
    await expect.poll(async () => (await blocks()).map((block) => block.text).slice(0, 6)).toEqual(['First.', '', '', 'Fourth.', '', 'Sixth.'])

    await page.evaluate(() => {
      const held = (event: Event) => event.stopImmediatePropagation()
      Object.assign(window, { held })
      window.addEventListener('selectionchange', held, true)
    })
    await translationBlock(page, 0).click()
    // The secretariat confirms §6: its status reaches the page, which redraws the rows.
    const sixth = (await blocks())[5]!
    await callApi(site(), `/api/resolutions/${id}/languages/en/blocks/${sixth.sourceId}/confirm`, 'secretariat', {
      read: { sourceDigest: sixth.sourceDigest, translationDigest: sixth.translationDigest },
    })
    await expect.poll(() => translationBlock(page, 5).getAttribute('data-status')).toBe('current')
    await page.evaluate(() => {
      window.removeEventListener('selectionchange', (window as unknown as { held: EventListener }).held, true)
      document.dispatchEvent(new Event('selectionchange'))
    })

    await page.keyboard.press('End')
    await page.keyboard.type(' Indeed.')
    expect(await translationBlock(page, 0).textContent()).toBe('First. Indeed.')
    expect(await translationBlock(page, 3).textContent()).toBe('Fourth.')
    await context.close()
  })
})
