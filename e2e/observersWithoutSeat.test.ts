import { describe, expect, it } from 'vitest'
import { browserAndSite, loggedIn } from './harness.ts'

const { browser, site } = browserAndSite()

describe('a party leader whose party has no seat', () => {
  it('is registered by the secretariat as an observer, the party taking no seat', async () => {
    const call = async (path: string, token: string | null, body: unknown) => {
      const response = await fetch(`${site().url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) })
      expect(response.ok, `${path}: ${response.status}`).toBe(true)
      return (await response.json()) as Record<string, unknown>
    }
    const token = (await call('/api/login', null, { username: 'secretariat', password: 'demo' }))['token'] as string
    const meeting = await call('/api/meetings', token, { kind: 'council', title: 'Conseil sans le Ghana', startsAt: '2027-03-01', endsAt: '2027-03-01' })

    const secretariat = (await loggedIn(browser(), site(), 'secretariat')).page
    await secretariat.goto(`${site().url}/meetings/${meeting['id'] as string}`)
    const form = secretariat.locator('.seat-form')
    await form.getByLabel('Seat a delegation').selectOption('gh-sdp')
    // Ghana's party leader, Kofi, is its only observer.
    await form.getByRole('button', { name: 'Its leader only, as an observer' }).click()
    const entry = secretariat.locator('.roll .entry[data-delegation="gh-sdp"]')
    await expect.poll(() => entry.getByTestId('no-seat').textContent()).toBe('observers only, no seat')
    expect(await entry.locator('.people li').allTextContents()).toEqual([expect.stringMatching(/^Kofi .*observer, no vote$/)])
    // The party is on the roll, but not among the delegations that sit.
    expect(await secretariat.getByTestId('roll-summary').textContent()).toMatch(/^0 of 0 delegations present with a vote/)
  })

  it('an observer without a party is registered beside the delegations, and everyone in the room sees him arrive', async () => {
    const claire = (await loggedIn(browser(), site(), 'claire')).page
    const secretariat = (await loggedIn(browser(), site(), 'secretariat')).page
    for (const page of [claire, secretariat]) await page.goto(`${site().url}/meetings/meeting-kuala-lumpur`)
    const panel = secretariat.getByTestId('observers')
    await panel.getByLabel('Register an observer without a party').selectOption({ label: 'Tomás Silva' })
    // The list as shown goes with the change, so another member of the secretariat's change made meanwhile is kept.
    const changes = () => secretariat.waitForRequest((request) => request.method() === 'PUT' && request.url().endsWith('/observers'))
    const added = changes()
    await panel.getByRole('button', { name: 'Register', exact: true }).click()
    const { personIds, basis } = (await added).postDataJSON() as { personIds: string[]; basis: string[] }
    expect([personIds.length, basis]).toEqual([1, []])
    await panel.getByLabel('Tomás Silva present').check()
    const seen = claire.getByTestId('observers').locator('li')
    await expect.poll(() => seen.allTextContents()).toEqual(['Tomás Silva present · observer, no vote'])
    // He is no delegation: the count of delegations present with a vote does not move.
    expect(await claire.getByTestId('roll-summary').textContent()).toBe(await secretariat.getByTestId('roll-summary').textContent())
    const removed = changes()
    await panel.getByRole('button', { name: 'Remove Tomás Silva' }).click()
    expect((await removed).postDataJSON()).toEqual({ personIds: [], basis: personIds })
    await expect.poll(() => claire.getByTestId('observers').count()).toBe(0)
  })
})
