import { describe, expect, it } from 'vitest'
import { browserAndSite, callApi, clickStartOf, loggedIn, openDraft, screenshots } from './harness.ts'

const { browser, site } = browserAndSite()

/** The body's elements as the server holds them: Yjs types, read through what they show (e2e does not load its own yjs). */
interface Item {
  id: { client: number; clock: number }
  length: number
  deleted: boolean
  right: Item | null
}
interface Node {
  nodeName?: string
  _start: Item | null
  toArray(): Node[]
  toString(): string
  getAttribute(name: string): string | undefined
}
interface Body {
  length: number
  get(index: number): Node
  toArray(): Node[]
}
const texts = (element: Node) => element.toArray().filter((child) => child.nodeName === undefined)
const textOf = (element: Node) => texts(element).map((text) => text.toString()).join('')

/** The ids of the Yjs items holding an element's characters, one per character: what late typing and the redline follow. */
function itemsOf(element: Node): string[] {
  const out: string[] = []
  for (const text of texts(element)) {
    for (let item = text._start; item; item = item.right) {
      if (!item.deleted) for (let offset = 0; offset < item.length; offset++) out.push(`${item.id.client}:${item.id.clock + offset}`)
    }
  }
  return out
}

describe('Enter at the very start of a paragraph during consolidation', () => {
  it('opens a blank line above it: the paragraph’s amendment stays on its words, accepting it changes them, and undo takes the blank line away', async () => {
    const shot = screenshots('enter-at-start')
    const api = (path: string, username: string, body?: unknown) => callApi(site(), path, username, body)
    const id = (await site().services.db.query<{ id: string }>('select id from resolutions limit 1'))[0]!.id
    await api(`/api/resolutions/${id}/stage`, 'secretariat', { to: 'amendments', deadline: new Date(Date.now() + 86_400_000).toISOString() })
    const body = (await site().services.collab.open(id)).doc.getXmlFragment('body') as unknown as Body
    const third = body.get(2)
    const blockId = third.getAttribute('id')!
    const base = textOf(third)
    expect(base).toMatch(/^Le socialisme /)
    const amended = base.replace(/^Le socialisme /, 'Le socialisme démocratique ')
    const amendment = await api(`/api/resolutions/${id}/amendments`, 'kwame', { kind: 'replace', blockId, text: amended, justification: 'Pour préciser.' })
    await api(`/api/resolutions/${id}/stage`, 'secretariat', { to: 'consolidation' })
    const items = itemsOf(third)
    const blocks = body.length

    const { page } = await loggedIn(browser(), site(), 'ingrid')
    await openDraft(page)
    await expect.poll(() => page.locator('.resolution-text').getAttribute('contenteditable')).toBe('true')
    const index = await page.locator('.resolution-text > p').evaluateAll((paragraphs, wanted) => paragraphs.findIndex((p) => p.getAttribute('data-block-id') === wanted), blockId)
    await clickStartOf(page, index)
    await page.keyboard.press('Enter')

    // The blank line is new; the paragraph is the same element, with its id and the very items of its words.
    await expect.poll(() => body.length).toBe(blocks + 1)
    const blank = body.get(2)
    expect(textOf(blank)).toBe('')
    expect(blank.getAttribute('id')).not.toBe(blockId)
    expect(body.get(3)).toBe(third)
    expect(third.getAttribute('id')).toBe(blockId)
    expect(itemsOf(third)).toEqual(items)
    await shot(page, 'blank-line-above')

    // The amendment still points at the words, and previews against them.
    const stored = await api(`/api/amendments/${amendment['id'] as string}`, 'ingrid')
    expect(stored['blockId']).toBe(blockId)
    const preview = await api(`/api/amendments/${amendment['id'] as string}/preview`, 'ingrid')
    expect(preview['state']).toBe('clean')
    expect(preview['current']).toBe(base)
    expect(preview['text']).toBe(amended)

    await api(`/api/amendments/${amendment['id'] as string}/decision`, 'ingrid', { decision: 'accept' })
    expect(textOf(third)).toBe(amended)
    expect(textOf(blank)).toBe('')
    await expect.poll(() => page.locator(`.resolution-text > p[data-block-id="${blockId}"]`).textContent()).toContain('Le socialisme démocratique ')

    // Undo takes back the chair's Enter only: the blank line goes, the accepted words stay, under their id.
    await page.keyboard.press('Control+z')
    await expect.poll(() => body.toArray().indexOf(third)).toBe(2)
    expect(third.getAttribute('id')).toBe(blockId)
    expect(textOf(third)).toBe(amended)
    expect(body.length).toBe(blocks)
  })
})
