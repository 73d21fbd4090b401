import { describe, expect, it } from 'vitest'
import { browserAndSite } from './harness.ts'

const { browser, site } = browserAndSite()

/** A resolution imported from `body` (Markdown after a front matter titled `title`), and a reader of its exports, as the secretariat. */
async function imported(title: string, body: string): Promise<{ read: (path: string) => Promise<string> }> {
  const login = (await (await fetch(`${site().url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'secretariat', password: 'demo' }) })).json()) as { token: string }
  const headers = { authorization: `Bearer ${login.token}` }
  const form = new FormData()
  form.append('file', new File([`---\ntitle: "${title}"\nlanguage: fr\n---\n\n${body}`], 'draft.md'))
  const { id } = (await (await fetch(`${site().url}/api/resolutions/import`, { method: 'POST', body: form, headers })).json()) as { id: string }
  // Exports are served as downloads: read as bytes, to be laid out from them.
  return { read: async (path) => (await fetch(`${site().url}/api/resolutions/${id}/${path}`, { headers })).text() }
}

describe('the HTML export, as a browser lays it out', () => {
  it("keeps a list item's number, however long, clear of its words", async () => {
    const { read } = await imported('Numbers', 'Le Conseil,\n\n1. note ;\n\nPuis :\n\n100. décide ;\n\nEnfin :\n\n10000. rappelle.\n')
    const context = await browser().newContext()
    const page = await context.newPage()
    for (const lines of ['', '?lines=1']) {
      await page.setContent(await read(`export.html${lines}`))
      // From the number's last glyph to the first glyph of the words after it.
      const gaps = await page.locator('.marker').evaluateAll((markers) =>
        markers.map((marker) => {
          const own = document.createRange()
          own.selectNodeContents(marker)
          const walker = document.createTreeWalker(marker.parentElement!, NodeFilter.SHOW_TEXT)
          walker.currentNode = marker.lastChild!
          let next = walker.nextNode()
          while (next && next.textContent!.trim() === '') next = walker.nextNode()
          const first = document.createRange()
          first.setStart(next!, 0)
          first.setEnd(next!, 1)
          return { marker: marker.textContent, gap: first.getBoundingClientRect().left - own.getBoundingClientRect().right }
        }),
      )
      expect(gaps.map((each) => each.marker)).toEqual(['1.', '100.', '10000.'])
      for (const { marker, gap } of gaps) expect(gap, `${marker} ${lines}`).toBeGreaterThan(2)
    }
    await context.close()
  })

  it('keeps runs of spaces, tabs and leading spaces as typed, as the editor shows them, in the plain export', async () => {
    const { read } = await imported('Spaces', 'Montant :  12\u00a0000\u00a0€\tet\t\tplus.\n\n&#x20;&#x20;&#x20;Retrait initial.\n')
    expect(await read('export.md')).toContain('Montant :  12\u00a0000\u00a0€\tet\t\tplus.')
    const context = await browser().newContext()
    const page = await context.newPage()
    // The plain export; the lined one, as the PDF, sets the lines the numbering wraps, whose spaces are single (known).
    await page.setContent(await read('export.html'))
    // innerText is the text as laid out (what collapsed on the page is collapsed there), § numbers hidden.
    await page.addStyleTag({ content: '.number, .pending { display: none !important; }' })
    const shown = await page.locator('main .block').evaluateAll((blocks) => blocks.map((block) => (block as HTMLElement).innerText))
    expect(shown).toEqual(['Montant :  12\u00a0000\u00a0€\tet\t\tplus.', '   Retrait initial.'])
    await context.close()
  })
})
