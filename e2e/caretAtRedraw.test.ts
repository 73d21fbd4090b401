import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { browserAndSite, callApi, loggedIn, openDraft, paragraph, textOf } from './harness.ts'

const { browser, site } = browserAndSite()

const translationBlock = (page: Page, index: number) => page.locator('#translation-text [data-source-id]').nth(index)
/** A block's words, without the name labels of other people's carets inside it. */
const wordsOf = (page: Page, index: number) =>
  translationBlock(page, index).evaluate((element) => {
    const copy = element.cloneNode(true) as HTMLElement
    copy.querySelectorAll('.collaboration-carets__caret').forEach((caret) => caret.remove())
    return copy.textContent
  })

/** Until the page's caret is in the original's paragraph `index` (ProseMirror puts its own back a moment after the focus). */
const untilCaretIn = (page: Page, index: number) =>
  expect
    .poll(() =>
      page.evaluate((index) => {
        const anchor = window.getSelection()?.anchorNode ?? null
        return !!anchor && document.querySelectorAll('.resolution-text > p')[index]!.contains(anchor)
      }, index),
    )
    .toBe(true)

/** Holds the browser's `selectionchange` events back from the page's scripts, ProseMirror's among them. */
const hold = (page: Page) =>
  page.evaluate(() => {
    const held = (event: Event) => event.stopImmediatePropagation()
    Object.assign(window, { held })
    window.addEventListener('selectionchange', held, true)
  })

/** Lets them through again, and gives ProseMirror the one it missed. */
const release = (page: Page) =>
  page.evaluate(() => {
    window.removeEventListener('selectionchange', (window as unknown as { held: EventListener }).held, true)
    document.dispatchEvent(new Event('selectionchange'))
  })

/**
 * ProseMirror learns where a click put the caret from the browser's
 * `selectionchange` event, which comes a moment after the click. The page
 * here holds that event back, so that a redraw of the rows (another
 * person's confirmation arriving) or another person's words fall in that
 * moment every time rather than once in a while: the words typed next must
 * still go where the translator clicked. (Seen in CI: a translator's words written into the
 * paragraph she had left.)
 */
describe('the caret a click places', () => {
  it('stays where the translator clicked when the rows are redrawn before the browser reports the click', async () => {
    const list = (await callApi(site(), '/api/resolutions', 'secretariat')) as unknown as Array<{ id: string; title: string }>
    const id = list.find((resolution) => resolution.title.startsWith('Résolution : cohésion sociale'))!.id
    await callApi(site(), `/api/resolutions/${id}/languages`, 'secretariat', { language: 'en' })
    const { page, context } = await loggedIn(browser(), site(), 'traductrice')
    await page.goto(`${site().url}/resolutions/${id}/languages/en`)
    await expect.poll(() => translationBlock(page, 5).count()).toBe(1)
    for (const [index, words] of [[0, 'First.'], [5, 'Sixth.'], [3, 'Fourth.']] as const) {
      await translationBlock(page, index).click()
      await page.keyboard.type(words)
    }
    type Block = { sourceId: string; text: string; sourceDigest: string; translationDigest: string }
    const blocks = async () => (await callApi(site(), `/api/resolutions/${id}/languages/en/blocks`, 'secretariat')) as unknown as Block[]
    await expect.poll(async () => (await blocks()).map((block) => block.text).slice(0, 6)).toEqual(['First.', '', '', 'Fourth.', '', 'Sixth.'])

    await hold(page)
    await translationBlock(page, 0).click()
    // The secretariat confirms §6: its status reaches the page, which redraws the rows.
    const sixth = (await blocks())[5]!
    await callApi(site(), `/api/resolutions/${id}/languages/en/blocks/${sixth.sourceId}/confirm`, 'secretariat', {
      read: { sourceDigest: sixth.sourceDigest, translationDigest: sixth.translationDigest },
    })
    await expect.poll(() => translationBlock(page, 5).getAttribute('data-status')).toBe('current')
    await release(page)

    await page.keyboard.press('End')
    await page.keyboard.type(' Indeed.')
    expect(await wordsOf(page, 0)).toBe('First. Indeed.')
    expect(await wordsOf(page, 3)).toBe('Fourth.')
    await context.close()
  })

  it('stays where the translator clicked when someone else’s words arrive before the browser reports the click', async () => {
    const list = (await callApi(site(), '/api/resolutions', 'secretariat')) as unknown as Array<{ id: string; title: string }>
    const id = list.find((resolution) => resolution.title.startsWith('Résolution : cohésion sociale'))!.id
    const translator = await loggedIn(browser(), site(), 'traductrice')
    const secretariat = await loggedIn(browser(), site(), 'secretariat')
    for (const { page } of [translator, secretariat]) {
      await page.goto(`${site().url}/resolutions/${id}/languages/en`)
      await expect.poll(() => translationBlock(page, 8).count()).toBe(1)
    }
    const { page } = translator
    for (const [index, words] of [[7, 'Eighth.'], [6, 'Seventh.']] as const) {
      await translationBlock(page, index).click()
      await page.keyboard.type(words)
    }
    await expect.poll(() => wordsOf(secretariat.page, 6)).toBe('Seventh.')

    // Her caret is there already: each of her keystrokes reaches the page as a change of the text first, then as her caret moving.
    await translationBlock(secretariat.page, 8).click()
    await secretariat.page.keyboard.type('Nin')
    await expect.poll(() => wordsOf(page, 8)).toBe('Nin')
    await hold(page)
    await translationBlock(page, 7).click()
    await secretariat.page.keyboard.type('th.')
    await expect.poll(() => wordsOf(page, 8)).toBe('Ninth.')
    await release(page)

    await page.keyboard.press('End')
    await page.keyboard.type(' Indeed.')
    expect(await wordsOf(page, 7)).toBe('Eighth. Indeed.')
    expect(await wordsOf(page, 6)).toBe('Seventh.')
    for (const { context } of [translator, secretariat]) await context.close()
  })

  it('stays where it was when the focus comes back to the text from elsewhere, by a toolbar button or from the keyboard', async () => {
    const { page, context } = await loggedIn(browser(), site(), 'secretariat')
    await openDraft(page)
    await paragraph(page, 2).click()
    await page.keyboard.press('End')
    await page.keyboard.type(' alpha')
    const probe = async () => {
      await page.evaluate(() => {
        if (document.getElementById('probe')) return
        const input = document.createElement('input')
        input.id = 'probe'
        input.setAttribute('aria-label', 'probe')
        document.body.prepend(input)
      })
      await page.locator('#probe').click()
    }
    // From a field, a toolbar button: the browser puts its caret at the start of the text as it gives the text the focus.
    await probe()
    await page.getByRole('button', { name: 'Bold', exact: true }).click()
    // The button gives the text the focus at the next frame (TipTap's focus command): what is typed before goes to the field.
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('resolution-text')
    await page.keyboard.type('Beta')
    await expect.poll(() => textOf(page, 2)).toContain(' alphaBeta')
    expect(await paragraph(page, 2).locator('strong').last().textContent()).toBe('Beta')
    // From a field, the focus given back by script or by Tab: ProseMirror puts its own caret back a moment later.
    await probe()
    await page.locator('#resolution-text').focus()
    await untilCaretIn(page, 2)
    await page.keyboard.type('Gamma')
    await expect.poll(() => textOf(page, 2)).toContain(' alphaBetaGamma')
    expect(await textOf(page, 0)).not.toContain('Gamma')
    await context.close()
  })
})
