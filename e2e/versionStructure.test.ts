import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { browserAndSite, callApi, loggedIn, moveCaret, paste, screenshots } from './harness.ts'

const { browser, site } = browserAndSite()

const sourceRow = (page: Page, index: number) => page.locator('.source-row').nth(index)
const translationBlock = (page: Page, index: number) => page.locator('#translation-text [data-source-id]').nth(index)
const statusOf = (page: Page, index: number) => sourceRow(page, index).getByTestId('translation-status').textContent()

type Block = { sourceId: string; status: string; text: string }

/**
 * Clicks into a paragraph of the version and waits until the editor has the caret there: a paste dispatched at once went,
 * on a busy machine, where the caret had been before, the editor not having read the click's selection yet. Clicks again
 * when the caret went back: a change from the server landing before the editor read the click (a task later) puts the
 * caret back where the editor last had it (1 run in 15, after the paste the server folds); a person clicks again too.
 */
async function clickInto(page: Page, index: number): Promise<void> {
  const block = translationBlock(page, index)
  await block.click()
  await expect
    .poll(async () => {
      const there = await block.evaluate((element) => {
        // TipTap hangs its editor on the editable element; its state's selection is where a paste goes.
        const { view } = (document.querySelector('#translation-text') as HTMLElement & { editor: { view: { state: { selection: { from: number } }; domAtPos(pos: number): { node: Node } } } }).editor
        return element.contains(view.domAtPos(view.state.selection.from).node)
      })
      if (!there) await block.click()
      return there
    })
    .toBe(true)
}

/**
 * A version has the original's structure, § for §: its editor is where a
 * translator writes each paragraph's translation, never where paragraphs
 * are joined, split or removed. A Backspace at the start of a translated
 * paragraph had joined it to the one before: its confirmed translation
 * moved under the other paragraph's §, both lost their confirmation, and
 * the server gave the emptied paragraph back blank.
 */
