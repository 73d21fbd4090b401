import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { browserAndSite, callApi, frenchPerson as open, openDraft, screenshots } from './harness.ts'
import { noEnglish, plain } from './noEnglish.ts'

const { browser, site } = browserAndSite()


const frenchPerson = (username: string, timezoneId: string, viewport?: { width: number; height: number }) => open(browser(), site(), username, timezoneId, viewport)

/** No English on the page, nor in its version labels. */
async function noEnglishAtAll(page: Page) {
  await noEnglish(page)
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
    await noEnglishAtAll(secretariat.page)

    await secretariat.page.getByRole('button', { name: /Ouvrir les amendements/ }).click()
    await secretariat.page.getByLabel('Date limite des amendements (heure de la Malaisie)').fill('2030-12-01T18:00')
    await secretariat.page.getByRole('button', { name: 'Ouvrir les amendements', exact: true }).click()
    await expect.poll(async () => plain(await deadlineOf(secretariat.page))).toMatch(/^Dépôt clos dans .* : 1 déc\. 2030, 18:00 UTC\+8$/)
    // Paris reads its own time beside the meeting's.
    expect(plain(await secretariat.page.locator('.own-time').textContent() ?? '')).toBe(' (chez vous : 1 déc. 2030, 11:00 UTC+1)')

    await secretariat.page.getByRole('button', { name: /Changer la date limite/ }).click()
    await secretariat.page.getByLabel('Date limite des amendements (heure de la Malaisie)').fill('2030-12-03T12:00')
    await secretariat.page.getByRole('button', { name: 'Enregistrer la date limite' }).click()
    await expect.poll(async () => plain(await deadlineOf(secretariat.page))).toMatch(/3 déc\. 2030, 12:00 UTC\+8$/)
    await shot(secretariat.page, 'deadline-extended')
    await noEnglishAtAll(secretariat.page)

    const santiago = await frenchPerson('kwame', 'America/Santiago')
    const kualaLumpur = await frenchPerson('lucia', 'Asia/Kuala_Lumpur')
    expect(plain(await santiago.page.getByTestId('tabling').first().textContent() ?? '')).toBe('dépôt ouvert')
    for (const { page } of [santiago, kualaLumpur]) await openDraft(page)
    // The same words on both pages. Each redraws when its minute turns, so they may disagree only for the moment
    // between the two redraws: read again until they agree.
    const bothDeadlines = async () => {
      const [there, here] = [plain(await deadlineOf(santiago.page)), plain(await deadlineOf(kualaLumpur.page))]
      return there === here ? there : `${there} ≠ ${here}`
    }
    await expect.poll(bothDeadlines, { timeout: 10_000 }).toMatch(/^Dépôt clos dans [^≠]* : 3 déc\. 2030, 12:00 UTC\+8$/)
    expect(plain(await santiago.page.locator('.own-time').textContent() ?? '')).toBe(' (chez vous : 3 déc. 2030, 01:00 UTC−3)')
    expect(await kualaLumpur.page.locator('.own-time').count()).toBe(0)
    await noEnglishAtAll(santiago.page)

    // The secretariat's own pages walked in French too: the log, the filtered booklet, a new resolution.
    await secretariat.page.getByRole('link', { name: 'Journal des opérations' }).click()
    await secretariat.page.locator('.audit-table tbody tr').first().waitFor()
    await noEnglishAtAll(secretariat.page)
    await secretariat.page.getByRole('link', { name: 'Retour à la résolution' }).click()
    await secretariat.page.getByRole('link', { name: 'Cahier des amendements' }).click()
    await secretariat.page.getByLabel('Statut').selectOption({ label: 'Déposé' })
    await noEnglishAtAll(secretariat.page)
    await secretariat.page.goto(`${site().url}/resolutions/new`)
    await secretariat.page.getByRole('heading', { name: 'Nouvelle résolution' }).waitFor()
    await secretariat.page.getByLabel(/un projet vide/).check()
    await noEnglishAtAll(secretariat.page)
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
    await page.keyboard.press('Control+End')
    await page.keyboard.type(' Ajout de la délégation.')
    await form.getByLabel('Exposé des motifs').fill('Pour préciser.')
    await form.getByRole('button', { name: 'Déposer l’amendement' }).click()
    const card = page.locator('[data-amendment="A1"]')
    await card.waitFor()

    await card.getByRole('button', { name: /^Modifier/ }).click()
    await card.locator('.inline-form [contenteditable="true"]').click()
    await page.keyboard.press('Control+End')
    await page.keyboard.type(' Corrigé.')
    await card.getByRole('button', { name: 'Enregistrer A1' }).click()
    await expect.poll(() => card.locator('ins').allInnerTexts()).toContainEqual(expect.stringMatching(/Corrigé\./))
    expect(await page.locator('[data-amendment]').count()).toBe(1)

    // Withdrawing asks first, saying what follows.
    await card.getByRole('button', { name: /^Retirer/ }).click()
    expect(plain(await card.locator('.confirm-form p').textContent() ?? '')).toMatch(/^A1 sera retiré définitivement/)
    await noEnglishAtAll(page)
    await delegate.context.close()
  })

  it('lets the chair build a compromise from two amendments without retyping, reset a wrong decision, and the lock wait for the objection’s answer', async () => {
    const shot = screenshots('french-chair')
    const api = (path: string, username: string, body?: unknown) => callApi(site(), path, username, body)
    const id = (await site().services.db.query<{ id: string }>('select id from resolutions limit 1'))[0]!.id
    // A1 (the Parti progressiste's, from the test before) changes the end of §3; A2 adds a word after its first.
    const [a1] = (await api(`/api/resolutions/${id}/amendments`, 'kwame')) as unknown as Array<{ id: string; blockId: string; baseWording: Array<{ text: string }> }>
    const base = a1!.baseWording.map((run) => run.text).join('')
    // §3 as the delegate's browser shows it, found by words no amendment touches.
    const third = (page: Page) =>
      page.locator('.resolution-text > p').evaluateAll((nodes, middle) => {
        const texts = nodes.map((node) => {
          const copy = node.cloneNode(true) as HTMLElement
          copy.querySelectorAll('.collaboration-carets__caret, .margin').forEach((decoration) => decoration.remove())
          return copy.textContent ?? ''
        })
        return texts.find((text) => text.includes(middle)) ?? ''
      }, base.slice(20, 60))
    await api(`/api/resolutions/${id}/amendments`, 'kwame', { kind: 'replace', blockId: a1!.blockId, text: base.replace(/^(\S+)/, '$1 aussi'), justification: 'Pour insister.' })
    await api(`/api/resolutions/${id}/stage`, 'secretariat', { to: 'consolidation' })

    const chair = await frenchPerson('ingrid', 'Europe/Stockholm')
    const delegate = await frenchPerson('claire', 'Europe/Paris')
    const steering = await frenchPerson('mateo', 'America/Santiago')
    for (const { page } of [chair, delegate, steering]) await openDraft(page)
    // The paragraph's count badge opens its amendments.
    await chair.page.getByRole('button', { name: '2 amendements' }).click()
    expect(plain((await chair.page.getByTestId('shown-block').textContent()) ?? '')).toBe('Les amendements au §3. Tout afficher')
    expect(await chair.page.locator('[data-amendment]').count()).toBe(2)
    await chair.page.getByRole('button', { name: 'Tout afficher' }).click()
    await chair.page.getByLabel('Sélectionner A1 pour un compromis').check()
    await chair.page.getByLabel('Sélectionner A2 pour un compromis').check()
    await chair.page.getByRole('button', { name: 'Composer un compromis à partir de 2 sélectionnés' }).click()
    // Both amendments' changes are already in the compromise, shown as tracked changes against the text.
    const preview = chair.page.getByTestId('compromise-preview')
    await expect.poll(() => preview.locator('ins').allInnerTexts()).toEqual([expect.stringMatching(/aussi/), expect.stringMatching(/Ajout de la délégation\. Corrigé\./)])
    await shot(chair.page, 'compromise-from-both')
    await chair.page.locator('.compromise-form').getByLabel('Exposé des motifs').fill('Les deux ajouts.')
    await chair.page.getByRole('button', { name: 'Déposer le compromis' }).click()
    const a3 = chair.page.locator('[data-amendment="A3"]')
    await a3.waitFor()
    // Drawn up by the chair, for no delegation: said so, not "Secrétariat".
    expect(await a3.locator('.who').textContent()).toMatch(/^Présidence — /)
    await a3.getByRole('button', { name: 'Adopter', exact: true }).click()
    await expect.poll(async () => plain(await third(delegate.page))).toMatch(/ aussi .* Ajout de la délégation\. Corrigé\.$/)

    // A wrong decision, reset: the text goes back, A3 is tabled again.
    await a3.getByRole('button', { name: /^Annuler la décision/ }).click()
    await a3.getByLabel('Motif de la correction').fill('Adopté avant la fin du débat.')
    await a3.getByRole('button', { name: 'Annuler la décision sur A3' }).click()
    await expect.poll(async () => plain(await third(delegate.page))).toBe(plain(base))
    await expect.poll(() => a3.locator('.badge.status').textContent()).toBe('Déposé')
    await a3.getByRole('button', { name: 'Adopter', exact: true }).click()
    await expect.poll(async () => plain(await third(delegate.page))).toMatch(/ aussi /)

    // The Parti progressiste objects to the merge; the lock waits for the chair's answer.
    const a1Card = delegate.page.locator('[data-amendment="A1"]')
    await a1Card.getByRole('button', { name: /Accepter ou s’opposer/ }).click()
    await a1Card.getByLabel('Commentaire (facultatif)').fill('Notre ajout est dénaturé.')
    await a1Card.getByRole('button', { name: 'S’opposer', exact: true }).click()
    await a1Card.locator('.response').waitFor()
    await steering.page.getByRole('button', { name: /Verrouiller le texte final/ }).click()
    await steering.page.getByLabel(/Je confirme qu’il s’agit du texte final/).check()
    await steering.page.getByRole('button', { name: 'Verrouiller le texte final', exact: true }).click()
    await expect.poll(async () => plain((await steering.page.getByTestId('outstanding').textContent()) ?? '')).toContain('A1 : l’objection de la délégation est sans réponse')
    expect(plain((await steering.page.locator('.stage-panel [role="alert"]').textContent()) ?? '')).toBe('Des amendements ne sont pas encore réglés.')
    // Only an objection stands in the way: overriding leaves it unanswered; nothing lapses.
    expect(plain((await steering.page.locator('.stage-panel label.confirm').last().textContent()) ?? '')).toBe('Verrouiller quand même : ces objections restent sans réponse, et ce choix est consigné au journal.')
    await shot(steering.page, 'lock-refused')
    await noEnglishAtAll(steering.page)

    const chairA1 = chair.page.locator('[data-amendment="A1"]')
    await chairA1.getByRole('button', { name: /Répondre à l’objection/ }).click()
    await chairA1.getByLabel('Réponse à la délégation').fill('Le compromis garde l’essentiel de votre ajout.')
    await chairA1.getByRole('button', { name: 'Envoyer la réponse' }).click()
    await expect.poll(async () => plain((await delegate.page.locator('[data-amendment="A1"]').getByTestId('objection-reply').textContent()) ?? '')).toMatch(/Le compromis garde l’essentiel/)
    await steering.page.getByRole('button', { name: 'Verrouiller le texte final', exact: true }).click()
    await expect.poll(() => steering.page.getByTestId('stage').textContent()).toBe('Texte final')
    await noEnglishAtAll(chair.page)
    await noEnglishAtAll(delegate.page)
    // The consolidation desk speaks French only as well.
    await chair.page.getByRole('link', { name: 'Bureau de consolidation' }).click()
    await chair.page.getByTestId('desk-group').first().waitFor()
    await chair.page.locator('.desk-column').first().waitFor()
    await noEnglishAtAll(chair.page)
    for (const { context } of [chair, delegate, steering]) await context.close()
  })
})
