import { describe, expect, it } from 'vitest'
import { browserAndSite } from './harness.ts'

const { browser, site } = browserAndSite()

describe('the HTML export, as a browser lays it out', () => {
  it("keeps a list item's number, however long, clear of its words", async () => {
    const login = (await (await fetch(`${site().url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'secretariat', password: 'demo' }) })).json()) as { token: string }
    const form = new FormData()
    form.append('file', new File(['---\ntitle: "Numbers"\nlanguage: fr\n---\n\nLe Conseil,\n\n1. note ;\n\nPuis :\n\n100. décide ;\n\nEnfin :\n\n10000. rappelle.\n'], 'numbers.md'))
    const imported = await fetch(`${site().url}/api/resolutions/import`, { method: 'POST', body: form, headers: { authorization: `Bearer ${login.token}` } })
    const { id } = (await imported.json()) as { id: string }
    const context = await browser().newContext()
    const page = await context.newPage()
    for (const lines of ['', '?lines=1']) {
      // Served as a download: laid out from its own bytes.
      const html = await (await fetch(`${site().url}/api/resolutions/${id}/export.html${lines}`, { headers: { authorization: `Bearer ${login.token}` } })).text()
      await page.setContent(html)
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
})
