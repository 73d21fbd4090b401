import { describe, expect, it } from 'vitest'
import { browserAndSite, callApi, loggedIn } from './harness.ts'

const { browser, site } = browserAndSite()

describe('a vote on an amendment whose paragraph went while the meeting voted', () => {
  it('closes with its result, and the card says it was not applied and why, in the interface’s words', async () => {
    const [draft] = (await callApi(site(), '/api/resolutions', 'secretariat')) as unknown as Array<{ id: string }>
    await callApi(site(), `/api/resolutions/${draft!.id}/stage`, 'secretariat', { to: 'amendments', deadline: new Date(Date.now() + 86_400_000).toISOString() })
    // The first paragraph's block id, as the live document holds it.
    const document = await site().services.collab.open(draft!.id)
    const blockId = (document.doc.getXmlFragment('body').get(0) as unknown as { getAttribute(name: string): string }).getAttribute('id')
    const voted = await callApi(site(), `/api/resolutions/${draft!.id}/amendments`, 'claire', { kind: 'replace', blockId, text: 'Nous vivons une époque de changements.', justification: 'Plus court.' })
    const deletion = await callApi(site(), `/api/resolutions/${draft!.id}/amendments`, 'lucia', { kind: 'delete', blockId, justification: 'Inutile.' })
    await callApi(site(), `/api/resolutions/${draft!.id}/stage`, 'secretariat', { to: 'consolidation' })
    await callApi(site(), '/api/meetings/meeting-kuala-lumpur/attendance', 'secretariat', { personId: 'person-claire', present: true })
    const vote = await callApi(site(), '/api/meetings/meeting-kuala-lumpur/votes', 'secretariat', { subject: { kind: 'amendment', amendmentId: voted['id'] }, majority: 'simple', quorum: 1 })
    await callApi(site(), `/api/votes/${vote['id'] as string}/ballots`, 'claire', { choice: 'yes' })
    // While the meeting votes, the chair accepts the deletion of the same paragraph by hand.
    await callApi(site(), `/api/amendments/${deletion['id'] as string}/decision`, 'ingrid', { decision: 'accept' })

    const secretariat = (await loggedIn(browser(), site(), 'secretariat')).page
    await secretariat.goto(`${site().url}/meetings/meeting-kuala-lumpur`)
    await secretariat.getByRole('button', { name: 'Close the vote' }).click()
    await secretariat.getByRole('button', { name: 'Close and apply the result' }).click()
    const closed = secretariat.locator('.vote.status-closed')
    await expect.poll(() => closed.getByTestId('result').textContent()).toBe('Passed — Yes 1 · No 0 · Abstain 0 · Not voting 4')
    expect(await closed.getByTestId('not-applied').textContent()).toBe('Not applied. This amendment no longer applies: its paragraph is gone.')
  })
})
