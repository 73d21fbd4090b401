import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { browserAndSite, callApi, frenchPerson, moveCaret, openDraft, screenshots, textOf } from './harness.ts'

const { browser, site } = browserAndSite()
const plain = (text: string | null) => (text ?? '').replace(/[\u00a0\u202f]/g, ' ')

/** The draft in consolidation with three amendments to §3: A1 and A3 touch its first word (they collide), A2 its end. */
async function threeAmendments() {
  const api = (path: string, username: string, body?: unknown) => callApi(site(), path, username, body)
  const id = (await site().services.db.query<{ id: string }>('select id from resolutions limit 1'))[0]!.id
  await api(`/api/resolutions/${id}/stage`, 'secretariat', { to: 'amendments', deadline: new Date(Date.now() + 86_400_000).toISOString() })
  const document = await site().services.collab.open(id)
  const third = document.doc.getXmlFragment('body').get(2) as unknown as { getAttribute(name: string): string; toString(): string }
  const blockId = third.getAttribute('id')
  const base = third.toString().replace(/<[^>]*>/g, '')
  await api(`/api/resolutions/${id}/amendments`, 'kwame', { kind: 'replace', blockId, text: base.replace(/^Le socialisme/, 'Le socialisme aussi'), justification: 'Pour insister.' })
  await api(`/api/resolutions/${id}/amendments`, 'kwame', { kind: 'replace', blockId, text: `${base} Ajout de la délégation.`, justification: 'Pour compléter.' })
  await api(`/api/resolutions/${id}/amendments`, 'lucia', { kind: 'replace', blockId, text: base.replace(/^Le socialisme/, 'Le socialisme démocratique'), justification: 'Pour préciser.' })
  return { id, base }
}

