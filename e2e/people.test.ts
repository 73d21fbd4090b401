import { readFileSync } from 'node:fs'
import type { Browser } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { browserAndSite, screenshots } from './harness.ts'

const { browser, site } = browserAndSite()

const catalogue = (language: string) => JSON.parse(readFileSync(new URL(`../apps/web/src/i18n/locales/${language}.json`, import.meta.url), 'utf8')) as Record<string, unknown>
const leaves = (value: unknown): string[] => (typeof value === 'string' ? [value] : typeof value === 'object' && value ? Object.values(value).flatMap(leaves) : [])

/** Someone's own browser in French, logged in through the form. */
async function frenchBrowser(username: string, password = 'demo') {
  const context = await (browser() as Browser).newContext({ viewport: { width: 1280, height: 900 }, locale: 'fr-FR' })
  const page = await context.newPage()
  await page.goto(site().url)
  await page.getByLabel('Identifiant').fill(username)
  await page.getByLabel('Mot de passe').fill(password)
  await page.getByRole('button', { name: 'Se connecter' }).click()
  await page.locator('.resolution-list a').first().waitFor()
  return { context, page }
}

const loginStatus = async (username: string, password: string) =>
  (await fetch(`${site().url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) })).status

describe('the secretariat’s People page, in French', () => {
  it('adds a delegation and a person, changes the role, resets the password and deactivates, without curl and without English', async () => {
    const shot = screenshots('people')
    const { context, page } = await frenchBrowser('secretariat')
    await page.getByRole('navigation').getByRole('link', { name: 'Personnes' }).click()
    await page.getByRole('heading', { name: 'Personnes et délégations' }).waitFor()
    expect(new URL(page.url()).pathname).toBe('/people')
    await expect.poll(() => page.locator('tr[data-username]').count()).toBeGreaterThanOrEqual(14)
    // Countries are named in the interface's language.
    expect(await page.locator('tr[data-username="erik"]').textContent()).toContain('Arbetarpartiet (Suède)')

    await page.getByRole('button', { name: 'Ajouter une délégation…' }).click()
    const delegationForm = page.getByRole('form', { name: 'Ajouter une délégation' })
    await delegationForm.getByLabel('Parti').fill('Partido del Pueblo')
    await delegationForm.getByLabel('Pays').fill('Uruguay')
    await delegationForm.getByRole('button', { name: 'Ajouter la délégation' }).click()
    await delegationForm.waitFor({ state: 'detached' })

    await page.getByRole('button', { name: 'Ajouter une personne…' }).click()
    const form = page.getByRole('form', { name: 'Ajouter une personne' })
    await form.getByLabel('Nom').fill('Martina Pérez')
    await form.getByLabel('Identifiant').fill('martina')
    await form.getByLabel('Rôle').selectOption({ label: 'Délégué·e' })
    await form.getByLabel('Délégation').selectOption({ label: 'Partido del Pueblo (Uruguay)' })
    await form.getByLabel('Genre').selectOption({ label: 'Femme' })
    await form.getByLabel('Premier mot de passe').fill('court')
    await form.getByRole('button', { name: 'Créer le compte' }).click()
    await expect.poll(() => form.getByRole('alert').textContent()).toBe('Un mot de passe compte au moins 10 caractères.')
    await shot(page, 'refused-short-password')
    await form.getByLabel('Premier mot de passe').fill('une phrase de passe')
    await form.getByRole('button', { name: 'Créer le compte' }).click()
    const row = page.locator('tr[data-username="martina"]')
    await row.waitFor()
    expect(await row.textContent()).toContain('Partido del Pueblo (Uruguay)')
    expect(await row.textContent()).toContain('Actif')

    // Martina logs in with the password she was given.
    const martina = await frenchBrowser('martina', 'une phrase de passe')
    expect(await martina.page.locator('.account').textContent()).toContain('Martina Pérez')
    // A delegate has no People link, and the address shows them the resolutions instead.
    expect(await martina.page.getByRole('navigation').getByRole('link', { name: 'Personnes' }).count()).toBe(0)
    await martina.page.goto(`${site().url}/people`)
    await martina.page.locator('.resolution-list a').first().waitFor()
    expect(await martina.page.getByRole('heading', { name: 'Personnes et délégations' }).count()).toBe(0)

    await row.getByRole('button', { name: 'Changer le rôle' }).click()
    await row.getByLabel('Rôle').selectOption({ label: 'Présidence' })
    await row.getByRole('button', { name: 'Enregistrer' }).click()
    await expect.poll(() => page.locator('tr[data-username="martina"] td').nth(1).textContent()).toBe('Présidence')
    expect(await page.locator('tr[data-username="martina"]').textContent()).toContain('Partido del Pueblo (Uruguay)')

    await page.locator('tr[data-username="martina"]').getByRole('button', { name: 'Réinitialiser le mot de passe' }).click()
    await page.locator('tr[data-username="martina"]').getByLabel('Nouveau mot de passe').fill('une autre phrase')
    await page.locator('tr[data-username="martina"]').getByRole('button', { name: 'Définir le mot de passe' }).click()
    await expect.poll(() => page.locator('tr[data-username="martina"]').getByRole('status').textContent()).toMatch(/^Le mot de passe de Martina Pérez est défini/)
    await shot(page, 'password-set')
    expect(await loginStatus('martina', 'une phrase de passe')).toBe(401)
    expect(await loginStatus('martina', 'une autre phrase')).toBe(200)
    expect((await martina.page.request.get(`${site().url}/api/me`)).status()).toBe(401)

    const again = await frenchBrowser('martina', 'une autre phrase')
    await page.locator('tr[data-username="martina"]').getByRole('button', { name: 'Désactiver' }).click()
    await expect.poll(() => page.locator('tr[data-username="martina"] td').nth(3).textContent()).toBe('Désactivé')
    expect((await again.page.request.get(`${site().url}/api/me`)).status()).toBe(401)
    expect(await loginStatus('martina', 'une autre phrase')).toBe(401)

    // The secretariat cannot deactivate itself: the refusal is in French.
    await page.locator('tr[data-username="secretariat"]').getByRole('button', { name: 'Désactiver' }).click()
    await expect.poll(() => page.locator('tr[data-username="secretariat"]').getByRole('alert').textContent()).toMatch(/^Vous ne pouvez ni retirer/)
    await shot(page, 'deactivated')

    // No English string of the catalogue appears on the page.
    const english = leaves(catalogue('en')['people']).concat(leaves(catalogue('en')['errors'])).filter((text) => !text.includes('{{') && text.length >= 6 && !leaves(catalogue('fr')).includes(text))
    const visible = await page.locator('body').innerText()
    expect(english.filter((text) => visible.includes(text))).toEqual([])

    await Promise.all([context.close(), martina.context.close(), again.context.close()])
  })

  it('renames a delegation, removes one made by mistake, and says in French why one in use stays', async () => {
    const shot = screenshots('delegations')
    const { context, page } = await frenchBrowser('secretariat')
    const made = await page.request.post(`${site().url}/api/delegations`, { data: { party: 'Parti par erreur', country: 'Belgium' } })
    expect(made.status()).toBe(201)
    const mistake = ((await made.json()) as { id: string }).id
    await page.getByRole('navigation').getByRole('link', { name: 'Personnes' }).click()
    const delegations = page.getByRole('region', { name: 'Délégations' })
    await delegations.locator(`tr[data-delegation="${mistake}"]`).waitFor()

    const swedish = delegations.locator('tr[data-delegation="se-sap"]')
    expect(plain(await swedish.textContent())).toContain('Suède')
    await swedish.getByRole('button', { name: /^Renommer/ }).click()
    await swedish.getByRole('textbox', { name: 'Parti' }).fill('Socialdemokraterna')
    await swedish.getByRole('button', { name: 'Enregistrer le nouveau nom' }).click()
    await expect.poll(async () => plain(await delegations.locator('tr[data-delegation="se-sap"] td').first().textContent())).toBe('Socialdemokraterna')
    // The people of the delegation are shown under its new name.
    await expect.poll(async () => plain(await page.locator('tr[data-username="erik"]').textContent())).toContain('Socialdemokraterna (Suède)')

    const used = delegations.locator('tr[data-delegation="fr-pp"]')
    await used.getByRole('button', { name: /^Supprimer/ }).click()
    await used.getByRole('button', { name: /^Supprimer définitivement/ }).click()
    await expect.poll(async () => plain(await used.getByRole('alert').textContent())).toMatch(/^Cette délégation a des membres ou des amendements/)
    await shot(page, 'removal-refused')

    const wrong = delegations.locator(`tr[data-delegation="${mistake}"]`)
    await wrong.getByRole('button', { name: /^Supprimer/ }).click()
    expect(plain(await wrong.locator('.confirm-form p').textContent())).toMatch(/^La délégation Parti par erreur \(Belgique\) sera retirée/)
    await wrong.getByRole('button', { name: /^Supprimer définitivement/ }).click()
    await expect.poll(() => delegations.locator(`tr[data-delegation="${mistake}"]`).count()).toBe(0)
    const listed = (await (await page.request.get(`${site().url}/api/delegations`)).json()) as Array<{ id: string }>
    expect(listed.map((entry) => entry.id)).not.toContain(mistake)

    const english = leaves(catalogue('en')['delegations']).concat(leaves(catalogue('en')['errors'])).flatMap((text) => text.split(/\{\{[^}]+\}\}/)).map((part) => part.trim()).filter((part) => part.length >= 12 && !leaves(catalogue('fr')).some((own) => own.includes(part)))
    const visible = await page.locator('body').innerText()
    expect(english.filter((text) => visible.includes(text))).toEqual([])
    await context.close()
  })
})

const plain = (text: string | null) => (text ?? '').replace(/[\u00a0\u202f]/g, ' ')

describe('a person whose account the secretariat changes', () => {
  it('sees the new role in the page and loses the right to edit, without reloading', async () => {
    const { context, page } = await frenchBrowser('hafiz')
    await page.locator('.resolution-list a').first().click()
    await page.locator('.resolution-text').waitFor()
    await expect.poll(() => page.locator('.resolution-text').getAttribute('contenteditable')).toBe('true')
    expect(plain(await page.locator('header .role').textContent())).toContain('Délégué·e')

    const secretariat = (await (await fetch(`${site().url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'secretariat', password: 'demo' }) })).json()) as { token: string }
    const setRole = (role: string) =>
      fetch(`${site().url}/api/people/person-hafiz`, { method: 'PATCH', headers: { 'content-type': 'application/json', authorization: `Bearer ${secretariat.token}` }, body: JSON.stringify({ role }) })
    expect((await setRole('observer')).status).toBe(200)
    await expect.poll(async () => plain(await page.locator('header .role').textContent()), { timeout: 10_000 }).toContain('Observateur·rice')
    await expect.poll(() => page.locator('.resolution-text').getAttribute('contenteditable'), { timeout: 10_000 }).toBe('false')
    // Changed back at once, before the page has reconnected: it ends knowing what the server knows.
    expect((await setRole('delegate')).status).toBe(200)
    await expect.poll(async () => plain(await page.locator('header .role').textContent()), { timeout: 10_000 }).toContain('Délégué·e')
    await expect.poll(() => page.locator('.resolution-text').getAttribute('contenteditable'), { timeout: 10_000 }).toBe('true')

    // Made observer again, and left so: the editor says why it cannot be edited.
    expect((await setRole('observer')).status).toBe(200)
    await expect.poll(async () => plain(await page.getByTestId('read-only').textContent()), { timeout: 10_000 }).toMatch(/^Vous assistez en tant qu’observateur·rice/)
    expect(plain(await page.locator('header .role').textContent())).toContain('Observateur·rice')
    expect((await setRole('delegate')).status).toBe(200)
    await expect.poll(async () => plain(await page.locator('header .role').textContent()), { timeout: 10_000 }).toContain('Délégué·e')
    await context.close()
  })
})
