import { describe, expect, it } from 'vitest'
import { browserAndSite, callApi, loggedIn, openDraft } from './harness.ts'

const { browser, site } = browserAndSite()

interface BodyElement {
  getAttribute(name: string): string
  toString(): string
  clone(): BodyElement
}

/**
 * The list of amendments a page loads reads one whose paragraph is gone as
 * obsolete. If the paragraph comes back (a deletion undone), the page must
 * not go on showing it obsolete, with Accept barred, until some other
 * amendment happens to change.
 */
describe('an amendment listed obsolete while its paragraph was gone', () => {
  it('reads as tabled again on the page as soon as the paragraph is back', async () => {
    const id = (await site().services.db.query<{ id: string }>('select id from resolutions limit 1'))[0]!.id
    await callApi(site(), `/api/resolutions/${id}/stage`, 'secretariat', { to: 'amendments', deadline: new Date(Date.now() + 86_400_000).toISOString() })
    const live = await site().services.collab.open(id)
    const body = live.doc.getXmlFragment('body') as unknown as { get(index: number): BodyElement; delete(index: number, length: number): void; insert(index: number, content: BodyElement[]): void }
    const fourth = body.get(3)
    await callApi(site(), `/api/resolutions/${id}/amendments`, 'kwame', {
      kind: 'replace',
      blockId: fourth.getAttribute('id'),
      text: `${fourth.toString().replace(/<[^>]*>/g, '')} Pour tous.`,
      justification: 'Pour préciser.',
    })

    // The server's own change (as a deletion typed by someone, it is stored and sent to every tab).
    const kept = fourth.clone()
    live.doc.transact(() => body.delete(3, 1))
    const { context, page } = await loggedIn(browser(), site(), 'ingrid')
    await openDraft(page)
    const status = page.locator('[data-amendment="A1"] .badge.status')
    await expect.poll(() => status.textContent(), { timeout: 10_000 }).toBe('Obsolete')

    live.doc.transact(() => body.insert(3, [kept]))
    await expect.poll(() => status.textContent(), { timeout: 10_000 }).toBe('Tabled')
    await context.close()
  })
})
