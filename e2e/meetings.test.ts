import type { Browser, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { browserAndSite, loggedIn, openDraft, screenshots, type TestSite } from './harness.ts'

const { browser, site } = browserAndSite()

/** The API as a script would call it: the draft goes to consolidation with one amendment tabled by Claire. */
async function amendmentToVoteOn(site: TestSite): Promise<string> {
  const call = async (path: string, token: string | null, body?: unknown) => {
    const response = await fetch(`${site.url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    expect(response.ok, `${path}: ${response.status}`).toBe(true)
    return (await response.json()) as Record<string, unknown>
  }
  const token = async (username: string) => (await call('/api/login', null, { username, password: 'demo' }))['token'] as string
  const secretariat = await token('secretariat')
  const claire = await token('claire')
  const [draft] = (await call('/api/resolutions', secretariat)) as unknown as Array<{ id: string }>
  const deadline = new Date(Date.now() + 86_400_000).toISOString()
  await call(`/api/resolutions/${draft!.id}/stage`, secretariat, { to: 'amendments', deadline })
  // The first paragraph's block id, as the live document holds it.
  const document = await site.services.collab.open(draft!.id)
  const first = document.doc.getXmlFragment('body').get(0) as unknown as { getAttribute(name: string): string }
  const amendment = await call(`/api/resolutions/${draft!.id}/amendments`, claire, {
    kind: 'replace',
    blockId: first.getAttribute('id'),
    text: 'Nous vivons une époque de changements rapides et profonds.',
    justification: 'Plus court.',
  })
  await call(`/api/resolutions/${draft!.id}/stage`, secretariat, { to: 'consolidation' })
  return amendment['label'] as string
}

/** A delegate's phone: a narrow touch screen, logged in through the form. */
async function phone(browser: Browser, site: TestSite, username: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2, locale: 'en-GB' })
  const page = await context.newPage()
  await page.goto(`${site.url}/meetings/meeting-kuala-lumpur`)
  await page.getByLabel('Username').fill(username)
  await page.getByLabel('Password').fill('demo')
  await page.getByRole('button', { name: 'Log in' }).click()
  await page.getByTestId('voting-card').waitFor()
  return page
}

describe('a vote in the meeting room', () => {
  it('the secretariat opens it, two delegates vote from their phones, the tally moves live on the secretariat’s screen, and the secretariat closes it', async () => {
    const shot = screenshots('meeting-vote')
    const label = await amendmentToVoteOn(site())

    const secretariat = (await loggedIn(browser(), site(), 'secretariat')).page
    await secretariat.getByRole('link', { name: 'Meetings' }).click()
    await secretariat.locator('.meeting-list a', { hasText: 'Council' }).click()
    await secretariat.getByRole('heading', { name: 'Roll' }).waitFor()
    await expect.poll(() => secretariat.locator('.roll .entry').count()).toBe(5)
    await secretariat.getByLabel('Claire Martin present').check()
    await secretariat.getByLabel('Kwame Mensah present').check()
    await expect.poll(() => secretariat.getByTestId('roll-summary').textContent()).toBe('2 of 5 delegations present with a vote')
    expect(await secretariat.getByTestId('unbalanced').count()).toBe(0)

    const claire = await phone(browser(), site(), 'claire')
    const kwame = await phone(browser(), site(), 'kwame')
    const observer = await phone(browser(), site(), 'kofi')
    expect(await observer.getByTestId('voting-card').textContent()).toContain('You attend as an observer, without a vote.')
    expect(await claire.getByTestId('voting-card').textContent()).toContain('No vote is open.')

    await secretariat.getByRole('button', { name: 'Open a vote…' }).click()
    await expect.poll(() => secretariat.getByLabel('Vote on').locator('option').count()).toBe(1)
    expect(await secretariat.getByLabel('Vote on').locator('option').first().textContent()).toContain(label)
    await secretariat.getByLabel('Quorum (delegations present with a vote)').fill('2')
    await secretariat.getByRole('button', { name: 'Open the vote' }).click()
    const tally = secretariat.locator('.vote.status-open').getByTestId('tally')
    await expect.poll(() => tally.textContent()).toBe('0 of 2 delegations have voted')
    // The form goes once the vote is open: a second click cannot open a second one.
    expect(await secretariat.getByRole('button', { name: 'Open the vote' }).count()).toBe(0)
    await shot(secretariat, 'vote-opened')

    // The vote reaches the phones without a reload.
    const yes = claire.getByRole('button', { name: 'Yes', exact: true })
    await yes.waitFor()
    expect(await claire.locator('.voting-card .for').textContent()).toBe('For Parti progressiste (France)')
    // The phone says what is voted on: the wording, as it changes the text, and the majority required.
    await expect.poll(() => claire.getByTestId('voted-wording').locator('ins').allTextContents()).toEqual(['[inserted:  et profonds]'])
    expect(await claire.locator('.voting-card .terms').textContent()).toMatch(/^Simple majority · /)
    const box = await yes.boundingBox()
    expect(box!.width).toBeGreaterThan(300)
    expect(box!.height).toBeGreaterThanOrEqual(44)
    expect(await claire.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
    await shot(claire, 'phone-voting-card')

    await yes.tap()
    await expect.poll(() => tally.textContent()).toBe('1 of 2 delegations have voted')
    // The secretariat's tally and Claire's own card are two screens: each is waited for.
    await expect.poll(() => claire.locator('.ballot .yours').textContent()).toBe('Your delegation voted “Yes”. You can change it until the vote closes.')
    await expect.poll(() => yes.getAttribute('aria-pressed')).toBe('true')
    await kwame.getByRole('button', { name: 'No', exact: true }).tap()
    await expect.poll(() => tally.textContent()).toBe('2 of 2 delegations have voted')
    // Who voted is seen, not how.
    expect(await secretariat.locator('.vote.status-open .voted').textContent()).toBe('Voted: Parti progressiste, Social Democratic Party')
    await kwame.getByRole('button', { name: 'Abstain', exact: true }).tap()
    await expect.poll(() => kwame.locator('.ballot .yours').textContent()).toContain('“Abstain”')
    expect(await tally.textContent()).toBe('2 of 2 delegations have voted')
    await shot(secretariat, 'tally-live')

    await secretariat.getByRole('button', { name: 'Close the vote' }).click()
    // Closing applies the result for good: the consequence is said, and asked again.
    expect(await secretariat.locator('.confirm-close .consequence').textContent()).toMatch(/^Closing counts the ballots and applies the result at once: if the vote passes, the amendment goes into the text/)
    expect(await secretariat.locator('.vote.status-open').count()).toBe(1)
    await secretariat.getByRole('button', { name: 'Close and apply the result' }).click()
    const closed = secretariat.locator('.vote.status-closed')
    await expect.poll(() => closed.getByTestId('result').textContent()).toBe('Passed — Yes 1 · No 0 · Abstain 1 · Not voting 3')
    expect(await closed.locator('.roll-call tr').allTextContents()).toEqual([
      'Parti progressiste (France)YesClaire Martin',
      'Social Democratic Party (Ghana)AbstainKwame Mensah',
    ])
    await expect.poll(() => claire.getByTestId('voting-card').textContent()).toContain('No vote is open.')
    await expect.poll(() => claire.locator('.vote.status-closed').getByTestId('result').textContent()).toMatch(/^Passed/)
    await shot(secretariat, 'vote-closed')
    await shot(claire, 'phone-after-close')

    // What the meeting decided by vote, nobody takes back by hand: the amendment's card offers no reset.
    await secretariat.goto(site().url)
    await openDraft(secretariat)
    const card = secretariat.locator('[data-amendment="A1"]')
    await expect.poll(() => card.locator('.badge.status').textContent()).toBe('Accepted')
    expect(await card.getByRole('button', { name: /^Reset the decision/ }).count()).toBe(0)
  })
})
