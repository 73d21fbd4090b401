import { beforeAll, describe, expect, it } from 'vitest'
import { browserAndSite, callApi, clickStartOf, frenchPerson, openDraft, screenshots } from './harness.ts'

/**
 * A chair decides on what the screen shows: the conflict the desk states
 * and the change drawn into the text must be what accepting the amendment
 * then does, on a paragraph that moved on since it was tabled.
 */
const { browser, site } = browserAndSite()
let id = ''

const blockText = async (index: number) => {
  const document = await site().services.collab.open(id)
  const element = document.doc.getXmlFragment('body').get(index) as unknown as { getAttribute(name: string): string; toString(): string }
  return { blockId: element.getAttribute('id'), text: element.toString().replace(/<[^>]*>/g, '') }
}

const preview = (amendmentId: string) => callApi(site(), `/api/amendments/${amendmentId}/preview`, 'ingrid') as Promise<{ state: string; wording: Array<Array<{ text: string }>> | null }>
const ids: Record<string, string> = {}

beforeAll(async () => {
  id = (await site().services.db.query<{ id: string }>('select id from resolutions limit 1'))[0]!.id
  await callApi(site(), `/api/resolutions/${id}/stage`, 'secretariat', { to: 'amendments', deadline: new Date(Date.now() + 86_400_000).toISOString() })
  const third = await blockText(2)
  const second = await blockText(1)
  const table = async (as: string, body: Record<string, unknown>) => ((await callApi(site(), `/api/resolutions/${id}/amendments`, as, { kind: 'replace', justification: 'Pour le texte.', ...body })) as { id: string }).id
  ids['A1'] = await table('kwame', { blockId: third.blockId, text: third.text.replace(/^Le socialisme/, 'Le socialisme démocratique') })
  // "toujours" made bold, a bold word added, a full stop made a French exclamation mark after a no-break space.
  const [head, tail] = second.text.split(' toujours des gagnants et des perdants. ')
  ids['A2'] = await table('lucia', {
    blockId: second.blockId,
    wording: [[{ text: `${head} ` }, { text: 'toujours', bold: true }, { text: ' des ' }, { text: 'vrais', bold: true }, { text: ' gagnants et des perdants\u00a0! ' }, { text: tail }]],
  })
  ids['A3'] = await table('kwame', { blockId: second.blockId, text: second.text.replace('avec enthousiasme', 'avec ferveur') })
  await callApi(site(), `/api/resolutions/${id}/stage`, 'secretariat', { to: 'consolidation' })
})

describe('what the chair is shown is what acceptance does', () => {
  it('states a conflict at the desk, with Accept barred, exactly while accepting would be refused, as a chair types in the same words and takes it back', async () => {
    const shot = screenshots('shown-conflict')
    const chair = await frenchPerson(browser(), site(), 'ingrid', 'Europe/Stockholm', { width: 1600, height: 1000 })
    const typist = await frenchPerson(browser(), site(), 'secretariat', 'Europe/Paris')
    await chair.page.goto(`${site().url}/resolutions/${id}/desk`)
    const card = chair.page.locator('article[data-amendment="A1"]')
    const accept = card.getByRole('button', { name: 'Adopter', exact: true })
    await accept.waitFor()
    expect(await card.locator('.badge.conflict').count()).toBe(0)
    expect(await accept.isEnabled()).toBe(true)

    // The secretariat makes "socialisme" "socialismes", the very word A1 writes after.
    await openDraft(typist.page)
    await clickStartOf(typist.page, 2)
    for (let step = 0; step < 'Le socialisme'.length; step++) await typist.page.keyboard.press('ArrowRight')
    await typist.page.keyboard.type('s')
    await expect.poll(async () => (await preview(ids['A1']!)).state).toBe('conflict')
    await expect.poll(() => card.locator('.badge.conflict').count()).toBe(1)
    expect(await accept.isDisabled()).toBe(true)
    await shot(chair.page, 'conflict-stated')

    // Taken back: accepting would go through again, and the desk says so.
    await typist.page.keyboard.press('Backspace')
    await expect.poll(async () => (await preview(ids['A1']!)).state).toBe('clean')
    await expect.poll(() => card.locator('.badge.conflict').count()).toBe(0)
    await expect.poll(() => accept.isEnabled()).toBe(true)
    const shown = (await preview(ids['A1']!)).wording![0]!.map((run) => run.text).join('')
    await accept.click()
    await expect.poll(() => card.locator('.badge.status').textContent()).toBe('Adopté')
    await expect.poll(async () => (await blockText(2)).text).toBe(shown)
    for (const { context } of [chair, typist]) await context.close()
  })
})
