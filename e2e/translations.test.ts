import { availableParallelism, loadavg } from 'node:os'
import type { Page } from 'playwright-core'
import { describe, expect, it, onTestFailed } from 'vitest'
import { browserAndSite, clickStartOf, loggedIn, openDraft, screenshots } from './harness.ts'
import { socketTrace } from './socketTrace.ts'

const { browser, site } = browserAndSite()

/** Within a second on an idle machine; a machine running more than it has cores gets proportionally longer (see vitest.config.ts). */
const liveWithin = () => 1000 * Math.max(1, loadavg()[0]! / availableParallelism())

const sourceRow = (page: Page, index: number) => page.locator('.source-row').nth(index)
const translationBlock = (page: Page, index: number) => page.locator('#translation-text [data-source-id]').nth(index)
const statusOf = (page: Page, index: number) => sourceRow(page, index).getByTestId('translation-status').textContent()

/** A translated block's own text, without the name labels of other people's carets inside it. */
function translationText(page: Page, index: number) {
  return translationBlock(page, index).evaluate((element) => {
    const copy = element.cloneNode(true) as HTMLElement
    copy.querySelectorAll('.collaboration-carets__caret').forEach((caret) => caret.remove())
    return copy.textContent
  })
}

/** How far each visible source row's top is from the top of the block translating it, in pixels. */
function misalignment(page: Page) {
  return page.evaluate(() => {
    const offsets: Array<{ sourceId: string; offset: number }> = []
    for (const row of document.querySelectorAll<HTMLElement>('.source-row:not([hidden])')) {
      const sourceId = row.dataset['sourceRow']!
      const block = document.querySelector<HTMLElement>(`#translation-text [data-source-id="${CSS.escape(sourceId)}"]`)
      offsets.push({ sourceId, offset: block ? Math.abs(block.getBoundingClientRect().top - row.getBoundingClientRect().top) : Infinity })
    }
    return offsets
  })
}

/**
 * Puts the caret in a block of the version, clicking again if the click did not land there: rows are realigned as
 * other people's text arrives, and under load a row can move between the moment it is found and the click.
 */
async function focusBlock(page: Page, index: number) {
  const inBlock = () =>
    translationBlock(page, index).evaluate((element) => {
      const anchor = document.getSelection()?.anchorNode ?? null
      return anchor !== null && element.contains(anchor)
    })
  for (let attempt = 0; attempt < 5 && !(await inBlock()); attempt++) {
    await translationBlock(page, index).click()
    await expect
      .poll(inBlock, { timeout: 1_000 })
      .toBe(true)
      .catch(() => {})
  }
  expect(await inBlock()).toBe(true)
}

async function expectAligned(page: Page) {
  await expect.poll(async () => (await misalignment(page)).filter((row) => row.offset > 1)).toEqual([])
}

