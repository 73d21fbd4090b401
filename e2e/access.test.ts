import { describe, expect, it } from 'vitest'
import { browserAndSite, callApi, clickStartOf, loggedIn, openDraft, screenshots, textOf } from './harness.ts'

const { browser, site } = browserAndSite()

describe('the editor for everyone', () => {
  it('can be reached and used with the keyboard alone, with a visible focus', async () => {
    const shot = screenshots('keyboard')
    const { context, page } = await loggedIn(browser(), site(), 'aisyah')
    await openDraft(page)
    await page.reload()
    await page.locator('.resolution-text p').first().waitFor()
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content')
    const visits: string[] = []
    for (let i = 0; i < 12 && !visits.includes('resolution-text'); i++) {
      await page.keyboard.press('Tab')
      const focused = await page.evaluate(() => {
        const element = document.activeElement as HTMLElement
        return { id: element.id || element.getAttribute('aria-label') || element.tagName, outline: getComputedStyle(element).outlineStyle }
      })
      expect(focused.outline).not.toBe('none')
      visits.push(focused.id)
    }
    expect(visits).toContain('Bold')
    expect(visits.at(-1)).toBe('resolution-text')
    await page.keyboard.press('Control+Home')
    await page.keyboard.press('Control+b')
    await page.keyboard.type('Au clavier')
    await page.keyboard.press('Control+b')
    await page.keyboard.type(' : ')
    expect(await page.locator('.resolution-text > p').first().locator('strong').first().textContent()).toBe('Au clavier')
    expect(await textOf(page, 0)).toMatch(/^Au clavier : Nous vivons/)
    await shot(page, 'typed-with-keyboard')
    await context.close()
  })

  it('stays readable at 200% zoom: one column, nothing cut off sideways', async () => {
    const shot = screenshots('zoom')
    const { context, page } = await loggedIn(browser(), site(), 'julien')
    await openDraft(page)
    // 200% zoom of a 1280×900 window lays out like a 640×450 one.
    await page.setViewportSize({ width: 640, height: 450 })
    await page.waitForTimeout(100)
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true)
    const [paper, side] = await Promise.all([page.locator('.paper').boundingBox(), page.locator('.side').boundingBox()])
    expect(side!.y).toBeGreaterThan(paper!.y)
    await shot(page, 'zoomed')
    await context.close()
  })

  it('turns read-only with the reason when the server refuses a write', async () => {
    const shot = screenshots('refused')
    const { context, page } = await loggedIn(browser(), site(), 'erik')
    await openDraft(page)
    const before = await textOf(page, 2)
    // The stage moves on under the open editor (the stage routes come with issue 6; here the server is told directly).
    const id = (await site().services.db.query<{ id: string }>('select id from resolutions limit 1'))[0]!.id
    await site().services.db.query(`update resolutions set stage = 'amendments' where id = $1`, [id])
    site().services.collab.peek(id)!.stage = 'amendments'
    await page.locator('.resolution-text > p').nth(2).click()
    await page.keyboard.type('refusé')
    await page.getByTestId('read-only').waitFor()
    expect(await page.getByTestId('read-only').textContent()).toBe('The server refused your last changes. The text cannot be edited directly at this stage. The text now shows what the server holds.')
    await expect.poll(() => page.locator('.resolution-text').getAttribute('contenteditable')).toBe('false')
    await expect.poll(() => textOf(page, 2)).toBe(before)
    await shot(page, 'read-only-after-refusal')
    await site().services.db.query(`update resolutions set stage = 'draft' where id = $1`, [id])
    site().services.collab.peek(id)!.stage = 'draft'
    await context.close()
  })

  it('keeps the focus in a text that turns read-only under the caret, and says why where the person is typing', async () => {
    const shot = screenshots('locked-while-typing')
    const { context, page } = await loggedIn(browser(), site(), 'claire')
    const id = (await site().services.db.query<{ id: string }>('select id from resolutions limit 1'))[0]!.id
    try {
      await openDraft(page)
      await clickStartOf(page, 6)
      await page.keyboard.type('Un deux ')
      await expect.poll(() => textOf(page, 6)).toMatch(/^Un deux /)
      await callApi(site(), `/api/resolutions/${id}/stage`, 'secretariat', { to: 'amendments', deadline: new Date(Date.now() + 86_400_000).toISOString() })
      await expect.poll(() => page.locator('.resolution-text').getAttribute('contenteditable')).toBe('false')
      // The focus stayed in the text: it fell to the page before, and each space typed then scrolled it down, 2,900 px.
      expect(await page.evaluate(() => document.activeElement?.classList.contains('resolution-text'))).toBe(true)
      const scrolled = await page.evaluate(() => window.scrollY)
      const before = await textOf(page, 6)
      await page.keyboard.type('trois quatre cinq six ')
      expect(await page.evaluate(() => window.scrollY)).toBe(scrolled)
      expect(await textOf(page, 6)).toBe(before)
      const told = page.getByTestId('typed-while-read-only')
      expect(await told.getAttribute('role')).toBe('alert')
      expect(await told.textContent()).toBe(await page.getByTestId('read-only').textContent())
      expect(await told.isVisible()).toBe(true)
      await shot(page, 'told')
    } finally {
      await site().services.db.query(`update resolutions set stage = 'draft', amendment_deadline = null where id = $1`, [id])
      site().services.collab.peek(id)!.stage = 'draft'
      await context.close()
    }
  })

  it('opens the app\'s links in a new tab with Ctrl-click, as any link, and in place with a plain click', async () => {
    const { context, page } = await loggedIn(browser(), site(), 'secretariat')
    try {
      await openDraft(page)
      const editorUrl = page.url()
      const [tab] = await Promise.all([context.waitForEvent('page'), page.getByRole('link', { name: 'Print view' }).click({ modifiers: ['Control'] })])
      await tab!.waitForLoadState()
      expect(new URL(tab!.url()).pathname).toMatch(/\/print$/)
      expect(page.url()).toBe(editorUrl)
      await page.getByRole('link', { name: 'Print view' }).click()
      await expect.poll(() => new URL(page.url()).pathname).toMatch(/\/print$/)
      expect(context.pages().length).toBe(2)
    } finally {
      await context.close()
    }
  })

  it('says a paragraph joined to the one before it as the stage moved is back, with its words', async () => {
    const shot = screenshots('deletion-refused')
    const { context, page } = await loggedIn(browser(), site(), 'erik')
    await openDraft(page)
    const [before, joined] = [await textOf(page, 2), await textOf(page, 3)]
    const id = (await site().services.db.query<{ id: string }>('select id from resolutions limit 1'))[0]!.id
    await site().services.db.query(`update resolutions set stage = 'amendments' where id = $1`, [id])
    site().services.collab.peek(id)!.stage = 'amendments'
    try {
      // Backspace at the start of a paragraph joins it to the one before: that paragraph is gone from this tab's copy.
      await clickStartOf(page, 3)
      await page.keyboard.press('Backspace')
      await page.getByTestId('read-only').waitFor()
      await expect.poll(() => textOf(page, 3)).toBe(joined)
      expect(await textOf(page, 2)).toBe(before)
      const notices = page.getByTestId('unsaved')
      await expect.poll(() => notices.count()).toBe(2)
      const deletion = notices.filter({ hasText: 'Your deletion of' })
      expect(await deletion.locator('p').textContent()).toMatch(/^Your deletion of § ?\d+ was not saved: the text could no longer be edited directly\. The paragraph is back in the text:$/)
      expect(await deletion.getByTestId('unsaved-words').textContent()).toBe(joined)
      await shot(page, 'deletion-back')
      // Dismissing it leaves the paragraph where it is: it says so rather than "discard them".
      expect(await deletion.getByRole('button', { name: 'Leave it in the text' }).count()).toBe(1)
      // Once the page knows the stage (here, announced by the server a moment later), the deletion can be proposed as an amendment.
      await site().services.db.query(`update resolutions set stage = 'draft' where id = $1`, [id])
      site().services.collab.peek(id)!.stage = 'draft'
      await callApi(site(), `/api/resolutions/${id}/stage`, 'secretariat', { to: 'amendments', deadline: new Date(Date.now() + 86_400_000).toISOString() })
      await deletion.getByRole('button', { name: 'Propose deleting it as an amendment' }).click()
      const form = page.locator('form', { has: page.getByRole('button', { name: 'Table the amendment' }) })
      expect(await form.getByRole('radio', { name: 'Delete it' }).isChecked()).toBe(true)
      await form.getByLabel('Justification').fill('Ce paragraphe fait double emploi.')
      await form.getByRole('button', { name: 'Table the amendment' }).click()
      await expect.poll(async () => ((await callApi(site(), `/api/resolutions/${id}/amendments`, 'erik')) as unknown as Array<{ kind: string }>).map(({ kind }) => kind)).toEqual(['delete'])
      // Tabled, the deletion's notice has done its work; the changed paragraph's stays.
      await expect.poll(() => notices.count()).toBe(1)
      expect(await notices.filter({ hasText: 'Your deletion of' }).count()).toBe(0)
    } finally {
      await site().services.db.query(`update resolutions set stage = 'draft' where id = $1`, [id])
      site().services.collab.peek(id)!.stage = 'draft'
      await context.close()
    }
  })

  it('goes to the login page when the session ends under an open editor, with nothing unsaved', async () => {
    const { context, page } = await loggedIn(browser(), site(), 'erik')
    await openDraft(page)
    // Logged out from the same browser's cookie, as another tab would: the server closes the socket with 4401.
    expect((await page.request.post(`${site().url}/api/logout`)).status()).toBe(204)
    await page.getByLabel('Username').waitFor({ timeout: 10_000 })
    expect(await page.locator('.resolution-text').count()).toBe(0)
    await context.close()
  })
})
