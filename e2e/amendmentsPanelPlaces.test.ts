import { describe, expect, it } from 'vitest'
import { browserAndSite, callApi, loggedIn, openDraft, screenshots } from './harness.ts'

const { browser, site } = browserAndSite()

describe("the amendments panel's paragraph filter", () => {
  it('files amendments where their paragraph stands now, not by the § tabled at in an earlier round', async () => {
    const shot = screenshots('amendments-panel-places')
    const id = (await site().services.db.query<{ id: string }>('select id from resolutions limit 1'))[0]!.id
    const deadline = () => new Date(Date.now() + 86_400_000).toISOString()
    await callApi(site(), `/api/resolutions/${id}/stage`, 'secretariat', { to: 'amendments', deadline: deadline() })
    const { blocks } = (await callApi(site(), `/api/resolutions/${id}/print.json`, 'secretariat')) as { blocks: { id: string; number: string | null }[] }
    const numbered = blocks.filter((block) => block.number !== null)
    const insertion = await callApi(site(), `/api/resolutions/${id}/amendments`, 'claire', { kind: 'insertAfter', blockId: numbered[1]!.id, text: 'Un paragraphe ajouté après le deuxième.', justification: 'Utile.' })
    const firstRound = await callApi(site(), `/api/resolutions/${id}/amendments`, 'claire', { kind: 'replace', blockId: numbered[4]!.id, text: 'Le cinquième, récrit au premier tour.', justification: 'Premier tour.' })
    await callApi(site(), `/api/resolutions/${id}/stage`, 'secretariat', { to: 'consolidation' })
    await callApi(site(), `/api/amendments/${insertion['id'] as string}/decision`, 'ingrid', { decision: 'accept' })
    // Reopened, numbers are frozen afresh: the fourth paragraph is §5 now, the fifth §6.
    await callApi(site(), `/api/resolutions/${id}/stage`, 'mateo', { to: 'amendments', reason: 'Un second tour.', deadline: deadline() })
    const secondRound = await callApi(site(), `/api/resolutions/${id}/amendments`, 'claire', { kind: 'replace', blockId: numbered[3]!.id, text: 'Le quatrième, récrit au second tour.', justification: 'Second tour.' })
    // Both were tabled at "§5", a paragraph apart.
    expect([firstRound['paragraph'], secondRound['paragraph']]).toEqual([5, 5])

    const { context, page } = await loggedIn(browser(), site(), 'ingrid')
    await openDraft(page)
    const filter = page.locator('.amendments-panel .filters').getByLabel('Paragraph')
    await expect.poll(() => filter.locator('option').allTextContents()).toEqual(['All', '§2', '§5', '§6'])
    const cards = () => page.locator('.amendment-list article.amendment').evaluateAll((articles) => articles.map((article) => article.getAttribute('data-amendment')))
    expect(await cards()).toEqual([insertion['number'], secondRound['number'], firstRound['number']])

    await filter.selectOption({ label: '§5' })
    await expect.poll(cards).toEqual([secondRound['number']])
    await filter.selectOption({ label: '§6' })
    await expect.poll(cards).toEqual([firstRound['number']])
    expect(await page.locator(`article.amendment[data-amendment="${firstRound['number'] as string}"] h3`).textContent()).toMatch(new RegExp(`^${firstRound['number'] as string} · §6 \\(tabled at §5, line \\d+\\)$`))
    await shot(page, 'filtered')
    await context.close()
  })
})
