import { describe, expect, it } from 'vitest'
import { browserAndSite, clickStartOf, loggedIn, openDraft, paragraph, paste, screenshots, serverBody, serverText, textOf } from './harness.ts'

const { browser, site } = browserAndSite()

/**
 * Word puts hidden text and tracked deletions on the clipboard beside the
 * words it shows: pasted as words, "Le Conseil soutient la motion avec
 * réserves." was stored as "Le Conseil ne soutient pas la motion sans
 * réserve avec réserves.", and nobody was told.
 */
describe('pasting from a word processor', () => {
  it('stores only the words its source showed, says what was left out, and says so of struck words kept', async () => {
    const shot = screenshots('paste-hidden')
    const id = (await site().services.db.query<{ id: string }>('select id from resolutions limit 1'))[0]!.id
    const body = await serverBody(site(), id)
    const before = serverText(body, 2)
    const { context, page } = await loggedIn(browser(), site(), 'claire')
    await openDraft(page)
    await clickStartOf(page, 2)
    const html =
      '<html><body><!--StartFragment--><span lang="FR">Le Conseil <span style="mso-hide:all">ne </span>soutient <span style="display:none">pas </span>la motion <del cite="mailto:x" datetime="2026-12-06T09:00">sans réserve </del>avec réserves. </span><!--EndFragment--></body></html>'
    await paste(paragraph(page, 2), { 'text/html': html, 'text/plain': 'Le Conseil soutient la motion avec réserves. ' })
    // ProseMirror drops the space ending a pasted block, as any paste of HTML.
    const pasted = `Le Conseil soutient la motion avec réserves.${before}`
    await expect.poll(() => serverText(body, 2)).toBe(pasted)
    expect(await textOf(page, 2)).toBe(pasted)
    const notice = page.getByTestId('paste-notice')
    await notice.waitFor()
    expect(await notice.textContent()).toBe('Hidden text and tracked deletions in what you pasted were left out. Check what was pasted against its source.')
    await shot(page, 'left-out')

    await paste(paragraph(page, 2), { 'text/html': '<p>Ne pas <s>retirer</s> ici. </p>', 'text/plain': 'Ne pas retirer ici. ' })
    await expect.poll(() => serverText(body, 2)).toBe(`Le Conseil soutient la motion avec réserves.Ne pas retirer ici.${before}`)
    await expect.poll(() => notice.textContent()).toBe('Struck-through words were pasted as ordinary words (the text has no strikethrough): check them.')

    // Hidden by Word's character style in the clipboard's style sheet, and !important.
    const styled = '<html><head><style><!-- span.MasqueChar {display:none; mso-hide:all} --></style></head><body><p>Vu <span class="MasqueChar">ne </span>le <span style="display: none !important">pas </span>rapport.</p></body></html>'
    await paste(paragraph(page, 2), { 'text/html': styled, 'text/plain': 'Vu le rapport.' })
    await expect.poll(() => serverText(body, 2)).toBe(`Le Conseil soutient la motion avec réserves.Ne pas retirer ici.Vu le rapport.${before}`)
    await context.close()
  })
})
