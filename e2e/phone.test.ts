import type { Browser, Locator, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { browserAndSite, callApi, openDraft, screenshots, type TestSite } from './harness.ts'

const WIDTH = 390

/** A delegate's phone in the meeting room: a narrow touch screen, logged in through the form. */
async function phone(browser: Browser, site: TestSite, username: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: WIDTH, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2, locale: 'en-GB' })
  const page = await context.newPage()
  await page.goto(site.url)
  await page.getByLabel('Username').fill(username)
  await page.getByLabel('Password').fill('demo')
  await page.getByRole('button', { name: 'Log in' }).tap()
  await page.locator('.resolution-list a').first().waitFor()
  return page
}

async function demoDraft(site: TestSite) {
  return (await site.services.db.query<{ id: string }>('select id from resolutions limit 1'))[0]!.id
}

/** Nothing scrolls sideways: the page is as wide as the phone. */
async function expectNoSideways(page: Page) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(WIDTH)
}

/** On screen across its whole width, and big enough for a thumb. */
async function expectTappable(control: Locator) {
  await control.scrollIntoViewIfNeeded()
  const box = (await control.boundingBox())!
  expect(box.x).toBeGreaterThanOrEqual(0)
  expect(box.x + box.width).toBeLessThanOrEqual(WIDTH)
  expect(box.height).toBeGreaterThanOrEqual(44)
  expect(box.width).toBeGreaterThanOrEqual(44)
}

/** Text read at arm's length: at least 16 px, in a column at least `width` wide. */
async function expectReadable(text: Locator, width: number) {
  const { fontSize, boxWidth } = await text.evaluate((element) => ({ fontSize: parseFloat(getComputedStyle(element).fontSize), boxWidth: element.getBoundingClientRect().width }))
  expect(fontSize).toBeGreaterThanOrEqual(16)
  expect(boxWidth).toBeGreaterThanOrEqual(width)
}

describe('the resolution on a phone', () => {
  const { browser, site } = browserAndSite()

  it('the header takes at most a fifth of the first screen in English, French and Spanish, with the language, notifications, the person and log out in it', async () => {
    const shot = screenshots('phone-header')
    const page = await phone(browser(), site(), 'claire')
    const header = page.locator('.app-header')
    for (const [language, logout] of [['en', 'Log out'], ['fr', 'Se déconnecter'], ['es', 'Cerrar sesión']] as const) {
      if (language !== 'en') await page.locator('.language-switcher select').selectOption(language)
      const button = page.getByRole('button', { name: logout })
      await button.waitFor()
      await expectNoSideways(page)
      await shot(page, `header-${language}`)
      expect((await header.boundingBox())!.height).toBeLessThanOrEqual(844 / 5)
      for (const control of [page.locator('.language-switcher select'), page.getByTestId('notifications-button'), button]) await expectTappable(control)
      // Who is logged in stays said, by name; the language list is named for assistive technology.
      expect(await page.locator('.account').innerText()).toContain('Claire Martin')
      expect(await page.getByLabel({ en: 'Language', fr: 'Langue', es: 'Idioma' }[language], { exact: true }).count()).toBe(1)
    }
  })

  it('a delegate reads the resolution at full width, with each paragraph’s § and lines above it, and tables an amendment from there', async () => {
    const shot = screenshots('phone-editor')
    const id = await demoDraft(site())
    await callApi(site(), `/api/resolutions/${id}/stage`, 'secretariat', { to: 'amendments', deadline: new Date(Date.now() + 86_400_000).toISOString() })
    const page = await phone(browser(), site(), 'claire')
    await openDraft(page)
    await expectNoSideways(page)
    await expectReadable(page.locator('.resolution-text > p').first(), 300)
    // The margin's § and lines stay with their paragraph, readable, not cut off at the screen's edge.
    const margin = page.locator('.resolution-text > p').first().locator('.margin')
    expect((await margin.boundingBox())!.x).toBeGreaterThanOrEqual(0)
    expect(await margin.locator('.margin-paragraph').textContent()).toBe('§1')
    await page.locator('.resolution-text > p').nth(1).scrollIntoViewIfNeeded()
    await shot(page, 'text')

    const amend = page.getByRole('button', { name: 'Propose an amendment to §2' })
    await expectTappable(amend)
    await amend.tap()
    await page.locator('.propose').waitFor()
    await page.locator('.wording-editor').tap()
    await page.keyboard.press('ControlOrMeta+End')
    await page.keyboard.type(' Pour tous.')
    // The amendment's kind: each choice a thumb can hit, its box at least 24 px and its label 44 px tall.
    for (const choice of await page.locator('.propose .kinds label').all()) {
      await expectTappable(choice)
      expect((await choice.locator('input').boundingBox())!.height).toBeGreaterThanOrEqual(24)
    }
    await page.getByLabel('Justification').fill('Plus clair.')
    const table = page.getByRole('button', { name: 'Table the amendment' })
    await expectTappable(table)
    await shot(page, 'proposing')
    await table.tap()
    const card = page.locator('[data-amendment="A1"]')
    await card.waitFor()
    await expectNoSideways(page)
    await card.scrollIntoViewIfNeeded()
    await shot(page, 'tabled')

    // The secretariat's toolbar wraps within the screen, each button big enough for a thumb.
    await callApi(site(), `/api/resolutions/${id}/stage`, 'secretariat', { to: 'consolidation' })
    const secretariat = await phone(browser(), site(), 'secretariat')
    await openDraft(secretariat)
    await expectNoSideways(secretariat)
    await expectReadable(secretariat.locator('.resolution-text > p').first(), 300)
    for (const tool of await secretariat.locator('.toolbar button').all()) await expectTappable(tool)
    await secretariat.evaluate(() => window.scrollTo(0, 0))
    await shot(secretariat, 'secretariat-toolbar')
    for (const person of [page, secretariat]) await person.context().close()
  })
})

