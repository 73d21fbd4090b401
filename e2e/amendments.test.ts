import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { browserAndSite, callApi, loggedIn, openDraft, screenshots, textOf } from './harness.ts'

const { browser, site } = browserAndSite()

async function moveStage(page: Page, button: RegExp, confirm: string) {
  await page.getByRole('button', { name: button }).click()
  await page.getByRole('button', { name: confirm, exact: true }).click()
}

/** What the countdown says is left ("9 minutes"), as the page shows it. */
const timeLeft = async (page: Page) => /closes in (.*?):/.exec((await page.getByTestId('countdown').textContent()) ?? '')?.[1]

describe('amendments in the browser', () => {
  it('a delegation tables one, the chair sees it appear live and accepts it, and both see the new text marked accepted', async () => {
    const shot = screenshots('amendment')
    const secretariat = await loggedIn(browser(), site(), 'secretariat')
    const claire = await loggedIn(browser(), site(), 'claire')
    const chair = await loggedIn(browser(), site(), 'ingrid')
    for (const { page } of [secretariat, claire, chair]) await openDraft(page)

    await moveStage(secretariat.page, /Open amendments/, 'Open amendments')
    await expect.poll(() => claire.page.getByTestId('stage').textContent()).toBe('Amendments open')
    await expect.poll(() => chair.page.getByTestId('stage').textContent()).toBe('Amendments open')

    // Escape leaves a form in which nothing was typed, and the focus goes back to the ✎ it came from.
    const amendSix = claire.page.getByRole('button', { name: 'Propose an amendment to §6' })
    await amendSix.click()
    await claire.page.locator('.propose').waitFor()
    await claire.page.keyboard.press('Escape')
    await expect.poll(() => claire.page.locator('.propose').count()).toBe(0)
    await expect.poll(() => amendSix.evaluate((button) => button === document.activeElement)).toBe(true)

    await claire.page.getByRole('button', { name: 'Propose an amendment to §7' }).click()
    await claire.page.locator('.wording-editor').click()
    await claire.page.keyboard.press('End')
    await claire.page.keyboard.press('ArrowLeft')
    await claire.page.keyboard.type(', la justice')
    expect(await claire.page.locator('.propose .tracked-change ins').textContent()).toContain('la justice')
    await claire.page.getByLabel('Justification').fill('La justice sociale manque au texte.')
    await shot(claire.page, 'proposing')
    await claire.page.getByRole('button', { name: 'Table the amendment' }).click()

    const card = chair.page.locator('[data-amendment="A1"]')
    await card.waitFor({ timeout: 5000 })
    expect(await card.locator('h3').textContent()).toMatch(/^A1 · §7, line \d+$/)
    expect(await card.locator('ins').textContent()).toContain('la justice')
    expect(await chair.page.locator('.margin-count').first().textContent()).toBe('1')
    await shot(chair.page, 'chair-sees-it-live')

    const close = secretariat.page.getByRole('button', { name: 'Close tabling and consolidate', exact: true })
    await secretariat.page.getByRole('button', { name: /Close tabling and consolidate/ }).click()
    // Before the deadline, closing waits for an explicit tick: delegations lose the time left.
    expect(await close.isDisabled()).toBe(true)
    expect(await secretariat.page.locator('.consequence').textContent()).toMatch(/^The deadline \(.+\) has not passed/)
    await secretariat.page.getByLabel('Close tabling before the deadline').check()
    await close.click()
    await expect.poll(() => chair.page.getByTestId('stage').textContent()).toBe('Consolidation')

    // The secretariat edits the paragraph meanwhile, words away from the amendment's (an edit right after its
    // full stop would touch it: a conflict for the chair): the chair sees the amendment rebased on the new wording.
    await expect.poll(() => secretariat.page.locator('.resolution-text').getAttribute('contenteditable')).toBe('true')
    await secretariat.page.locator('.resolution-text > p').nth(6).click()
    await secretariat.page.keyboard.press('Home')
    await secretariat.page.keyboard.type('Aujourd’hui, ')
    const rebased = card.getByTestId('rebased')
    await rebased.waitFor()
    await expect.poll(() => rebased.textContent()).toContain('Aujourd’hui, ')
    expect(await rebased.locator('ins').textContent()).toContain('la justice')
    await shot(chair.page, 'chair-sees-rebased-change')
    await card.getByRole('button', { name: 'Accept', exact: true }).click()
    // The Accept button goes with the decision; the focus stays on the card, not at the top of the page.
    await expect.poll(() => chair.page.evaluate(() => document.activeElement?.closest('[data-amendment]')?.getAttribute('data-amendment') ?? null)).toBe('A1')

    const accepted = 'Aujourd’hui, Notre vision allie le progrès social et la cohésion sociale, la justice.'
    for (const page of [chair.page, claire.page]) {
      await expect.poll(() => textOf(page, 6), { timeout: 5000 }).toBe(accepted)
      await expect.poll(() => page.locator('[data-amendment="A1"] .badge.status').textContent()).toBe('Accepted')
    }
    expect(await claire.page.locator('[data-amendment="A1"] .decision').textContent()).toMatch(/^Accepted by Ingrid Johansson/)
    await shot(claire.page, 'claire-sees-accepted')
    await shot(chair.page, 'chair-accepted')
    for (const { context } of [secretariat, claire, chair]) await context.close()
  })

  /** A two-paragraph resolution the secretariat imports and opens for amendments until `deadline`. */
  async function openUntil(secretariat: Page, deadline: number): Promise<string> {
    const source = '---\ntitle: Deadline test\nlanguage: en\n---\n\nOne paragraph.\n\nAnother paragraph.\n'
    const imported = await secretariat.request.post(`${site().url}/api/resolutions/import`, { multipart: { file: { name: 'deadline.md', mimeType: 'text/markdown', buffer: Buffer.from(source) } } })
    expect(imported.status()).toBe(201)
    const { id } = (await imported.json()) as { id: string }
    await callApi(site(), `/api/resolutions/${id}/stage`, 'secretariat', { to: 'amendments', deadline: new Date(deadline).toISOString() })
    return id
  }

  it('takes the ✎ buttons away the instant the tabling deadline passes, as the countdown closes, without a reload', async () => {
    const secretariat = await loggedIn(browser(), site(), 'secretariat')
    const deadline = Math.ceil(Date.now() / 1000) * 1000 + 120_000
    const id = await openUntil(secretariat.page, deadline)
    const claire = await loggedIn(browser(), site(), 'claire')
    // The page's clock only (the server's, which decides, runs on): right when the page loads, so the server's answers
    // leave it alone, then held still 29 s before the deadline (not a whole number of 15 s before: a page redrawing every
    // 15 s from then would not redraw at the deadline).
    await claire.page.clock.install({ time: Date.now() })
    await claire.page.goto(`${site().url}/resolutions/${id}`)
    await claire.page.getByRole('button', { name: 'Propose an amendment to §1' }).waitFor()
    await claire.page.clock.pauseAt(deadline - 29_000)
    await claire.page.clock.runFor(28_998)
    expect(await claire.page.locator('.margin-amend').count()).toBeGreaterThan(0)
    await claire.page.clock.runFor(3)
    await expect.poll(() => claire.page.locator('.margin-amend').count(), { timeout: 1000 }).toBe(0)
    expect(await claire.page.getByTestId('countdown').textContent()).toMatch(/^Tabling closed/)
    for (const { context } of [secretariat, claire]) await context.close()
  })

  it('turns the countdown’s minute at the instant it turns, as every other delegate’s screen does', async () => {
    const secretariat = await loggedIn(browser(), site(), 'secretariat')
    // A whole minute, as the form gives it.
    const deadline = Math.ceil(Date.now() / 60_000) * 60_000 + 20 * 60_000
    const id = await openUntil(secretariat.page, deadline)
    const claire = await loggedIn(browser(), site(), 'claire')
    // The page's clock is right when the page loads, then runs to ten minutes before the deadline and is held still
    // half a minute later.
    const start = deadline - 10 * 60_000
    await claire.page.clock.install({ time: Date.now() })
    await claire.page.goto(`${site().url}/resolutions/${id}`)
    await claire.page.getByTestId('countdown').waitFor()
    await claire.page.clock.pauseAt(start + 30_000)
    const left = () => timeLeft(claire.page)
    await expect.poll(left).toBe('10 minutes')
    // 9 min 30 s left: the words turn to 9 minutes in 30 s, not at a tick of the page's own.
    await claire.page.clock.runFor(29_998)
    expect(await left()).toBe('10 minutes')
    await claire.page.clock.runFor(3)
    await expect.poll(left, { timeout: 1000 }).toBe('9 minutes')
    for (const { context } of [secretariat, claire]) await context.close()
  })

  it('asks the server’s clock again when the screen’s own is set back three minutes while the page is open', async () => {
    const secretariat = await loggedIn(browser(), site(), 'secretariat')
    // 20 min 30 s from now: the count of minutes turns half a minute from now, so the minute the page runs on below
    // holds exactly one turn however long the log-in takes, give or take 25 s. (A deadline half a minute past a whole
    // minute turned anywhere from 0 to 60 s from now: near 0, the minute held two turns.)
    const deadline = Date.now() + 20 * 60_000 + 30_000
    const id = await openUntil(secretariat.page, deadline)
    const claire = await loggedIn(browser(), site(), 'claire')
    await claire.page.clock.install({ time: Date.now() })
    await claire.page.goto(`${site().url}/resolutions/${id}`)
    await claire.page.getByTestId('countdown').waitFor()
    const minutes = async () => Number(/^(\d+) minutes$/.exec((await timeLeft(claire.page)) ?? '')?.[1])
    const before = await minutes()
    // The system sets the clock back (its own steady clock runs on): the page asks the server again.
    const asked = claire.page.waitForResponse((response) => response.url().endsWith('/api/health'))
    await claire.page.clock.setSystemTime(Date.now() - 180_000)
    await asked
    // A minute later by the page's reckoning, the countdown has turned once, not gained three.
    await claire.page.clock.runFor(60_000)
    await expect.poll(minutes).toBe(before - 1)
    for (const { context } of [secretariat, claire]) await context.close()
  })

  it('follows the server’s clock on a screen whose own is three minutes slow: ✎ goes when the server closes tabling', async () => {
    const secretariat = await loggedIn(browser(), site(), 'secretariat')
    const deadline = Math.ceil(Date.now() / 1000) * 1000 + 150_000
    const id = await openUntil(secretariat.page, deadline)
    const claire = await loggedIn(browser(), site(), 'claire')
    const slow = 180_000
    await claire.page.clock.install({ time: Date.now() - slow })
    await claire.page.goto(`${site().url}/resolutions/${id}`)
    await claire.page.getByRole('button', { name: 'Propose an amendment to §1' }).waitFor()
    // Two and a half minutes left on the server's clock: "3 minutes", not the 6 the page's own clock would say.
    await expect.poll(() => timeLeft(claire.page)).toBe('3 minutes')
    // The page knows the server's clock from its answers' Date headers, to a second and a round trip: ✎ is still there
    // 2 s before the deadline by the server's clock, and gone 1.5 s after it.
    await claire.page.clock.pauseAt(deadline - slow - 2_000)
    expect(await claire.page.locator('.margin-amend').count()).toBeGreaterThan(0)
    await claire.page.clock.runFor(3_500)
    await expect.poll(() => claire.page.locator('.margin-amend').count(), { timeout: 1000 }).toBe(0)
    expect(await claire.page.getByTestId('countdown').textContent()).toMatch(/^Tabling closed/)
    for (const { context } of [secretariat, claire]) await context.close()
  })
})