describe('a language version in the browser', () => {
  it('is added by the secretariat, written live by two people beside the original, § for §, follows the original’s changes, is locked only with its outstanding paragraphs acknowledged, and is exported per language and side by side', async () => {
    const shot = screenshots('translations')
    const secretariat = await loggedIn(browser(), site(), 'secretariat', { trace: true })
    await openDraft(secretariat.page)
    await secretariat.page.getByRole('button', { name: 'Add the Spanish version' }).click()
    await expect.poll(() => secretariat.page.getByTestId('counts-es').textContent()).toBe('0 current, 0 due, 15 missing')
    expect(await secretariat.page.locator('.language-versions').textContent()).toContain('Amendments are tabled against the original wording (French).')
    await secretariat.page.getByRole('link', { name: 'Side by side: Spanish' }).click()
    await expect.poll(() => secretariat.page.locator('.source-row').count()).toBe(15)
    await expect.poll(() => translationBlock(secretariat.page, 14).count()).toBe(1)
    const versionUrl = secretariat.page.url()
    expect(versionUrl).toMatch(/\/resolutions\/[^/]+\/languages\/es$/)
    await expectAligned(secretariat.page)

    const translator = await loggedIn(browser(), site(), 'traductrice', { trace: true })
    await translator.page.goto(versionUrl)
    const version = () => site().services.collab.peek(`${new URL(versionUrl).pathname.split('/')[2]}/es`)
    // Should a block's text not reach the other screen: what each screen and the server hold, and what became of each screen's
    // sockets (the secretariat's are traced from its first page load, before it opened the version in the same page).
    onTestFailed(async () => {
      const blocks = async (page: Page) => Promise.all([0, 1, 2, 3].map((index) => translationText(page, index).catch(() => '(unreadable)')))
      const live = version()
      console.error(
        JSON.stringify(
          {
            secretariat: { blocks: await blocks(secretariat.page), sockets: await socketTrace(secretariat.page) },
            translator: { blocks: await blocks(translator.page), sockets: await socketTrace(translator.page) },
            server: live ? { connections: live.connections.size, body: live.doc.getXmlFragment('body').toString().slice(0, 2000) } : 'the version is not open',
          },
          null,
          1,
        ),
      )
    })
    await expect.poll(() => translator.page.locator('.source-row').count()).toBe(15)
    expect(await statusOf(translator.page, 0)).toBe('missing')
    expect(await sourceRow(translator.page, 0).locator('.source-text').textContent()).toMatch(/^Nous vivons/)

    // Both write the Spanish version at once, each in their own paragraph, and see each other's text. (The list of who is
    // here grows above the columns when the translator arrives: clicks wait for it, so they land where they are aimed.)
    for (const page of [secretariat.page, translator.page]) await expect.poll(() => page.locator('.presence li').count()).toBe(2)
    // Opening the version wrote nothing into it: all it holds the server wrote (made and aligned it), none of it either screen.
    for (const page of [secretariat.page, translator.page]) await expect.poll(() => page.locator('p.status[data-status]').getAttribute('data-status')).toMatch(/^(online|saved)$/)
    const opened = version()!
    expect([...opened.doc.store.clients.keys()].filter((client) => opened.gate.clients.owner(client)?.kind !== 'server')).toEqual([])
    await focusBlock(translator.page, 0)
    await translator.page.keyboard.type('Vivimos en una época de cambios rápidos.')
    await focusBlock(secretariat.page, 2)
    await secretariat.page.keyboard.type('Es un tiempo de desafíos y de oportunidades para todos los pueblos del mundo, que exige de nosotros respuestas comunes y solidarias.')
    await expect.poll(() => translationText(secretariat.page, 2)).toBe('Es un tiempo de desafíos y de oportunidades para todos los pueblos del mundo, que exige de nosotros respuestas comunes y solidarias.')
    await expect.poll(() => secretariat.page.evaluate(() => document.querySelector('#translation-text [data-source-id]')!.textContent)).toContain('Vivimos en una época de cambios rápidos.')
    await expect.poll(() => translationText(translator.page, 2)).toBe('Es un tiempo de desafíos y de oportunidades para todos los pueblos del mundo, que exige de nosotros respuestas comunes y solidarias.')
    await expect.poll(() => translator.page.locator('.collaboration-carets__label', { hasText: 'Amina Diallo' }).count()).toBe(1)
    await expect.poll(() => statusOf(translator.page, 0)).toBe('due')
    await expectAligned(translator.page)
    await expectAligned(secretariat.page)
    // Line numbers are each language's own: every text wraps at 80 characters of its own.
    const linesOf = async (label: string | null) => label!.match(/^lines (\d+)–(\d+)$/)!.slice(1).map(Number)
    await expect.poll(() => translationBlock(translator.page, 0).getAttribute('data-lines')).toBe('line 1')
    const [sourceFirst, sourceLast] = await linesOf(await sourceRow(translator.page, 0).locator('.row-lines').textContent())
    expect([sourceFirst, sourceLast! > 3]).toEqual([1, true])
    const [spanishFirst, spanishLast] = await linesOf(await translationBlock(translator.page, 2).getAttribute('data-lines'))
    expect(spanishLast! - spanishFirst!).toBe(1)
    const [frenchThird] = await linesOf(await sourceRow(translator.page, 2).locator('.row-lines').textContent())
    expect(frenchThird).toBeGreaterThan(spanishFirst! + 5)
    await shot(translator.page, 'two-writers-side-by-side')

    // The translator confirms §1; the filter then shows only what is still due, in both columns.
    await translator.page.getByRole('button', { name: 'Confirm §1' }).click()
    await expect.poll(() => statusOf(translator.page, 0)).toBe('current')
    await expect.poll(() => statusOf(secretariat.page, 0)).toBe('current')
    await translator.page.getByLabel('Only what is due').check()
    expect(await sourceRow(translator.page, 0).isVisible()).toBe(false)
    expect(await translationBlock(translator.page, 0).isVisible()).toBe(false)
    expect(await sourceRow(translator.page, 1).isVisible()).toBe(true)
    await expectAligned(translator.page)
    await translator.page.getByLabel('Only what is due').uncheck()

    // A delegate edits §1 of the original: the translator sees it due at once, with the source's own change marked.
    const delegate = await loggedIn(browser(), site(), 'claire')
    await openDraft(delegate.page)
    await clickStartOf(delegate.page, 0)
    const typed = performance.now()
    await delegate.page.keyboard.type('A')
    await expect.poll(() => statusOf(translator.page, 0), { interval: 20 }).toBe('due')
    const elapsed = performance.now() - typed
    await delegate.page.keyboard.type('ujourd’hui, ')
    console.info(`original edited → the translator's § due on screen in ${elapsed.toFixed(0)} ms (budget ${liveWithin().toFixed(0)} ms)`)
    expect(elapsed).toBeLessThan(liveWithin())
    await expect.poll(() => sourceRow(translator.page, 0).locator('.source-changes ins').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('Aujourd’hui')]))
    expect((await sourceRow(translator.page, 0).locator('.source-changes ins').allTextContents()).join('').trim()).toBe('Aujourd’hui,')
    expect(await sourceRow(translator.page, 0).locator('.source-changes del').count()).toBe(0)
    expect(await translator.page.getByRole('button', { name: 'Confirm §1' }).isVisible()).toBe(true)
    await expectAligned(translator.page)
    await shot(translator.page, 'source-changed')

    // The interface speaks the translator's language; the texts stay in theirs.
    await translator.page.getByLabel('Language', { exact: true }).selectOption('es')
    await expect.poll(() => statusOf(translator.page, 0)).toBe('por revisar')
    expect(await translator.page.getByRole('heading', { name: 'Original (francés)' }).count()).toBe(1)
    expect(await translator.page.getByRole('button', { name: 'Confirmar el §1' }).count()).toBe(1)
    expect(await translator.page.locator('#translation-text').getAttribute('lang')).toBe('es')
    // A screen reader names the text in the interface's language too, without the editor being made again.
    expect(await translator.page.locator('#translation-text').getAttribute('aria-label')).toBe('Traducción (español)')
    await shot(translator.page, 'interface-in-spanish')

    // §4 translated and confirmed; an amendment to §4 of the original is accepted: the translator sees §4 due within a second, with the amendment's change.
    await focusBlock(translator.page, 3)
    await translator.page.keyboard.type('No es una tarea fácil.')
    await expect.poll(() => statusOf(translator.page, 3)).toBe('por revisar')
    await translator.page.getByRole('button', { name: 'Confirmar el §4' }).click()
    await expect.poll(() => statusOf(translator.page, 3)).toBe('al día')
    await secretariat.page.getByRole('link', { name: 'Back to the original' }).click()
    await secretariat.page.getByRole('button', { name: /Open amendments/ }).click()
    await secretariat.page.getByRole('button', { name: 'Open amendments', exact: true }).click()
    await expect.poll(() => delegate.page.getByTestId('stage').textContent()).toBe('Amendments open')
    await delegate.page.getByRole('button', { name: 'Propose an amendment to §4' }).click()
    await delegate.page.locator('.wording-editor').click()
    await delegate.page.keyboard.press('End')
    await delegate.page.keyboard.press('ArrowLeft')
    await delegate.page.keyboard.type(' pour nous')
    await delegate.page.getByLabel('Justification').fill('Disons qui est concerné.')
    await delegate.page.getByRole('button', { name: 'Table the amendment' }).click()
    const chair = await loggedIn(browser(), site(), 'ingrid')
    await openDraft(chair.page)
    await chair.page.locator('[data-amendment="A1"]').waitFor()
    await chair.page.getByLabel('Beside, in').selectOption('es')
    const beside = chair.page.locator('[data-amendment="A1"]').getByTestId('beside')
    await expect.poll(() => beside.textContent()).toBe('§4 in Spanish (current): No es una tarea fácil.')
    await secretariat.page.getByRole('button', { name: /Close tabling and consolidate/ }).click()
    // Before the deadline: said, and ticked on purpose.
    await secretariat.page.getByLabel('Close tabling before the deadline').check()
    await secretariat.page.getByRole('button', { name: 'Close tabling and consolidate', exact: true }).click()
    await expect.poll(() => chair.page.getByTestId('stage').textContent()).toBe('Consolidation')
    expect(await statusOf(translator.page, 3)).toBe('al día')
    const accepting = performance.now()
    await chair.page.locator('[data-amendment="A1"]').getByRole('button', { name: 'Accept', exact: true }).click()
    await expect.poll(() => statusOf(translator.page, 3), { interval: 20 }).toBe('por revisar')
    const shown = performance.now() - accepting
    console.info(`amendment accepted → the translator's §4 due on screen in ${shown.toFixed(0)} ms (budget ${liveWithin().toFixed(0)} ms)`)
    expect(shown).toBeLessThan(liveWithin())
    await expect.poll(() => sourceRow(translator.page, 3).locator('.source-changes ins').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('pour nous')]))
    expect((await sourceRow(translator.page, 3).locator('.source-changes ins').allTextContents()).join('').trim()).toBe('pour nous')
    expect(await sourceRow(translator.page, 3).locator('.source-changes del').count()).toBe(0)
    await expect.poll(() => beside.textContent()).toBe('§4 in Spanish (due): No es una tarea fácil.')
    await shot(translator.page, 'amendment-accepted')

    // The lock is refused while the Spanish version has due and missing paragraphs, then made with them acknowledged.
    const steering = await loggedIn(browser(), site(), 'mateo')
    await openDraft(steering.page)
    await expect.poll(() => steering.page.getByTestId('stage').textContent()).toBe('Consolidation')
    await steering.page.getByRole('button', { name: /Lock the final text/ }).click()
    await steering.page.getByLabel(/I confirm that this is the final text/).check()
    const lock = steering.page.getByRole('button', { name: 'Lock the final text', exact: true })
    await lock.click()
    await expect.poll(() => steering.page.locator('.stage-panel [role=alert]').textContent()).toMatch(/^Translations are due or missing in Spanish \(15 blocks: §1, §2, /)
    expect(await steering.page.getByTestId('stage').textContent()).toBe('Consolidation')
    expect(await lock.isDisabled()).toBe(true)
    await steering.page.getByLabel(/I acknowledge the outstanding translations/).check()
    await lock.click()
    await expect.poll(() => steering.page.getByTestId('stage').textContent()).toBe('Final text')
    await shot(steering.page, 'locked-with-translations-acknowledged')

    // Nobody writes the version any more.
    await expect.poll(() => translator.page.locator('#translation-text').getAttribute('contenteditable')).toBe('false')
    expect(await translator.page.getByTestId('read-only').textContent()).toBe('El texto está bloqueado: las traducciones ya no cambian.')
    expect(await translator.page.locator('.source-row .confirm').count()).toBe(0)

    // Every export exists per language, and side by side; the booklet prints the version beside each amendment.
    await secretariat.page.getByRole('link', { name: 'Print view' }).click()
    await secretariat.page.getByLabel('Export in').selectOption('es')
    const download = async (name: string) => {
      const href = (await secretariat.page.getByRole('link', { name, exact: true }).getAttribute('href'))!
      const response = await secretariat.page.request.get(new URL(href, site().url).toString())
      const body = await response.body()
      return { href, status: response.status(), magic: body.subarray(0, 5).toString('latin1') }
    }
    expect(await download('PDF')).toEqual({ href: expect.stringMatching(/\/export\.pdf\?language=es$/), status: 200, magic: '%PDF-' })
    expect(await download('PDF, languages side by side')).toEqual({ href: expect.stringMatching(/\/parallel\.pdf\?languages=fr,es$/), status: 200, magic: '%PDF-' })
    expect(await download('DOCX, languages side by side')).toEqual({ href: expect.stringMatching(/\/parallel\.docx\?languages=fr,es$/), status: 200, magic: 'PK\u0003\u0004\u0014' })
    await secretariat.page.goto(`${site().url}${new URL(versionUrl).pathname.replace(/\/languages\/es$/, '/booklet')}`)
    await secretariat.page.getByLabel('Beside each amendment, the paragraph in').selectOption('es')
    expect(await download('PDF')).toEqual({ href: expect.stringMatching(/\/booklet\.pdf\?beside=es$/), status: 200, magic: '%PDF-' })

    for (const person of [secretariat, translator, delegate, chair, steering]) await person.context.close()
  })
})
