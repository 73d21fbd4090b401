import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { docx as handWrittenDocx, p, r } from '../apps/server/test/handWrittenDocx.ts'
import { browserAndSite, screenshots } from './harness.ts'
import { noEnglish, plain } from './noEnglish.ts'

const { browser, site } = browserAndSite()
const run = promisify(execFile)


async function frenchPerson(username: string, timezoneId: string) {
  const context = await browser().newContext({ viewport: { width: 1280, height: 900 }, locale: 'fr-FR', timezoneId })
  const page = await context.newPage()
  await page.goto(site().url)
  await page.getByLabel('Identifiant').fill(username)
  await page.getByLabel('Mot de passe').fill('demo')
  await page.getByRole('button', { name: 'Se connecter' }).click()
  await page.locator('.resolution-list a').first().waitFor()
  return { context, page }
}

/**
 * A Word draft made by LibreOffice from HTML, not by Hemicycle's own writer:
 * a heading, three paragraphs and a table, which the import cannot keep as one.
 */
let work: string
let docx: string
beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'hemicycle-e2e-docx-'))
  writeFileSync(
    join(work, 'travail-decent.html'),
    `<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Travail décent</title></head><body>
<h1>Résolution : le travail décent</h1>
<p>Le travail décent est la base d’une vie digne pour toutes et tous.</p>
<p>Nous demandons un salaire minimum qui permette de vivre dans chaque pays.</p>
<table border="1"><tr><td>Pays</td><td>Salaire</td></tr><tr><td>Chili</td><td>500</td></tr></table>
<p>Nous soutenons la liberté syndicale partout dans le monde.</p>
</body></html>`,
  )
  // A throwaway profile: other LibreOffice runs on the machine keep theirs.
  const profile = pathToFileURL(join(work, 'profile')).href
  await run('soffice', ['--headless', '--norestore', `-env:UserInstallation=${profile}`, '--convert-to', 'docx:MS Word 2007 XML', '--outdir', work, join(work, 'travail-decent.html')], {
    timeout: 120_000,
    killSignal: 'SIGKILL',
  })
  docx = join(work, 'travail-decent.docx')
}, 150_000)
afterAll(() => rmSync(work, { recursive: true, force: true }))

