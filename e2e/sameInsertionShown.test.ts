import { beforeAll, describe, expect, it } from 'vitest'
import { browserAndSite, callApi, frenchPerson, screenshots } from './harness.ts'

/**
 * Two delegations table the same new paragraph after one block: accepting
 * the second writes nothing, and one adding that paragraph and another is a
 * conflict (the server's rule, `rebaseInText`). The chair decides from the
 * desk: its cards must say so, as the preview does, and accepting must do
 * what they said.
 */
const { browser, site } = browserAndSite()
let id = ''
const ids: Record<string, string> = {}

interface Preview {
  state: string
  unchanged: boolean
}
const preview = (amendmentId: string) => callApi(site(), `/api/amendments/${amendmentId}/preview`, 'ingrid') as unknown as Promise<Preview>

/** Each top-level block's text, as the server holds it. */
const texts = async () => {
  const document = await site().services.collab.open(id)
  return document.doc
    .getXmlFragment('body')
    .toArray()
    .map((element) => element.toString().replace(/<[^>]*>/g, ''))
}

const asked = 'Demande un rapport annuel sur la cohésion sociale.'

beforeAll(async () => {
  id = (await site().services.db.query<{ id: string }>('select id from resolutions limit 1'))[0]!.id
  await callApi(site(), `/api/resolutions/${id}/stage`, 'secretariat', { to: 'amendments', deadline: new Date(Date.now() + 86_400_000).toISOString() })
  const document = await site().services.collab.open(id)
  const blockId = (document.doc.getXmlFragment('body').get(0) as unknown as { getAttribute(name: string): string }).getAttribute('id')
  const table = async (as: string, body: Record<string, unknown>) =>
    ((await callApi(site(), `/api/resolutions/${id}/amendments`, as, { kind: 'insertAfter', blockId, justification: 'Pour le suivi.', ...body })) as { id: string }).id
  ids['A1'] = await table('kwame', { text: asked })
  // The same paragraph, spelt otherwise: a reader cannot tell them apart.
  ids['A2'] = await table('lucia', { wording: [[{ text: 'Demande un rapport  annuel sur la ' }, { text: 'cohésion sociale. ' }]] })
  ids['A3'] = await table('lucia', { wording: [[{ text: asked }], [{ text: 'Et un bilan à mi-parcours.' }]] })
  await callApi(site(), `/api/resolutions/${id}/stage`, 'secretariat', { to: 'consolidation' })
})

describe('the same paragraph added twice after one block, at the desk', () => {
  it('says the second is already in the text and one partly there is a conflict, as the preview does, and accepting does what it said', async () => {
    const shot = screenshots('same-insertion-shown')
    const chair = await frenchPerson(browser(), site(), 'ingrid', 'Europe/Stockholm', { width: 1600, height: 1000 })
    await chair.page.goto(`${site().url}/resolutions/${id}/desk`)
    const card = (number: string) => chair.page.locator(`article[data-amendment="${number}"]`)
    const accept = (number: string) => card(number).getByRole('button', { name: 'Adopter', exact: true })
    const already = (number: string) => card(number).locator('.badge.unchanged')
    const conflict = (number: string) => card(number).locator('.badge.conflict')
    await accept('A1').waitFor()
    // Nothing there yet: each would write its paragraphs.
    for (const number of ['A2', 'A3']) {
      expect(await already(number).count()).toBe(0)
      expect(await conflict(number).count()).toBe(0)
    }

    await accept('A1').click()
    await expect.poll(() => card('A1').locator('.badge.status').textContent()).toBe('Adopté')
    expect((await texts()).filter((text) => text === asked)).toHaveLength(1)

    expect(await preview(ids['A2']!)).toMatchObject({ state: 'clean', unchanged: true })
    await expect.poll(() => already('A2').count()).toBe(1)
    expect(await already('A2').textContent()).toBe('Déjà dans le texte')
    expect(await conflict('A2').count()).toBe(0)
    expect(await accept('A2').isEnabled()).toBe(true)

    expect(await preview(ids['A3']!)).toMatchObject({ state: 'conflict' })
    await expect.poll(() => conflict('A3').count()).toBe(1)
    expect(await conflict('A3').textContent()).toBe('Conflit : une partie des paragraphes ajoutés est déjà dans le texte')
    expect(await already('A3').count()).toBe(0)
    expect(await accept('A3').isDisabled()).toBe(true)
    await shot(chair.page, 'second-already-third-conflict')

    // Accepted as shown: recorded, nothing written.
    const before = await texts()
    await accept('A2').click()
    await expect.poll(() => card('A2').locator('.badge.status').textContent()).toBe('Adopté')
    expect(await texts()).toEqual(before)
    await chair.context.close()
  })
})