describe('the structure of a language version in the browser', () => {
  it('is not changed by Backspace at a paragraph’s start, Delete at its end or Enter inside it: every translation stays under its own § and confirmed', async () => {
    const shot = screenshots('version-structure')
    const list = (await callApi(site(), '/api/resolutions', 'secretariat')) as unknown as Array<{ id: string; title: string }>
    const id = list.find((resolution) => resolution.title.startsWith('Résolution : cohésion sociale'))!.id
    await callApi(site(), `/api/resolutions/${id}/languages`, 'secretariat', { language: 'en' })
    const blocks = async () => (await callApi(site(), `/api/resolutions/${id}/languages/en/blocks`, 'traductrice')) as unknown as Block[]

    const { page } = await loggedIn(browser(), site(), 'traductrice')
    await page.goto(`${site().url}/resolutions/${id}/languages/en`)
    await expect.poll(() => page.locator('.source-row').count()).toBe(15)
    await expect.poll(() => translationBlock(page, 3).count()).toBe(1)
    const words = ['We live in a time of rapid change.', 'It is a time of challenges.', 'This is no easy task.']
    for (const [index, text] of words.entries()) {
      await translationBlock(page, index).click()
      await page.keyboard.type(text)
    }
    await expect.poll(async () => (await blocks()).slice(0, 3).map((block) => block.text)).toEqual(words)
    for (const index of [0, 1, 2]) {
      await page.getByRole('button', { name: `Confirm §${index + 1}` }).click()
      await expect.poll(() => statusOf(page, index)).toBe('current')
    }

    // Words typed are taken without a word about structure.
    const structureKept = page.getByTestId('structure-kept')
    expect(await structureKept.count()).toBe(0)
    // Where a paragraph of the version lies on the page (not in the window, which the keys may scroll).
    const placeOf = (index: number) =>
      translationBlock(page, index).evaluate((element) => {
        const box = element.getBoundingClientRect()
        return { x: Math.round(box.left + window.scrollX), y: Math.round(box.top + window.scrollY) }
      })
    const placed = await placeOf(0)

    // Backspace at the start of §3, Delete at the end of §1, Enter in the middle of §2's words.
    await translationBlock(page, 2).click()
    await moveCaret(page, 'Home')
    await page.keyboard.press('Backspace')
    await translationBlock(page, 0).click()
    await moveCaret(page, 'End')
    await page.keyboard.press('Delete')
    await translationBlock(page, 1).click()
    await moveCaret(page, 'Home', ...Array<string>(9).fill('ArrowRight'))
    await page.keyboard.press('Enter')
    // The keys did nothing, and the translator is told why rather than left with an editor that seems broken.
    await expect.poll(() => structureKept.textContent()).toContain('keeps the original’s paragraphs')
    // Said without moving the text: the version's column stays beside the original's, where it was.
    expect(await placeOf(0)).toEqual(placed)
    expect(await structureKept.isVisible()).toBe(true)
    // What the server folds or rebuilds arrives within a moment: long enough for it to show.
    await page.waitForTimeout(1500)
    await shot(page, 'after-backspace-delete-enter')
    // The same key again a while later: a new alert, which a screen reader reads out again (the one shown is not re-read);
    // pressed again at once, as a key held down repeats, the same alert: read once, not at every repeat.
    const heard = () => structureKept.evaluate((element) => element.hasAttribute('data-heard'))
    await structureKept.evaluate((element) => element.setAttribute('data-heard', ''))
    await page.keyboard.press('Enter')
    await expect.poll(heard).toBe(false)
    await structureKept.evaluate((element) => element.setAttribute('data-heard', ''))
    await page.keyboard.press('Enter')
    await page.keyboard.press('Enter')
    await page.waitForTimeout(300)
    expect(await heard()).toBe(true)

    expect(await translationBlock(page, 0).textContent()).toBe(words[0])
    expect(await translationBlock(page, 1).textContent()).toBe(words[1])
    expect(await translationBlock(page, 2).textContent()).toBe(words[2])
    const stored = (await blocks()).slice(0, 3)
    expect(stored.map((block) => [block.text, block.status])).toEqual(words.map((text) => [text, 'current']))

    // Two paragraphs pasted into §4 are its words, not two paragraphs more: nothing is refused, nothing moves down a §.
    await clickInto(page, 3)
    await paste(page.locator('#translation-text'), {
      'text/html': '<p>This is <strong>no</strong> easy task.</p><p>It calls for courage.</p>',
      'text/plain': 'This is no easy task.\n\nIt calls for courage.',
    })
    await expect.poll(() => translationBlock(page, 3).textContent()).toBe('This is no easy task. It calls for courage.')
    expect(await translationBlock(page, 3).locator('strong').allTextContents()).toEqual(['no'])
    await expect.poll(async () => (await blocks()).slice(0, 5).map((block) => block.text)).toEqual([...words, 'This is no easy task. It calls for courage.', ''])
    expect(await page.locator('#translation-text [data-source-id]').count()).toBe(15)

    // "1. ", "- ", "# " or "> " typed at a paragraph's start are words here: the editor's shortcuts that make a list, a heading or a
    // quote of them changed the structure, were refused, and swallowed the space ("1.Measures").
    await clickInto(page, 4)
    await moveCaret(page, 'Home')
    await page.keyboard.type('1. Measures - # > ok')
    await expect.poll(async () => (await blocks())[4]!.text).toBe('1. Measures - # > ok')
    await clickInto(page, 5)
    await page.keyboard.type('- Also')
    await expect.poll(async () => (await blocks())[5]!.text).toBe('- Also')
    expect(await page.locator('#translation-text [data-source-id]').count()).toBe(15)

    // Past a paragraph's limit, what is pasted is left out and said, without the advice to split the paragraph with Enter,
    // which a version does not allow.
    await clickInto(page, 6)
    await paste(page.locator('#translation-text'), { 'text/plain': 'x'.repeat(10_001) })
    await expect.poll(() => page.getByTestId('block-too-long').textContent()).toBe('That was not added: a paragraph holds at most 10,000 characters. Shorten it.')
    expect(await translationBlock(page, 6).textContent()).toBe('')
  })
})