describe('the secretariat’s pages in French', () => {
  it('creates a resolution from a Word file after reading its warnings, opens amendments and extends the deadline; a delegation is told live; the log and the filtered booklet follow', async () => {
    const shot = screenshots('secretariat-french')
    const secretariat = await frenchPerson('secretariat', 'Europe/Paris')
    const delegate = await frenchPerson('claire', 'America/Santiago')
    const { page } = secretariat
    const unread = async () => Number(/\((\d+) non lues?\)/.exec((await delegate.page.getByTestId('notifications-button').textContent()) ?? '')?.[1])
    await expect.poll(unread).toBe(0)

    // The dry run says what the file holds that the text cannot keep, before anything is created.
    const before = (await site().services.db.query<{ count: number }>('select count(*)::int as count from resolutions'))[0]!.count
    await page.getByRole('link', { name: 'Nouvelle résolution' }).click()
    await page.getByLabel('Fichier à importer').setInputFiles(docx)
    const preview = page.getByTestId('import-preview')
    await preview.waitFor()
    expect(plain(await preview.innerText())).toMatch(/Le texte compte \d+ paragraphes numérotés/)
    expect(await page.getByTestId('import-warnings').locator('li').allInnerTexts()).toEqual(['un tableau (ses cellules deviennent des paragraphes)'])
    expect((await site().services.db.query<{ count: number }>('select count(*)::int as count from resolutions'))[0]!.count).toBe(before)
    expect(await page.getByLabel('Titre').inputValue()).toBe('Résolution : le travail décent')
    await noEnglish(page)
    await shot(page, 'import-preview')

    await page.getByLabel('Titre').fill('Le travail décent')
    await page.getByLabel('Langue de l’original').selectOption('fr')
    await page.getByRole('button', { name: 'Créer la résolution' }).click()
    await page.locator('.resolution-text p').first().waitFor()
    expect(await page.locator('#draft-title').textContent()).toBe('Le travail décent')
    expect(plain(await page.locator('.resolution-text').innerText())).toContain('Nous soutenons la liberté syndicale')
    const id = decodeURIComponent(/\/resolutions\/([^/]+)$/.exec(page.url())![1]!)

    // Amendments open with a deadline, then the deadline is extended; the delegation's count rises as it happens.
    await page.getByRole('button', { name: /Ouvrir les amendements/ }).click()
    await page.getByLabel(/^Date limite des amendements/).fill('2030-12-01T18:00')
    await page.getByRole('button', { name: 'Ouvrir les amendements', exact: true }).click()
    await expect.poll(async () => plain((await page.getByTestId('countdown').textContent()) ?? '')).toMatch(/1 déc\. 2030, 18:00 UTC/)
    await expect.poll(unread).toBe(1)
    await page.getByRole('button', { name: /Changer la date limite/ }).click()
    await page.getByLabel(/^Date limite des amendements/).fill('2030-12-03T12:00')
    await page.getByRole('button', { name: 'Enregistrer la date limite' }).click()
    await expect.poll(async () => plain((await page.getByTestId('countdown').textContent()) ?? '')).toMatch(/3 déc\. 2030, 12:00 UTC/)
    await expect.poll(unread).toBe(2)
    await delegate.page.getByTestId('notifications-button').click()
    // The panel stays on screen wherever the header put its button.
    const panel = await delegate.page.locator('.notifications-panel').boundingBox()
    const viewport = delegate.page.viewportSize()!
    expect(panel!.x).toBeGreaterThanOrEqual(0)
    expect(panel!.x + panel!.width).toBeLessThanOrEqual(viewport.width)
    const told = (await delegate.page.getByTestId('notification').allInnerTexts()).map(plain)
    expect(told).toEqual([
      expect.stringMatching(/^Le travail décent .*a reporté la date limite des amendements au 3 déc\. 2030/),
      expect.stringMatching(/^Le travail décent .*a fait passer le texte de « Projet » à « Amendements ouverts »\..*jusqu’au 1 déc\. 2030/),
    ])
    await noEnglish(delegate.page)
    await shot(delegate.page, 'told-in-french')
    // As a menu: Escape closes it and gives the focus back to its button, a click elsewhere closes it, and a notice's
    // title opens its resolution (the panel stood over the page until its button was clicked again).
    const bell = delegate.page.getByTestId('notifications-button')
    const panelShown = () => delegate.page.locator('.notifications-panel').count()
    await delegate.page.locator('.notifications-panel button').first().focus()
    await delegate.page.keyboard.press('Escape')
    await expect.poll(panelShown).toBe(0)
    expect(await bell.evaluate((element) => element === document.activeElement)).toBe(true)
    await bell.click()
    await delegate.page.locator('main h1, main h2').first().click()
    await expect.poll(panelShown).toBe(0)
    await bell.click()
    await delegate.page.getByTestId('notification').first().getByRole('link', { name: 'Le travail décent' }).click()
    await expect.poll(() => decodeURIComponent(new URL(delegate.page.url()).pathname)).toBe(`/resolutions/${id}`)
    expect(await panelShown()).toBe(0)
    await bell.click()
    await delegate.page.getByRole('button', { name: 'Tout marquer comme lu' }).click()
    await expect.poll(unread).toBe(0)
    await delegate.page.keyboard.press('Escape')
    // Read on the server, not only on this screen.
    await delegate.page.reload()
    await delegate.page.getByTestId('notifications-button').click()
    await expect.poll(() => delegate.page.locator('[data-testid="notification"].read').count()).toBeGreaterThanOrEqual(2)
    expect(await delegate.page.locator('[data-testid="notification"].unread').count()).toBe(0)
    await delegate.page.keyboard.press('Escape')

    // Two amendments; the Parti progressiste withdraws its own.
    const blocks = await page.locator('.margin').evaluateAll((margins) => margins.map((margin) => (margin as HTMLElement).dataset['blockId']!))
    const table = async (who: Page, block: string, text: string) => {
      const response = await who.request.post(`${site().url}/api/resolutions/${id}/amendments`, { data: { kind: 'replace', blockId: block, text, justification: 'Plus précis.' } })
      expect(response.status()).toBe(201)
      return (await response.json()) as { id: string; number: string }
    }
    const kept = await table(delegate.page, blocks[0]!, 'Un travail décent est la base d’une vie digne.')
    const withdrawn = await table(delegate.page, blocks[1]!, 'Nous exigeons un salaire minimum vital partout.')
    expect((await delegate.page.request.post(`${site().url}/api/amendments/${withdrawn.id}/withdraw`)).status()).toBe(200)

    // The log, in French, in the viewer's zone, without logins.
    await page.getByRole('link', { name: 'Journal des opérations' }).click()
    const rows = page.locator('.audit-table tbody tr')
    await rows.first().waitFor()
    const log = (await rows.allInnerTexts()).map(plain)
    expect(log).toEqual([
      expect.stringMatching(/UTC\+1\s+Amina Diallo\s+A créé la résolution « Le travail décent » à partir d’un fichier Word$/),
      expect.stringMatching(/A fait passer la résolution de « Projet » à « Amendements ouverts »\nDate limite de dépôt des amendements : 1 déc\. 2030, 19:00 UTC\+1$/),
      expect.stringMatching(/A reporté la date limite de dépôt des amendements du 1 déc\. 2030, 19:00 UTC\+1 au 3 déc\. 2030, 13:00 UTC\+1$/),
      expect.stringMatching(/Claire Martin, Parti progressiste \(France\)\s+A déposé l’amendement A1$/),
      expect.stringMatching(/Claire Martin, Parti progressiste \(France\)\s+A déposé l’amendement A2$/),
      expect.stringMatching(/Claire Martin, Parti progressiste \(France\)\s+A retiré l’amendement A2$/),
    ])
    expect(await page.locator('.audit-table tr[data-action="login"], .audit-table tr[data-action="logout"]').count()).toBe(0)
    const logins = await site().services.db.query<{ count: number }>("select count(*)::int as count from audit_log where action = 'login'")
    expect(logins[0]!.count).toBeGreaterThan(0)
    await noEnglish(page)
    await shot(page, 'audit-log')

    // The booklet, filtered on screen and in the file it downloads.
    await page.getByRole('link', { name: 'Retour à la résolution' }).click()
    await page.getByRole('link', { name: 'Cahier des amendements' }).click()
    await page.locator('.booklet-entry').first().waitFor()
    expect(await page.locator('.booklet-entry').count()).toBe(2)
    await page.getByLabel('Statut').selectOption({ label: 'Déposé' })
    await expect.poll(() => page.locator('.booklet-entry').count()).toBe(1)
    expect(await page.locator('.booklet-entry h3').allTextContents()).toEqual([expect.stringMatching(new RegExp(`^${kept.number} · §\\d+, ligne \\d+$`))])
    await page.getByLabel(/^Délégation/).selectOption({ label: 'Parti progressiste (France)' })
    await noEnglish(page)
    await shot(page, 'booklet-filtered')
    const pdfLink = page.getByRole('link', { name: /PDF/ }).first()
    const href = (await pdfLink.getAttribute('href'))!
    expect(href).toMatch(/booklet\.pdf\?(.*&)?status=tabled/)
    expect(href).toContain('delegation=fr-pp')
    const pdf = await page.request.get(`${site().url}${href}`)
    expect(pdf.status()).toBe(200)
    const pdfPath = join(work, 'booklet.pdf')
    writeFileSync(pdfPath, await pdf.body())
    const { stdout } = await run('pdftotext', ['-layout', pdfPath, '-'])
    expect(stdout).toContain(`${kept.number} · §`)
    expect(stdout).not.toContain(`${withdrawn.number} · `)
    expect(stdout).not.toContain('salaire minimum vital')
    const unfiltered = await page.request.get(`${site().url}/api/resolutions/${id}/booklet.pdf`)
    writeFileSync(pdfPath, await unfiltered.body())
    expect((await run('pdftotext', ['-layout', pdfPath, '-'])).stdout).toContain(`${withdrawn.number} · `)

    for (const { context } of [secretariat, delegate]) await context.close()
  }, 120_000)

  it('reads a Word file with tracked changes again once they are rejected: the preview counts and the resolution holds the text without them', async () => {
    // A paragraph inserted with its paragraph mark, tracked: accepted, the text has three paragraphs; rejected, two.
    const inserted = `<w:p><w:pPr><w:rPr><w:ins w:id="1" w:author="Mateo" w:date="2026-11-20T10:00:00Z"/></w:rPr></w:pPr><w:ins w:id="2" w:author="Mateo" w:date="2026-11-20T10:00:00Z">${r('Il décide de doubler le budget.')}</w:ins></w:p>`
    const file = join(work, 'suivi.docx')
    writeFileSync(file, handWrittenDocx(p(r('Le Conseil se réunit à Lisbonne.')) + inserted + p(r('Il se sépare.'))))
    const { context, page } = await frenchPerson('secretariat', 'Europe/Paris')
    await page.getByRole('link', { name: 'Nouvelle résolution' }).click()
    await page.getByLabel('Fichier à importer').setInputFiles(file)
    const preview = page.getByTestId('import-preview')
    await preview.waitFor()
    const size = async () => /(\d+) paragraphes numérotés/.exec(plain(await preview.innerText()))?.[1]
    expect(await size()).toBe('3')
    expect(await page.getByTestId('import-warnings').locator('li').allInnerTexts()).toEqual(['une modification suivie ni acceptée ni refusée'])
    const create = page.getByRole('button', { name: 'Créer la résolution' })
    expect(await create.isDisabled()).toBe(true)

    await page.getByLabel('le texte avec les modifications refusées').check()
    // Read again with the choice: the inserted paragraph is gone from the count, and the warning says what was done.
    await expect.poll(size).toBe('2')
    expect(await page.getByTestId('import-warnings').locator('li').allInnerTexts()).toEqual(['une modification suivie, refusée comme demandé'])
    expect(await page.getByLabel('le texte avec les modifications refusées').isChecked()).toBe(true)
    await noEnglish(page)
    await page.getByLabel('Titre').fill('Le budget')
    await create.click()
    await page.locator('.resolution-text p').first().waitFor()
    const id = decodeURIComponent(/\/resolutions\/([^/]+)$/.exec(page.url())![1]!)
    const markdown = await (await page.request.get(`${site().url}/api/resolutions/${id}/export.md`)).text()
    expect(markdown.split('---').at(-1)!.trim()).toBe('Le Conseil se réunit à Lisbonne.\n\nIl se sépare.')
    await context.close()
  })

  it('counts a one-paragraph, one-line file in the singular in the preview', async () => {
    const file = join(work, 'court.md')
    writeFileSync(file, '---\ntitle: "Court"\nlanguage: fr\n---\n\nLe Conseil se réunit.\n')
    const { context, page } = await frenchPerson('secretariat', 'Europe/Paris')
    await page.getByRole('link', { name: 'Nouvelle résolution' }).click()
    await page.getByLabel('Fichier à importer').setInputFiles(file)
    const preview = page.getByTestId('import-preview')
    await preview.waitFor()
    expect(plain(await preview.locator('p').first().innerText())).toBe('Le texte compte 1 paragraphe numéroté et 1 ligne.')
    await context.close()
  })

  it('creates an empty draft in Spanish and writes its first paragraph in the editor', async () => {
    const { context, page } = await frenchPerson('secretariat', 'Europe/Paris')
    await page.getByRole('link', { name: 'Nouvelle résolution' }).click()
    await page.getByLabel(/un projet vide/).check()
    await page.getByLabel('Titre').fill('Por un trabajo digno')
    await page.getByLabel('Langue de l’original').selectOption({ label: 'espagnol' })
    await page.getByLabel('Événement (facultatif)').fill('Consejo 2027')
    await noEnglish(page)
    await page.getByRole('button', { name: 'Créer la résolution' }).click()
    await page.locator('.resolution-text p').first().waitFor()
    expect(plain((await page.getByTestId('stamp').textContent()) ?? '')).toMatch(/^PROYECTO \d{2} de [a-z]+ de \d{4}$/)
    await page.locator('.resolution-text p').first().click()
    await page.keyboard.type('El trabajo digno es un derecho.')
    const id = decodeURIComponent(/\/resolutions\/([^/]+)$/.exec(page.url())![1]!)
    await expect
      .poll(async () => (await (await page.request.get(`${site().url}/api/resolutions/${id}/export.md`)).text()).split('---').at(-1)!.trim(), { timeout: 10_000 })
      .toBe('El trabajo digno es un derecho.')
    await context.close()
  })
})
