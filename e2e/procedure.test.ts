import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { browserAndSite, clickStartOf, loggedIn, openDraft, screenshots, textOf } from './harness.ts'

const { browser, site } = browserAndSite()

const stageOf = (page: Page) => page.getByTestId('stage').textContent()

describe('from PROJET to adopted in the browser', () => {
  it('walks one resolution through every stage with the secretariat, a delegate, a chair and the Steering Committee', async () => {
    const shot = screenshots('procedure')
    const secretariat = await loggedIn(browser(), site(), 'secretariat')
    const delegate = await loggedIn(browser(), site(), 'kwame')
    const chair = await loggedIn(browser(), site(), 'ingrid')
    const steering = await loggedIn(browser(), site(), 'mateo')
    for (const { page } of [secretariat, delegate, chair, steering]) await openDraft(page)
    expect(await delegate.page.getByTestId('stamp').textContent()).toBe('PROJET 03 juillet 2019')

    // Draft: the delegate edits directly.
    await clickStartOf(delegate.page, 0)
    await delegate.page.keyboard.type('Ensemble, ')
    await expect.poll(() => textOf(chair.page, 0)).toMatch(/^Ensemble, Nous vivons/)
    expect(await delegate.page.locator('.resolution-text').getAttribute('contenteditable')).toBe('true')

    // Amendments open: the delegate's open editor turns read-only at once, and says why.
    await secretariat.page.getByRole('button', { name: /Open amendments/ }).click()
    await secretariat.page.getByRole('button', { name: 'Open amendments', exact: true }).click()
    await expect.poll(() => delegate.page.locator('.resolution-text').getAttribute('contenteditable')).toBe('false')
    expect(await delegate.page.getByTestId('read-only').textContent()).toBe('The text cannot be edited directly at this stage.')
    expect(await delegate.page.getByTestId('countdown').textContent()).toMatch(/^Tabling closes in (6|7) days/)
    await shot(delegate.page, 'delegate-read-only-when-amendments-open')

    await delegate.page.getByRole('button', { name: 'Propose an amendment to §2' }).click()
    await delegate.page.getByLabel('Delete it').check()
    await delegate.page.getByLabel('Justification').fill('Ce paragraphe répète le premier.')
    await delegate.page.getByRole('button', { name: 'Table the amendment' }).click()
    await chair.page.locator('[data-amendment="A1"]').waitFor()

    // Steering cannot lock yet; the secretariat closes tabling.
    expect(await steering.page.getByRole('button', { name: /Lock the final text/ }).count()).toBe(0)
    await secretariat.page.getByRole('button', { name: /Close tabling and consolidate/ }).click()
    // Before the deadline: said, and ticked on purpose.
    await secretariat.page.getByLabel('Close tabling before the deadline').check()
    await secretariat.page.getByRole('button', { name: 'Close tabling and consolidate', exact: true }).click()
    await expect.poll(() => stageOf(chair.page)).toBe('Consolidation')
    expect(await chair.page.locator('.resolution-text').getAttribute('contenteditable')).toBe('true')
    expect(await delegate.page.locator('.resolution-text').getAttribute('contenteditable')).toBe('false')
    await chair.page.locator('[data-amendment="A1"]').getByRole('button', { name: 'Accept', exact: true }).click()
    await expect.poll(() => textOf(delegate.page, 1)).toMatch(/^Le socialisme et la social-démocratie/)
    await shot(chair.page, 'consolidation')

    // Final: the Steering Committee locks after an explicit confirmation; nobody edits.
    await steering.page.getByRole('button', { name: /Lock the final text/ }).click()
    const lock = steering.page.getByRole('button', { name: 'Lock the final text', exact: true })
    expect(await lock.isDisabled()).toBe(true)
    await steering.page.getByLabel(/I confirm that this is the final text/).check()
    await lock.click()
    await expect.poll(() => stageOf(chair.page)).toBe('Final text')
    await expect.poll(() => chair.page.locator('.resolution-text').getAttribute('contenteditable')).toBe('false')
    await shot(steering.page, 'locked')

    // Adopted: recorded by the secretariat; the stamp reads ADOPTÉE in the resolution's language.
    await secretariat.page.getByRole('button', { name: /Record the adoption/ }).click()
    // Offered: the day the Kuala Lumpur meeting ended, not today.
    expect(await secretariat.page.getByLabel('Date of adoption').inputValue()).toBe('2019-08-31')
    await secretariat.page.getByRole('button', { name: 'Record the adoption', exact: true }).click()
    for (const { page } of [secretariat, delegate, chair, steering]) {
      await expect.poll(() => stageOf(page)).toBe('Adopted')
      await expect.poll(() => page.getByTestId('stamp').textContent()).toBe('ADOPTÉE 31 août 2019')
    }
    await shot(delegate.page, 'adopted')

    // PROJET against the adopted text, each change with whom it came from.
    const versions = delegate.page.locator('.versions-panel')
    await versions.getByLabel('From').selectOption('1')
    // The five saved versions, then the text as it stands.
    await expect.poll(() => versions.getByLabel('To').locator('option').count()).toBe(6)
    await versions.getByLabel('To').selectOption('5')
    await versions.getByRole('button', { name: 'Compare' }).click()
    const redline = delegate.page.getByTestId('redline')
    await redline.waitFor()
    expect(await redline.locator('del', { hasText: 'Le changement engendre toujours' }).getAttribute('title')).toBe('A1 · Social Democratic Party (Ghana)')
    expect(await redline.locator('ins', { hasText: 'Ensemble,' }).getAttribute('title')).toBe('Social Democratic Party (Ghana) · Kwame Mensah')
    // The downloads are of the comparison shown, not of whatever the lists say once changed after it.
    await versions.getByLabel('To').selectOption('current')
    expect(await redline.getByRole('link', { name: 'Word (.docx)' }).getAttribute('href')).toMatch(/redline\.docx\?from=1&to=5$/)
    expect(await redline.getByRole('link', { name: 'PDF' }).getAttribute('href')).toMatch(/redline\.pdf\?from=1&to=5$/)
    await redline.scrollIntoViewIfNeeded()
    await shot(delegate.page, 'redline-projet-against-adopted')
    const verify = (await (await fetch(`${site().url}/api/resolutions/${(await site().services.db.query<{ id: string }>('select id from resolutions limit 1'))[0]!.id}/verify`)).json()) as { matches: boolean; stage: string }
    expect(verify).toMatchObject({ stage: 'adopted', matches: true })
    for (const { context } of [secretariat, delegate, chair, steering]) await context.close()
  })
})
