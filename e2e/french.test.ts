import { readFileSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { browserAndSite, openDraft, screenshots } from './harness.ts'

const { browser, site } = browserAndSite()

const catalogue = (language: string) => JSON.parse(readFileSync(new URL(`../apps/web/src/i18n/locales/${language}.json`, import.meta.url), 'utf8')) as unknown
const leaves = (value: unknown): string[] => (typeof value === 'string' ? [value] : typeof value === 'object' && value ? Object.values(value).flatMap(leaves) : [])
const french = leaves(catalogue('fr')).join('\n')
/** The English catalogue's sentences (the parts between placeholders long enough to be words of a sentence) that French does not share. */
const english = [
  ...new Set(
    leaves(catalogue('en'))
      .flatMap((text) => text.split(/\{\{[^}]+\}\}/))
      .map((part) => part.trim())
      .filter((part) => part.length >= 12 && !french.includes(part)),
  ),
]
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ')

/** A French-speaking person's own browser, in their own time zone and window. */
async function frenchPerson(username: string, timezoneId: string, viewport = { width: 1280, height: 900 }) {
  const context = await browser().newContext({ viewport, locale: 'fr-FR', timezoneId })
  const page = await context.newPage()
  await page.goto(site().url)
  await page.getByLabel('Identifiant').fill(username)
  await page.getByLabel('Mot de passe').fill('demo')
  await page.getByRole('button', { name: 'Se connecter' }).click()
  await page.locator('.resolution-list a').first().waitFor()
  return { context, page }
}

async function noEnglish(page: Page) {
  const visible = await page.locator('body').innerText()
  expect(english.filter((sentence) => visible.includes(sentence))).toEqual([])
  expect(await page.locator('select option').allInnerTexts()).not.toContainEqual(expect.stringMatching(/imported|draft →/))
}

/** The deadline as the meeting's zone writes it, without the reader's own reading. */
const deadlineOf = (page: Page) =>
  page.getByTestId('countdown').evaluate((node) => {
    const copy = node.cloneNode(true) as HTMLElement
    copy.querySelector('.own-time')?.remove()
    return copy.textContent ?? ''
  })

describe('the procedure in French', () => {
  it('opens amendments with a deadline in the meeting’s time zone, extends it, and names the same instant in Santiago and Kuala Lumpur, in French only', async () => {
    const shot = screenshots('french')
    const secretariat = await frenchPerson('secretariat', 'Europe/Paris')
    await openDraft(secretariat.page)
    expect(await secretariat.page.locator('#stage-title').textContent()).toBe('Étape\u00a0: Projet')
    await noEnglish(secretariat.page)

    await secretariat.page.getByRole('button', { name: /Ouvrir les amendements/ }).click()
    await secretariat.page.getByLabel('Date limite des amendements (heure de Asia/Kuala_Lumpur)').fill('2030-12-01T18:00')
    await secretariat.page.getByRole('button', { name: 'Ouvrir les amendements', exact: true }).click()
    await expect.poll(async () => plain(await deadlineOf(secretariat.page))).toMatch(/^Dépôt clos dans .* : 1 déc\. 2030, 18:00 UTC\+8$/)
    // Paris reads its own time beside the meeting's.
    expect(plain(await secretariat.page.locator('.own-time').textContent() ?? '')).toBe(' (chez vous : 1 déc. 2030, 11:00 UTC+1)')

    await secretariat.page.getByRole('button', { name: /Changer la date limite/ }).click()
    await secretariat.page.getByLabel('Date limite des amendements (heure de Asia/Kuala_Lumpur)').fill('2030-12-03T12:00')
    await secretariat.page.getByRole('button', { name: 'Enregistrer la date limite' }).click()
    await expect.poll(async () => plain(await deadlineOf(secretariat.page))).toMatch(/3 déc\. 2030, 12:00 UTC\+8$/)
    await shot(secretariat.page, 'deadline-extended')
    await noEnglish(secretariat.page)

    const santiago = await frenchPerson('kwame', 'America/Santiago')
    const kualaLumpur = await frenchPerson('lucia', 'Asia/Kuala_Lumpur')
    expect(plain(await santiago.page.getByTestId('tabling').first().textContent() ?? '')).toBe('dépôt ouvert')
    for (const { page } of [santiago, kualaLumpur]) await openDraft(page)
    expect(await deadlineOf(santiago.page)).toBe(await deadlineOf(kualaLumpur.page))
    expect(plain(await santiago.page.locator('.own-time').textContent() ?? '')).toBe(' (chez vous : 3 déc. 2030, 01:00 UTC−3)')
    expect(await kualaLumpur.page.locator('.own-time').count()).toBe(0)
    await noEnglish(santiago.page)
    for (const { context } of [secretariat, santiago, kualaLumpur]) await context.close()
  })

  it('at 200% zoom opens the amendment form in view with the focus, and the delegation edits its tabled amendment, which keeps its number', async () => {
    const shot = screenshots('french-zoom')
    // 200% zoom of a 1280 × 900 window: half the CSS pixels.
    const delegate = await frenchPerson('claire', 'Europe/Paris', { width: 640, height: 450 })
    const { page } = delegate
    await openDraft(page)
    await page.getByRole('button', { name: 'Proposer un amendement au §3' }).click()
    const form = page.locator('form.propose')
    await form.waitFor()
    expect(await page.evaluate(() => document.activeElement?.closest('form.propose') !== null)).toBe(true)
    const box = (await form.boundingBox())!
    expect(box.y).toBeGreaterThanOrEqual(0)
    expect(box.y).toBeLessThan(450)
    await shot(page, 'form-in-view-at-200')

    await form.locator('[contenteditable="true"]').click()
    await page.keyboard.press('End')
    await page.keyboard.type(' Ajout de la délégation.')
    await form.getByLabel('Exposé des motifs').fill('Pour préciser.')
    await form.getByRole('button', { name: 'Déposer l’amendement' }).click()
    const card = page.locator('[data-amendment="A1"]')
    await card.waitFor()

    await card.getByRole('button', { name: /^Modifier/ }).click()
    await card.locator('.inline-form [contenteditable="true"]').click()
    await page.keyboard.press('End')
    await page.keyboard.type(' Corrigé.')
    await card.getByRole('button', { name: 'Enregistrer A1' }).click()
    await expect.poll(() => card.locator('ins').allInnerTexts()).toContainEqual(expect.stringMatching(/Corrigé\./))
    expect(await page.locator('[data-amendment]').count()).toBe(1)

    // Withdrawing asks first, saying what follows.
    await card.getByRole('button', { name: /^Retirer/ }).click()
    expect(plain(await card.locator('.confirm-form p').textContent() ?? '')).toMatch(/^A1 sera retiré définitivement/)
    await noEnglish(page)
    await delegate.context.close()
  })
})
