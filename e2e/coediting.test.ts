import { describe, expect, it } from 'vitest'
import { browserAndSite, clickStartOf, loggedIn, networkCable, openDraft, paragraph, screenshots, statusOf, textOf } from './harness.ts'

// Sockets are pinged every second: a browser answers by itself, and one whose network vanished is ended within two.
const { browser, site } = browserAndSite({ HEARTBEAT_MS: '1000' })

describe('two delegations co-editing in the browser', () => {
  it('see each other’s text, caret and name live, and keep the text through a server restart', async () => {
    const shot = screenshots('coediting')
    const claire = await loggedIn(browser(), site(), 'claire')
    const kwame = await loggedIn(browser(), site(), 'kwame')
    await openDraft(claire.page)
    await openDraft(kwame.page)
    await shot(claire.page, 'claire-opened')

    await clickStartOf(claire.page, 1)
    await claire.page.keyboard.type('Texte de Claire. ')
    await expect.poll(() => textOf(kwame.page, 1)).toMatch(/^Texte de Claire\. Le changement engendre/)

    const caret = kwame.page.locator('.collaboration-carets__label', { hasText: 'Claire Martin' })
    await caret.waitFor()
    expect(await caret.textContent()).toBe('Claire Martin · Parti progressiste (France)')
    expect(await caret.evaluate((element) => getComputedStyle(element).backgroundColor)).not.toBe('rgba(0, 0, 0, 0)')
    await expect.poll(() => kwame.page.locator('.presence li').allTextContents()).toEqual(
      expect.arrayContaining([expect.stringContaining('Claire Martin'), expect.stringContaining('Kwame Mensah (you)')]),
    )
    await expect.poll(() => statusOf(claire.page)).toBe('saved')
    await shot(kwame.page, 'kwame-sees-claire')

    await site().restart()
    await expect.poll(() => statusOf(kwame.page), { timeout: 15_000 }).toMatch(/online|saved/)
    await clickStartOf(kwame.page, 3)
    await kwame.page.keyboard.type('Après le redémarrage. ')
    await expect.poll(() => textOf(claire.page, 3), { timeout: 15_000 }).toMatch(/^Après le redémarrage\. /)
    await expect.poll(() => statusOf(kwame.page)).toBe('saved')
    await shot(claire.page, 'after-restart')

    await kwame.page.reload()
    await paragraph(kwame.page, 1).waitFor()
    expect(await textOf(kwame.page, 1)).toMatch(/^Texte de Claire\. /)
    expect(await textOf(kwame.page, 3)).toMatch(/^Après le redémarrage\. /)
    await shot(kwame.page, 'kwame-reloaded')
    await claire.context.close()
    await kwame.context.close()
  })

  it('merge edits made while the network was cut when it comes back', async () => {
    const shot = screenshots('offline')
    const lucia = await loggedIn(browser(), site(), 'lucia')
    const hafiz = await loggedIn(browser(), site(), 'hafiz')
    const cable = await networkCable(lucia.context)
    await openDraft(lucia.page)
    await openDraft(hafiz.page)

    await cable.unplug()
    await expect.poll(() => statusOf(lucia.page), { timeout: 15_000 }).toBe('offline')
    await paragraph(lucia.page, 6).click()
    await lucia.page.keyboard.press('End')
    await lucia.page.keyboard.type(' Écrit hors ligne.')
    await clickStartOf(hafiz.page, 6)
    await hafiz.page.keyboard.type('En ligne : ')
    await shot(lucia.page, 'offline-edit')

    expect(await textOf(hafiz.page, 6)).not.toContain('hors ligne')
    await cable.plug()
    for (const page of [lucia.page, hafiz.page]) {
      await expect.poll(() => textOf(page, 6), { timeout: 20_000 }).toBe(
        'En ligne : Notre vision allie le progrès social et la cohésion sociale. Écrit hors ligne.',
      )
    }
    await expect.poll(() => statusOf(lucia.page), { timeout: 15_000 }).toBe('saved')
    // Both kept: nothing to tell either of them.
    for (const page of [lucia.page, hafiz.page]) expect(await page.getByTestId('unsaved').count()).toBe(0)
    await shot(lucia.page, 'merged')
    await lucia.context.close()
    await hafiz.context.close()
  })

  it('tell a delegate whose words typed offline went with a paragraph someone deleted meanwhile, and show them to copy', async () => {
    const shot = screenshots('offline-removed')
    const claire = await loggedIn(browser(), site(), 'claire')
    const julien = await loggedIn(browser(), site(), 'julien')
    const cable = await networkCable(julien.context)
    await openDraft(claire.page)
    await openDraft(julien.page)
    await cable.unplug()
    await expect.poll(() => statusOf(julien.page), { timeout: 15_000 }).toBe('offline')
    await clickStartOf(julien.page, 1)
    await julien.page.keyboard.type('IMPORTANT : ')
    // Meanwhile Claire deletes §2 whole: from its first letter to the first letter of §3, then Backspace.
    await clickStartOf(claire.page, 1)
    await paragraph(claire.page, 2).click({ position: { x: 2, y: 8 }, modifiers: ['Shift'] })
    await claire.page.keyboard.press('Backspace')
    await expect.poll(() => textOf(claire.page, 1)).toMatch(/^Le socialisme/)
    await cable.plug()
    await expect.poll(() => statusOf(julien.page), { timeout: 20_000 }).toBe('saved')
    // Yjs keeps both changes: the words went with the paragraph, on every screen. Julien is told, and has them to copy.
    const notice = julien.page.getByTestId('unsaved')
    await expect.poll(() => notice.getByTestId('unsaved-words').textContent(), { timeout: 10_000 }).toBe('IMPORTANT : ')
    expect(await notice.locator('p').first().textContent()).toContain('someone deleted the paragraph they were in')
    expect(await julien.page.locator('.resolution-text').innerText()).not.toContain('IMPORTANT')
    await shot(julien.page, 'told')
    await notice.getByRole('button').click()
    await expect.poll(() => julien.page.getByTestId('unsaved').count()).toBe(0)
    await claire.context.close()
    await julien.context.close()
  })

  it('show a delegate again as soon as their network comes back, not at their next presence renewal', async () => {
    const lucia = await loggedIn(browser(), site(), 'lucia')
    const hafiz = await loggedIn(browser(), site(), 'hafiz')
    const cable = await networkCable(lucia.context)
    let hafizSockets = 0
    hafiz.page.on('websocket', (socket) => void (socket.url().includes('/collab/') && hafizSockets++))
    await openDraft(lucia.page)
    await openDraft(hafiz.page)
    const present = (page: typeof hafiz.page) => page.locator('.presence li .name').allTextContents()
    await expect.poll(() => present(hafiz.page)).toContain('Lucía Fernández')

    // Reading, not typing: nothing changes her presence while she is away, so she comes back with the clock it was removed at.
    // The page loses its socket; the server ends its side, as its heartbeat does with a socket that stopped answering.
    await cable.unplug()
    const id = (await site().services.db.query<{ id: string }>('select id from resolutions limit 1'))[0]!.id
    for (const connection of site().services.collab.peek(id)!.connections) if (connection.personId === 'person-lucia') connection.socket.terminate()
    await expect.poll(() => present(hafiz.page), { timeout: 15_000 }).not.toContain('Lucía Fernández')
    await cable.plug()
    await expect.poll(() => statusOf(lucia.page), { timeout: 15_000 }).toMatch(/online|saved/)
    // A renewal would bring her back within 15 s anyway; the server's answer to her return does it at once.
    await expect.poll(() => present(hafiz.page), { timeout: 3000 }).toContain('Lucía Fernández')
    // And she sees him at once: the page forgets the clocks it last heard others at when its socket closes.
    await expect.poll(() => present(lucia.page), { timeout: 3000 }).toEqual(expect.arrayContaining(['Lucía Fernández (you)', 'Hafiz Rahman']))
    // Pinged every second all along, Chromium answered each time: the server never ended Hafiz's socket.
    expect(hafizSockets).toBe(1)
    await lucia.context.close()
    await hafiz.context.close()
  })

  it('give an observer a read-only editor that says why', async () => {
    const shot = screenshots('observer')
    const tomas = await loggedIn(browser(), site(), 'tomas')
    await openDraft(tomas.page)
    const before = await textOf(tomas.page, 0)
    expect(await tomas.page.locator('.resolution-text').getAttribute('contenteditable')).toBe('false')
    expect(await tomas.page.getByTestId('read-only').textContent()).toMatch(/observer/)
    await paragraph(tomas.page, 0).click()
    await tomas.page.keyboard.type('Observer typing')
    await tomas.page.keyboard.press('Enter')
    await tomas.page.waitForTimeout(300)
    expect(await textOf(tomas.page, 0)).toBe(before)
    expect(await tomas.page.getByRole('button', { name: 'Bold' }).isDisabled()).toBe(true)
    await shot(tomas.page, 'read-only')
    await tomas.context.close()
  })

  it('switch the interface to Spanish and leave the resolution text in French', async () => {
    const shot = screenshots('language')
    const ama = await loggedIn(browser(), site(), 'ama')
    await openDraft(ama.page)
    // The words of the text, without the margin (§, lines, amendments), which speaks the interface's language.
    const words = () => ama.page.locator('.resolution-text').evaluate((element) => {
      const copy = element.cloneNode(true) as HTMLElement
      for (const margin of copy.querySelectorAll('.margin')) margin.remove()
      return copy.textContent
    })
    const text = await words()
    expect(await ama.page.locator('.margin-lines').first().textContent()).toMatch(/^lines? \d/)
    await shot(ama.page, 'english')

    await ama.page.getByLabel('Language', { exact: true }).selectOption('es')
    await ama.page.getByLabel('Idioma', { exact: true }).waitFor()
    expect(await ama.page.getByRole('button', { name: 'Cerrar sesión' }).isVisible()).toBe(true)
    expect(await ama.page.getByRole('button', { name: 'Negrita' }).isVisible()).toBe(true)
    expect(await ama.page.locator('.presence h2').textContent()).toMatch(/^En este documento/)
    expect(await ama.page.evaluate(() => document.documentElement.lang)).toBe('es')
    expect(await words()).toBe(text)
    // Every paragraph's margin is drawn again in Spanish, none left in English or without its word.
    const margins = await ama.page.locator('.margin-lines').allTextContents()
    expect(margins.length).toBeGreaterThan(10)
    for (const lines of margins) expect(lines).toMatch(/^líneas? \d+(–\d+)?$/)
    expect(await ama.page.locator('.resolution-text').getAttribute('lang')).toBe('fr')
    expect(await ama.page.getByTestId('stamp').textContent()).toBe('PROJET 03 juillet 2019')
    await shot(ama.page, 'spanish')

    await ama.page.reload()
    await ama.page.getByLabel('Idioma', { exact: true }).waitFor()
    await ama.context.close()
  })
})
