import { describe, expect, it } from 'vitest'
import { browserAndSite, callApi, clickStartOf, eventually, loggedIn, moveCaret, networkCable, openDraft, screenshots, serverBody, serverText, statusOf } from './harness.ts'

const { browser, site } = browserAndSite()

/**
 * Someone whose editor had not received an acceptance types in its words:
 * Yjs merges both, and the paragraph reads as neither meant. The server
 * notes it on the amendment; the lock waits until a chair or the
 * secretariat, having read the paragraph, says it reads as meant.
 */
describe('typing that landed unseen in an accepted amendment’s words', () => {
  it('holds up the lock until a chair says, from the amendment’s card, that the paragraph reads as meant', async () => {
    const shot = screenshots('late-typing-check')
    const id = (await site().services.db.query<{ id: string }>('select id from resolutions limit 1'))[0]!.id
    const body = await serverBody(site(), id)
    const first = (body.get(0) as unknown as { getAttribute(name: string): string }).getAttribute('id')
    const original = serverText(body, 0)
    await callApi(site(), `/api/resolutions/${id}/stage`, 'secretariat', { to: 'amendments', deadline: new Date(Date.now() + 7 * 86_400_000).toISOString() })
    const amendment = (await callApi(site(), `/api/resolutions/${id}/amendments`, 'claire', { kind: 'replace', blockId: first, text: original.replace('Nous vivons', 'Nous traversons'), justification: 'Plus juste.' })) as {
      id: string
      number: string
    }
    await callApi(site(), `/api/resolutions/${id}/stage`, 'secretariat', { to: 'consolidation' })

    // The secretariat types inside "vivons" while cut off; the chair accepts meanwhile.
    const typist = await loggedIn(browser(), site(), 'secretariat')
    const cable = await networkCable(typist.context)
    await openDraft(typist.page)
    await cable.unplug()
    await clickStartOf(typist.page, 0)
    await moveCaret(typist.page, ...Array.from({ length: 'Nous vi'.length }, () => 'ArrowRight'))
    await typist.page.keyboard.type('X')
    await expect.poll(() => statusOf(typist.page)).toBe('offline')
    await callApi(site(), `/api/amendments/${amendment.id}/decision`, 'ingrid', { decision: 'accept' })
    await cable.plug()
    const lateTyping = async () => ((await callApi(site(), `/api/amendments/${amendment.id}`, 'ingrid')) as { decision?: { lateTyping?: unknown[] } }).decision?.lateTyping ?? []
    await expect.poll(lateTyping, { timeout: 20_000 }).toHaveLength(1)

    const lock = () => callApi(site(), `/api/resolutions/${id}/stage`, 'mateo', { to: 'final', confirm: true })
    await expect(lock()).rejects.toThrow(/409 .*"reason":"lateTyping"/)

    const chair = await loggedIn(browser(), site(), 'ingrid')
    await openDraft(chair.page)
    const card = chair.page.locator(`[data-amendment="${amendment.number}"]`)
    await card.getByTestId('late-typing').waitFor()
    await shot(chair.page, 'typed-over')
    // The chair puts the word right, then says the paragraph reads as meant.
    const typed = serverText(body, 0)
    expect(typed).toMatch(/X/)
    await eventually(async () => expect(await card.getByTestId('check-late-typing').count()).toBe(1))
    await card.getByTestId('check-late-typing').click()
    await card.getByTestId('late-typing-checked').waitFor()
    expect(await card.getByTestId('check-late-typing').count()).toBe(0)
    await shot(chair.page, 'checked')
    await lock()
    await expect.poll(async () => ((await callApi(site(), `/api/resolutions/${id}`, 'ingrid')) as { stage: string }).stage).toBe('final')
    await typist.context.close()
    await chair.context.close()
  })
})
