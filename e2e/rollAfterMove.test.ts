import { describe, expect, it } from 'vitest'
import { browserAndSite, loggedIn } from './harness.ts'

const { browser, site } = browserAndSite()

describe('the roll after a delegate moved to another party', () => {
  it('says the moved delegate no longer votes there, and the secretariat changes the old party’s entry without her in the way', async () => {
    const login = (await (await fetch(`${site().url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'secretariat', password: 'demo' }) })).json()) as { token: string }
    const moved = await fetch(`${site().url}/api/people/person-aisyah`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${login.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ delegationId: 'gh-sdp' }),
    })
    expect(moved.status).toBe(200)

    const secretariat = (await loggedIn(browser(), site(), 'secretariat')).page
    await secretariat.goto(`${site().url}/meetings/meeting-kuala-lumpur`)
    const entry = secretariat.locator('.roll .entry[data-delegation="my-pbs"]')
    // Until the entry is changed, the roll says she can no longer vote for her old party (it said "votes"), and her substitute stands in.
    await expect.poll(() => entry.locator('.people li').allTextContents()).toEqual([
      'Nur Aisyah Binti Ahmad present · designated, no longer able to vote for this delegation',
      'Hafiz Rahman present · substitute',
    ])
    await entry.getByRole('button', { name: 'Change…' }).click()
    // The entry as the form showed it goes with the change, so a change someone else made meanwhile is kept.
    const saved = secretariat.waitForRequest((request) => request.method() === 'PUT' && request.url().endsWith('/roll/my-pbs'))
    await entry.getByRole('button', { name: 'Save' }).click()
    const { basis, ...sent } = (await saved).postDataJSON() as { basis: unknown }
    expect(basis).toEqual({ votingId: null, substituteIds: ['person-hafiz'], registeredIds: expect.arrayContaining(['person-hafiz']) })
    expect(basis).toEqual(sent)
    await expect.poll(() => entry.locator('.entry-form').count()).toBe(0)
    expect(await entry.locator('.error, [role="alert"]').count()).toBe(0)
    expect(await entry.locator('.people li').allTextContents()).toEqual(['Hafiz Rahman present · substitute'])
  })
})
