import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { browserAndSite, callApi, loggedIn, moveCaret, paragraph, screenshots, textOf } from './harness.ts'

const { browser, site } = browserAndSite()

/** A resolution of `paragraphs` in consolidation, with `amendments` (replacements of a paragraph, by its index) tabled. */
async function inConsolidation(title: string, paragraphs: string[], amendments: Array<{ at: number; text: string; as: string }>) {
  const login = (await (await fetch(`${site().url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'secretariat', password: 'demo' }) })).json()) as { token: string }
  const form = new FormData()
  form.append('file', new File([`---\ntitle: "${title}"\nlanguage: en\n---\n\n${paragraphs.join('\n\n')}\n`], 'r.md'))
  const imported = (await (await fetch(`${site().url}/api/resolutions/import`, { method: 'POST', body: form, headers: { authorization: `Bearer ${login.token}` } })).json()) as { id: string }
  const id = imported.id
  const blocks = ((await callApi(site(), `/api/resolutions/${id}/print.json`, 'secretariat')) as { blocks: Array<{ id: string }> }).blocks.map((block) => block.id)
  await callApi(site(), `/api/resolutions/${id}/stage`, 'secretariat', { to: 'amendments', deadline: '2100-01-01T00:00:00Z' })
  for (const { at, text, as } of amendments) await callApi(site(), `/api/resolutions/${id}/amendments`, as, { kind: 'replace', blockId: blocks[at], text, justification: 'Because.' })
  await callApi(site(), `/api/resolutions/${id}/stage`, 'secretariat', { to: 'consolidation' })
  return id
}

async function open(page: Page, id: string) {
  await page.goto(`${site().url}/resolutions/${id}`)
  await paragraph(page, 0).waitFor()
}

const stored = async (id: string) => {
  const markdown = (await (await fetch(`${site().url}/api/resolutions/${id}/export.md`, { headers: { authorization: `Bearer ${((await (await fetch(`${site().url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'tomas', password: 'demo' }) })).json()) as { token: string }).token}` } })).text())
  return markdown.split(/^---$/m).pop()!.trim().split(/\n\n/)
}

/**
 * What the chair confirms is what the text becomes: a compromise composed
 * while the secretariat wrote in its paragraph kept those words out and its
 * acceptance deleted them unseen; "accept all that do not collide" accepted,
 * at the click, an amendment its preview had left for a decision one by one.
 */
describe('decisions prepared while others write', () => {
  it('a compromise keeps the words written in its paragraph while it was composed', async () => {
    const shot = screenshots('composed-meanwhile')
    const id = await inConsolidation('Compromise meanwhile', ['We must act quickly for the climate and for people.', 'Beta.'], [
      { at: 0, text: 'We must act rapidly for the climate and for people.', as: 'claire' },
      { at: 0, text: 'We must act quickly for the climate and for everyone.', as: 'lucia' },
    ])
    const chair = await loggedIn(browser(), site(), 'ingrid')
    const secretariat = await loggedIn(browser(), site(), 'secretariat')
    await open(chair.page, id)
    await open(secretariat.page, id)
    await chair.page.getByLabel('Select A1 for a compromise').check()
    await chair.page.getByLabel('Select A2 for a compromise').check()
    await chair.page.getByRole('button', { name: /Compose a compromise/ }).click()
    await chair.page.locator('.compromise-form .wording-editor').waitFor()

    await paragraph(secretariat.page, 0).click({ position: { x: 2, y: 8 } })
    await secretariat.page.keyboard.press('Home')
    await secretariat.page.keyboard.type('Today, ')
    await expect.poll(() => textOf(chair.page, 0)).toBe('Today, We must act quickly for the climate and for people.')
    // The preview shows the compromise as the paragraph will read: their words kept, not struck.
    await expect.poll(() => chair.page.getByTestId('compromise-preview').locator('del').allTextContents()).not.toContain('Today, ')
    await shot(chair.page, 'preview')
    await chair.page.locator('.compromise-form textarea').fill('Both ideas.')
    await chair.page.getByRole('button', { name: 'Table the compromise' }).click()
    const card = chair.page.locator('[data-amendment="A3"]')
    await card.getByRole('button', { name: 'Accept', exact: true }).click()
    await expect.poll(() => stored(id)).toEqual(['Today, We must act rapidly for the climate and for everyone.', 'Beta.'])
    await chair.context.close()
    await secretariat.context.close()
  })

  it('accepting all that do not collide accepts those the preview showed, and no other', async () => {
    const id = await inConsolidation('Bulk as shown', ['Alpha one is here.', 'Beta two is here.', 'Gamma three is here.'], [
      { at: 0, text: 'Alpha one is there.', as: 'claire' },
      { at: 1, text: 'Beta two is there.', as: 'claire' },
      { at: 2, text: 'Gamma three is there.', as: 'claire' },
    ])
    const chair = await loggedIn(browser(), site(), 'ingrid')
    const secretariat = await loggedIn(browser(), site(), 'secretariat')
    await open(chair.page, id)
    await open(secretariat.page, id)
    // The secretariat rewrites the word A2 changes: A2 conflicts.
    await paragraph(secretariat.page, 1).click()
    // Backspace once the editor has read where End took the caret (pressed at once, it acted where the click left it).
    await moveCaret(secretariat.page, 'End')
    await secretariat.page.keyboard.press('Backspace')
    await secretariat.page.keyboard.type(' now.')
    await expect.poll(() => textOf(chair.page, 1)).toBe('Beta two is here now.')
    await chair.page.getByRole('button', { name: /Accept all that do not collide/ }).click()
    const preview = chair.page.getByTestId('bulk-preview')
    await expect.poll(() => preview.textContent()).toContain('A2 (conflict)')
    // Taken back before the chair confirms.
    for (let i = 0; i < ' now.'.length; i++) await secretariat.page.keyboard.press('Backspace')
    await secretariat.page.keyboard.type('.')
    await expect.poll(() => textOf(chair.page, 1)).toBe('Beta two is here.')
    await preview.getByRole('button', { name: 'Accept these 2 amendments' }).click()
    await expect.poll(() => stored(id)).toEqual(['Alpha one is there.', 'Beta two is here.', 'Gamma three is there.'])
    await chair.context.close()
    await secretariat.context.close()
  })
})