describe('the consolidation desk on a phone', () => {
  const { browser, site } = browserAndSite()

  it('the chair goes through the desk at full width and decides from there', async () => {
    const shot = screenshots('phone-desk')
    const id = await demoDraft(site())
    await callApi(site(), `/api/resolutions/${id}/stage`, 'secretariat', { to: 'amendments', deadline: new Date(Date.now() + 86_400_000).toISOString() })
    // Two amendments to the same words of §3: they collide, and the desk frames them together.
    const third = (await site().services.collab.open(id)).doc.getXmlFragment('body').get(2) as unknown as { getAttribute(name: string): string; toString(): string }
    const base = third.toString().replace(/<[^>]*>/g, '')
    for (const [username, text] of [['kwame', 'Le socialisme aussi'], ['lucia', 'Le socialisme démocratique']] as const) {
      await callApi(site(), `/api/resolutions/${id}/amendments`, username, { kind: 'replace', blockId: third.getAttribute('id'), text: base.replace(/^Le socialisme/, text), justification: 'Pour préciser.' })
    }
    await callApi(site(), `/api/resolutions/${id}/stage`, 'secretariat', { to: 'consolidation' })
    const chair = await phone(browser(), site(), 'ingrid')
    await chair.goto(`${site().url}/resolutions/${id}/desk`)
    const group = chair.getByTestId('desk-group').first()
    await group.waitFor()
    await expectNoSideways(chair)
    await expectReadable(group.locator('.desk-paragraph li').first(), 300)
    // The colliding pair one below the other, each at the screen's width.
    const [first, second] = await Promise.all(['A1', 'A2'].map(async (number) => (await group.locator(`[data-amendment="${number}"]`).boundingBox())!))
    for (const box of [first!, second!]) {
      expect(box.x).toBeGreaterThanOrEqual(0)
      expect(box.x + box.width).toBeLessThanOrEqual(WIDTH)
      expect(box.width).toBeGreaterThanOrEqual(300)
    }
    expect(second!.y).toBeGreaterThan(first!.y + first!.height)
    const card = group.locator('[data-amendment="A1"]')
    const accept = card.getByRole('button', { name: 'Accept', exact: true })
    await expectTappable(accept)
    await expectTappable(card.getByRole('button', { name: 'Reject…' }))
    // Selecting it for a compromise: a box of at least 24 px (WCAG's minimum target).
    const select = (await card.getByRole('checkbox').boundingBox())!
    expect(Math.min(select.width, select.height)).toBeGreaterThanOrEqual(24)
    await shot(chair, 'desk')
    await accept.tap()
    await expect.poll(() => card.locator('.badge.status').textContent()).toBe('Accepted')
    await expectNoSideways(chair)
    await shot(chair, 'accepted')
    await chair.context().close()
  })
})

describe('a language version on a phone', () => {
  const { browser, site } = browserAndSite()

  it('the translator reads each paragraph of the original directly above its translation, and confirms it from there', async () => {
    const shot = screenshots('phone-translation')
    const id = await demoDraft(site())
    await callApi(site(), `/api/resolutions/${id}/languages`, 'secretariat', { language: 'es' })
    const page = await phone(browser(), site(), 'traductrice')
    await page.goto(`${site().url}/resolutions/${id}/languages/es`)
    const translation = (index: number) => page.locator('#translation-text [data-source-id]').nth(index)
    await expect.poll(() => page.locator('.source-row').count()).toBe(15)
    await expect.poll(() => translation(14).count()).toBe(1)
    await expectNoSideways(page)

    // Each row: its source, then directly below it, at the same width, the block translating it.
    const stacking = () =>
      page.evaluate(() =>
        [...document.querySelectorAll<HTMLElement>('.source-row:not([hidden])')].map((row) => {
          const source = row.getBoundingClientRect()
          const block = document.querySelector(`#translation-text [data-source-id="${CSS.escape(row.dataset['sourceRow']!)}"]`)!.getBoundingClientRect()
          return { gap: Math.round(block.top - source.bottom), left: Math.round(block.left - source.left), width: Math.round(block.width - source.width) }
        }),
      )
    const unstacked = async () => (await stacking()).filter((row) => Math.abs(row.gap) > 1 || Math.abs(row.left) > 1 || Math.abs(row.width) > 1)
    await expect.poll(unstacked).toEqual([])
    await translation(0).tap()
    await page.keyboard.type('Vivimos en una época de cambios rápidos y profundos.')
    await expect.poll(() => page.locator('.source-row').first().getByTestId('translation-status').textContent()).toBe('due')
    // Still stacked as the translation grows.
    await expect.poll(unstacked).toEqual([])
    await expectReadable(page.locator('.source-row .source-text').first(), 300)
    await expectReadable(translation(0), 300)
    await shot(page, 'rows')

    const confirm = page.getByRole('button', { name: 'Confirm §1' })
    await expectTappable(confirm)
    await confirm.tap()
    await expect.poll(() => page.locator('.source-row').first().getByTestId('translation-status').textContent()).toBe('current')
    // The filter hides a row's source and translation together; the rows left stay stacked.
    await page.getByLabel('Only what is due').check()
    expect(await translation(0).isVisible()).toBe(false)
    await expect.poll(unstacked).toEqual([])
    await expectNoSideways(page)
    await shot(page, 'only-due')
    await page.context().close()
  })
})
