import { describe, expect, it } from 'vitest'
import { browserAndSite, clickStartOf, loggedIn, openDraft, screenshots, textOf } from './harness.ts'

const { browser, site } = browserAndSite()

/**
 * Yjs gives every new document a random id, and a text keeps each id that
 * ever wrote in it: every transaction, on the server and in each tab, walks
 * them all. A person's tabs reuse the ids of their pool in this browser, so
 * the text gains an id only for tabs open at once.
 */
describe('the Yjs ids a person writes under', () => {
  it('are reused by the next tab of the same browser, while tabs open at once each have their own, and nothing typed is lost', async () => {
    const shot = screenshots('client-id-reuse')
    const id = (await site().services.db.query<{ id: string }>('select id from resolutions limit 1'))[0]!.id
    const live = async () => (await site().services.collab.open(id)).doc
    const ids = async () => new Set((await live()).store.clients.keys())
    const serverText = async () => (await live()).getXmlFragment('body').toString().replace(/<[^>]*>/g, '\n')
    const before = await ids()
    const newIds = async () => [...(await ids())].filter((client) => !before.has(client))

    const { context, page } = await loggedIn(browser(), site(), 'claire')
    await openDraft(page)
    const original = await textOf(page, 2)
    await clickStartOf(page, 2)
    await page.keyboard.type('Un ')
    await expect.poll(serverText, { timeout: 10_000 }).toContain(`\nUn ${original}\n`)
    expect(await newIds()).toHaveLength(1)
    const [first] = await newIds()

    // The same page opened again: a new Y.Doc, the same id, its clock going on from where the last tab left it.
    await page.reload()
    await page.locator('.resolution-text p').first().waitFor()
    await expect.poll(() => page.locator('[data-status]').first().getAttribute('data-status'), { timeout: 10_000 }).toMatch(/online|saved/)
    await clickStartOf(page, 2)
    await page.keyboard.type('Deux ')
    await expect.poll(serverText, { timeout: 10_000 }).toContain(`\nDeux Un ${original}\n`)
    expect(await newIds()).toEqual([first])
    // Only other people's carets are drawn as theirs: this tab's own, now under the reused id, is not.
    expect(await page.locator('.collaboration-carets__caret').count()).toBe(0)

    // A second tab open beside it takes an id of its own; both go on writing.
    const second = await context.newPage()
    await second.goto(page.url())
    await second.locator('.resolution-text p').first().waitFor()
    await expect.poll(async () => (await newIds()).length, { timeout: 10_000 }).toBeLessThanOrEqual(2)
    await clickStartOf(second, 3)
    const third = await textOf(second, 3)
    await second.keyboard.type('Trois ')
    await clickStartOf(page, 2)
    await page.keyboard.type('Quatre ')
    await expect.poll(serverText, { timeout: 10_000 }).toContain(`\nQuatre Deux Un ${original}\n`)
    await expect.poll(serverText, { timeout: 10_000 }).toContain(`\nTrois ${third}\n`)
    await expect.poll(() => textOf(second, 2)).toBe(`Quatre Deux Un ${original}`)
    await expect.poll(() => textOf(page, 3)).toBe(`Trois ${third}`)
    expect(await newIds()).toHaveLength(2)
    await shot(second, 'second-tab')

    // Both closed, a new tab takes one of the two again.
    await second.close()
    await page.close()
    const last = await context.newPage()
    await last.goto(second.url())
    await last.locator('.resolution-text p').first().waitFor()
    await clickStartOf(last, 2)
    await last.keyboard.type('Cinq ')
    await expect.poll(serverText, { timeout: 10_000 }).toContain(`\nCinq Quatre Deux Un ${original}\n`)
    expect(await newIds()).toHaveLength(2)
    await context.close()
  })
})