describe('the consolidation desk, in French', () => {
  it('shows each paragraph with only the changed lines, colliding amendments together, and lets the chair compose a compromise and reset a decision from there', async () => {
    const shot = screenshots('desk')
    const { id, base } = await threeAmendments()
    await callApi(site(), `/api/resolutions/${id}/stage`, 'secretariat', { to: 'consolidation' })
    expect(base.length).toBeGreaterThan(160)

    const chair = await frenchPerson(browser(), site(), 'ingrid', 'Europe/Stockholm', { width: 1600, height: 1000 })
    const { page } = chair
    await openDraft(page)
    await page.getByRole('link', { name: 'Bureau de consolidation' }).click()
    await expect.poll(() => page.url()).toBe(`${site().url}/resolutions/${id}/desk`)
    const group = page.getByTestId('desk-group')
    await expect.poll(() => group.count()).toBe(1)
    expect(await group.locator('h2').textContent()).toBe('§3')
    // The paragraph with its line numbers, then each amendment with only the lines it changes.
    const lines = group.locator('.desk-paragraph li .line-number')
    const numbers = (await lines.allTextContents()).map(Number)
    expect(numbers.length).toBeGreaterThan(2)
    expect(numbers).toEqual(numbers.map((_, index) => numbers[0]! + index))
    const changed = (number: string) => group.locator(`[data-amendment="${number}"]`).getByTestId('changed-lines').locator('li')
    await expect.poll(() => changed('A1').count()).toBe(1)
    expect(await changed('A1').locator('.line-number').textContent()).toBe(String(numbers[0]))
    expect(await changed('A1').locator('ins').textContent()).toContain('aussi')
    expect(await changed('A2').count()).toBe(1)
    expect(await changed('A2').locator('.line-number').textContent()).toBe(String(numbers[numbers.length - 1]))
    expect(await changed('A2').locator('ins').textContent()).toContain('Ajout de la délégation.')
    // A1 and A3 touch the same words: grouped and said to collide; A2 stands alone.
    const collision = group.getByTestId('collision')
    await expect.poll(() => collision.locator('[data-amendment]').evaluateAll((cards) => cards.map((card) => card.getAttribute('data-amendment')))).toEqual(['A1', 'A3'])
    expect(plain(await collision.locator('.collision-note').textContent())).toMatch(/^En conflit : A1, A3 modifient les mêmes mots/)
    await shot(page, 'desk')

    // A compromise of A1 and A2, without retyping: both changes are already in it.
    await group.getByLabel('Sélectionner A1 pour un compromis').check()
    await group.getByLabel('Sélectionner A2 pour un compromis').check()
    await group.getByRole('button', { name: 'Composer un compromis à partir de 2 sélectionnés' }).click()
    const preview = group.getByTestId('compromise-preview')
    await expect.poll(() => preview.locator('ins').allInnerTexts()).toEqual([expect.stringMatching(/aussi/), expect.stringMatching(/Ajout de la délégation\./)])
    await shot(page, 'desk-compromise')
    await group.locator('.compromise-form').getByLabel('Exposé des motifs').fill('Les deux ajouts.')
    await group.getByRole('button', { name: 'Déposer le compromis' }).click()
    const a4 = group.locator('[data-amendment="A4"]')
    await a4.waitFor()
    expect(await a4.locator('.badge', { hasText: 'Compromis' }).count()).toBe(1)
    // A1, merged into it, still shows only the line it changed, as numbered when tabled.
    await expect.poll(async () => plain(await group.locator('[data-amendment="A1"] .desk-where').textContent())).toBe('Tel que déposé (lignes numérotées comme lors du dépôt) :')
    expect(await changed('A1').locator('.line-number').allTextContents()).toEqual([String(numbers[0])])

    // A wrong rejection of A3, reset from the desk: A3 is tabled again.
    const a3 = () => group.locator('[data-amendment="A3"]')
    await a3().getByRole('button', { name: 'Rejeter…' }).click()
    await a3().getByLabel('Motif du rejet').fill('Hors sujet.')
    await a3().getByRole('button', { name: 'Rejeter', exact: true }).click()
    await expect.poll(() => a3().locator('.badge.status').textContent()).toBe('Rejeté')
    await a3().getByRole('button', { name: /^Annuler la décision/ }).click()
    await a3().getByLabel('Motif de la correction').fill('Rejeté par erreur.')
    await a3().getByRole('button', { name: 'Annuler la décision sur A3' }).click()
    await expect.poll(() => a3().locator('.badge.status').textContent()).toBe('Déposé')
    await shot(page, 'desk-reset')
    await chair.context.close()
  })

  it('shows an amendment’s words inside its paragraph on demand without changing the shared text, and keeps § numbers as frozen when amendments opened', async () => {
    const shot = screenshots('desk-suggestions')
    const id = (await site().services.db.query<{ id: string }>('select id from resolutions limit 1'))[0]!.id
    const document = await site().services.collab.open(id)
    const secretariat = await frenchPerson(browser(), site(), 'secretariat', 'Europe/Paris')
    const chair = await frenchPerson(browser(), site(), 'ingrid', 'Europe/Stockholm')
    for (const { page } of [secretariat, chair]) await openDraft(page)
    const paragraph = (page: Page) => page.locator('.resolution-text > p').nth(2)
    const before = await textOf(secretariat.page, 2)
    const body = () => document.doc.getXmlFragment('body').toString()
    const shared = body()
    let updates = 0
    const count = () => {
      updates += 1
    }
    document.doc.on('update', count)

    await secretariat.page.getByLabel('Afficher les amendements dans le texte').check()
    const inserted = paragraph(secretariat.page).locator('.suggestion-insert[data-amendment="A4"]')
    await expect.poll(async () => (await inserted.allTextContents()).join('|')).toContain('Ajout de la délégation.')
    expect(await paragraph(secretariat.page).locator('.suggestion-label', { hasText: 'A4' }).count()).toBe(1)
    await paragraph(secretariat.page).scrollIntoViewIfNeeded()
    await shot(secretariat.page, 'suggestions-shown')
    await secretariat.page.getByLabel('Afficher les amendements dans le texte').uncheck()
    await expect.poll(() => paragraph(secretariat.page).locator('.suggestion-insert').count()).toBe(0)
    // Nothing of it reached the shared document: no update, the same text.
    expect(updates).toBe(0)
    expect(await textOf(secretariat.page, 2)).toBe(before)
    expect(body()).toBe(shared)
    document.doc.off('update', count)

    // A paragraph inserted above §3: numbers stay frozen through consolidation (CONTRACT.md), so the new one is §1a on
    // every screen without a reload, and the card still cites §3 where the margin shows it.
    const card = chair.page.locator('.amendments-panel [data-amendment="A3"] h3')
    const tabled = plain(await card.textContent())
    expect(tabled).toMatch(/^A3 · §3, ligne \d+$/)
    await secretariat.page.locator('.resolution-text > p').nth(0).click()
    await moveCaret(secretariat.page, 'End')
    await secretariat.page.keyboard.press('Enter')
    await secretariat.page.keyboard.type('Un paragraphe ajouté par le secrétariat.')
    const margins = () => chair.page.locator('.resolution-text .margin-paragraph').allTextContents()
    await expect.poll(async () => (await margins()).slice(0, 4)).toEqual(['§1', '§1a', '§2', '§3'])
    expect(plain(await card.textContent())).toBe(tabled)
    await shot(chair.page, 'paragraph-number-current')
    for (const { context } of [secretariat, chair]) await context.close()
  })
})
