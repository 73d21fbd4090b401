import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { browserAndSite, callApi, clickStartOf, frenchPerson, openDraft, paragraph, screenshots } from './harness.ts'

/**
 * A chair decides on what the screen shows: the conflict the desk states
 * and the change drawn into the text must be what accepting the amendment
 * then does, on a paragraph that moved on since it was tabled.
 */
const { browser, site } = browserAndSite()
let id = ''

interface ShownRun {
  text: string
  bold: boolean
  italic: boolean
}

/**
 * A paragraph as Chromium renders it, words and weight: what a reader sees,
 * with suggested insertions in and suggested deletions, labels, the margin
 * and other people's carets out.
 */
function shownRuns(page: Page, index: number): Promise<ShownRun[]> {
  return paragraph(page, index).evaluate((element) => {
    const runs: ShownRun[] = []
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT)
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement!
      if (parent.closest('.suggestion-label, .suggestion-delete, .margin, .collaboration-carets__caret, .visually-hidden')) continue
      const style = getComputedStyle(parent)
      const run = { text: node.textContent ?? '', bold: Number(style.fontWeight) >= 600, italic: style.fontStyle === 'italic' }
      const last = runs[runs.length - 1]
      if (last && last.bold === run.bold && last.italic === run.italic) last.text += run.text
      else if (run.text.length > 0) runs.push(run)
    }
    return runs
  })
}

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
  // Two changes to the same words of §4: they collide.
  const fourth = await blockText(3)
  ids['A4'] = await table('kwame', { blockId: fourth.blockId, text: fourth.text.replace(/^(\S+ \S+) pas /, '$1 vraiment pas ') })
  ids['A5'] = await table('lucia', { blockId: fourth.blockId, text: fourth.text.replace(/^(\S+ \S+) pas /, '$1 guère ') })
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

  it('groups amendments that collide as the paragraph stands, as someone types into the words they change and takes it back', async () => {
    const shot = screenshots('shown-collision')
    const chair = await frenchPerson(browser(), site(), 'ingrid', 'Europe/Stockholm', { width: 1600, height: 1000 })
    const typist = await frenchPerson(browser(), site(), 'secretariat', 'Europe/Paris')
    await chair.page.goto(`${site().url}/resolutions/${id}/desk`)
    const group = chair.page.locator(`[data-testid="desk-group"][data-block="${(await blockText(3)).blockId}"]`)
    const together = () => group.getByTestId('collision').locator('[data-amendment]').evaluateAll((cards) => cards.map((card) => card.getAttribute('data-amendment')))
    const conflicts = () => group.locator('.badge.conflict').count()
    await expect.poll(together).toEqual(['A4', 'A5'])
    expect(await conflicts()).toBe(0)

    // "pas", the word both change, becomes "pass": both are now in conflict, to be settled by hand, and no longer said to collide.
    await openDraft(typist.page)
    await clickStartOf(typist.page, 3)
    const head = /^\S+ \S+ pas/.exec((await blockText(3)).text)![0]
    for (let step = 0; step < head.length; step++) await typist.page.keyboard.press('ArrowRight')
    await typist.page.keyboard.type('s')
    await expect.poll(async () => (await preview(ids['A5']!)).state).toBe('conflict')
    await expect.poll(conflicts).toBe(2)
    await expect.poll(together).toEqual([])
    await shot(chair.page, 'collision-gone')

    // Taken back: they collide again, as the server says on reading them.
    await typist.page.keyboard.press('Backspace')
    await expect.poll(async () => (await preview(ids['A5']!)).state).toBe('clean')
    await expect.poll(together).toEqual(['A4', 'A5'])
    expect(await conflicts()).toBe(0)
    const listed = (await callApi(site(), `/api/resolutions/${id}/amendments`, 'ingrid')) as unknown as Array<{ number: string; collidesWith: string[] }>
    expect(listed.find((amendment) => amendment.number === 'A4')!.collidesWith).toEqual([ids['A5']])
    for (const { context } of [chair, typist]) await context.close()
  })

  it('draws into the paragraph, word for word and bold for bold, what accepting the amendment then writes there', async () => {
    const shot = screenshots('shown-suggestions')
    // The paragraph moves on: A3 accepted first, a few words away from A2's changes.
    await callApi(site(), `/api/amendments/${ids['A3']}/decision`, 'ingrid', { decision: 'accept' })
    const chair = await frenchPerson(browser(), site(), 'ingrid', 'Europe/Stockholm')
    const { page } = chair
    await openDraft(page)
    await expect.poll(async () => (await shownRuns(page, 1)).map((run) => run.text).join('')).toContain('avec ferveur')
    await page.getByLabel('Afficher les amendements dans le texte').check()
    await expect.poll(() => paragraph(page, 1).locator('.suggestion-label', { hasText: 'A2' }).count()).toBe(1)
    const suggested = await shownRuns(page, 1)
    await paragraph(page, 1).scrollIntoViewIfNeeded()
    await shot(page, 'suggested')
    await page.getByLabel('Afficher les amendements dans le texte').uncheck()
    const before = await shownRuns(page, 1)
    expect(suggested).not.toEqual(before)

    expect((await preview(ids['A2']!)).state).toBe('clean')
    await callApi(site(), `/api/amendments/${ids['A2']}/decision`, 'ingrid', { decision: 'accept' })
    await expect.poll(() => shownRuns(page, 1)).not.toEqual(before)
    expect(await shownRuns(page, 1)).toEqual(suggested)
    await chair.context.close()
  })
})
