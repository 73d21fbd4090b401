import type { Page, Route } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { browserAndSite, callApi, loggedIn, screenshots } from './harness.ts'

const { browser, site } = browserAndSite()

const sourceRow = (page: Page, index: number) => page.locator('.source-row').nth(index)
const translationBlock = (page: Page, index: number) => page.locator('#translation-text [data-source-id]').nth(index)
const statusOf = (page: Page, index: number) => sourceRow(page, index).getByTestId('translation-status').textContent()

describe('confirming a translation in the browser', () => {
  it('is refused when the original changed after the translator read it, shows what changed, and goes through once read again; the translator’s own last keystrokes are confirmed with the rest', async () => {
    const shot = screenshots('confirm-as-read')
    const list = (await callApi(site(), '/api/resolutions', 'secretariat')) as unknown as Array<{ id: string; title: string }>
    const id = list.find((resolution) => resolution.title.startsWith('Résolution : cohésion sociale'))!.id
    await callApi(site(), `/api/resolutions/${id}/languages`, 'secretariat', { language: 'en' })

    const translator = await loggedIn(browser(), site(), 'traductrice')
    const { page } = translator
    await page.goto(`${site().url}/resolutions/${id}/languages/en`)
    await expect.poll(() => page.locator('.source-row').count()).toBe(15)
    await expect.poll(() => translationBlock(page, 3).count()).toBe(1)
    await translationBlock(page, 0).click()
    await page.keyboard.type('We live in a time of rapid change.')
    await translationBlock(page, 3).click()
    await page.keyboard.type('This is no easy task.')
    await expect.poll(() => statusOf(page, 3)).toBe('due')
    await expect.poll(() => statusOf(page, 0)).toBe('due')
    const sourceId = (await sourceRow(page, 3).getAttribute('data-source-row'))!
    const read = (await sourceRow(page, 3).locator('.source-text').textContent())!
    expect(read).toContain('tâche facile')

    // From here the page reads no block lists: it still shows §4 as the translator read it while an amendment changes it.
    const held: Route[] = []
    await page.route(/\/languages\/en\/blocks$/, (route) => void held.push(route))
    await callApi(site(), `/api/resolutions/${id}/stage`, 'secretariat', { to: 'amendments', deadline: new Date(Date.now() + 7 * 86_400_000).toISOString() })
    const amendment = await callApi(site(), `/api/resolutions/${id}/amendments`, 'claire', { kind: 'replace', blockId: sourceId, text: read.replace('tâche facile', 'tâche aisée'), justification: 'Plus juste.' })
    await callApi(site(), `/api/resolutions/${id}/stage`, 'secretariat', { to: 'consolidation' })
    await callApi(site(), `/api/amendments/${String(amendment['id'])}/decision`, 'ingrid', { decision: 'accept' })
    await expect.poll(() => held.length).toBeGreaterThan(0)
    expect(await sourceRow(page, 3).locator('.source-text').textContent()).toBe(read)

    await page.getByRole('button', { name: 'Confirm §4' }).click()
    const notice = sourceRow(page, 3).getByTestId('changed-since-read')
    await expect.poll(() => notice.textContent()).toBe('§4: the original changed since you read it (the changes are marked). Read it again, then confirm.')
    expect(await sourceRow(page, 3).locator('.source-changes del').allTextContents()).toEqual(['facile'])
    expect(await sourceRow(page, 3).locator('.source-changes ins').allTextContents()).toEqual(['aisée'])
    expect(await statusOf(page, 3)).toBe('due')
    await shot(page, 'changed-since-read')
    const confirmations = async () =>
      ((await callApi(site(), `/api/resolutions/${id}/audit`, 'secretariat')) as unknown as Array<{ action: string; detail: { sourceId?: string } }>).filter(
        (entry) => entry.action === 'confirm' && entry.detail.sourceId === sourceId,
      ).length
    expect(await confirmations()).toBe(0)

    // Read again, with the change marked: confirmed, even before the page reads the block list again.
    await page.getByRole('button', { name: 'Confirm §4' }).click()
    await expect.poll(() => statusOf(page, 3)).toBe('current')
    expect(await notice.count()).toBe(0)
    expect(await confirmations()).toBe(1)
    // Unrouting lets the held block lists through.
    await page.unroute(/\/languages\/en\/blocks$/)

    // The translator types and clicks at once: what is confirmed is what her editor shows, her last words included.
    await translationBlock(page, 0).click()
    await page.keyboard.press('End')
    await page.keyboard.type(' Indeed.')
    // On screen (a read of the page, not of the server): the click below still comes before the server has stored them.
    expect(await translationBlock(page, 0).textContent()).toBe('We live in a time of rapid change. Indeed.')
    await page.getByRole('button', { name: 'Confirm §1' }).click()
    await expect.poll(() => statusOf(page, 0)).toBe('current')
    const blocks = (await callApi(site(), `/api/resolutions/${id}/languages/en/blocks`, 'traductrice')) as unknown as Array<{ status: string; text: string }>
    expect(blocks[0]).toMatchObject({ status: 'current', text: 'We live in a time of rapid change. Indeed.' })
    await translator.context.close()
  })
})
