import type { Resolution } from '@hemicycle/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { expectError, startTestServer, type TestServer } from './harness.ts'

let server: TestServer
let secretariat: string
let delegate: string

beforeAll(async () => {
  server = await startTestServer({ DATA_DIR: 'memory://', LOG_LEVEL: 'error' })
  secretariat = await server.login('secretariat')
  delegate = await server.login('claire')
})
afterAll(() => server?.close())

const post = (body: unknown, token = secretariat) =>
  server.api('/api/resolutions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), token })

/** A Markdown file imported by the secretariat, or (dryRun) previewed. */
function importFile(source: string, name: string, dryRun = false) {
  const form = new FormData()
  form.append('file', new File([source], name))
  return server.api(`/api/resolutions/import${dryRun ? '?dryRun=1' : ''}`, { method: 'POST', body: form, token: secretariat })
}

async function auditOf(id: string) {
  return (await (await server.api(`/api/resolutions/${id}/audit`, { token: secretariat })).json()) as Array<{ action: string; person: string; detail: Record<string, unknown> }>
}

describe('the secretariat creates a resolution', () => {
  it('as an empty draft in its language, stamped and dated today, with one empty paragraph to write in, audited', async () => {
    const response = await post({ title: '  Pour une fiscalité juste ', language: 'es', event: 'Consejo 2026' })
    expect(response.status).toBe(201)
    const created = (await response.json()) as Resolution
    expect(created).toMatchObject({ title: 'Pour une fiscalité juste', language: 'es', stage: 'draft', event: 'Consejo 2026', stamp: { label: 'PROYECTO', date: new Date().toISOString().slice(0, 10) } })
    const listed = (await (await server.api('/api/resolutions', { token: delegate })).json()) as Resolution[]
    expect(listed.map((resolution) => resolution.id)).toContain(created.id)
    const markdown = await (await server.api(`/api/resolutions/${created.id}/export.md`, { token: secretariat })).text()
    expect(markdown).toContain('title: "Pour une fiscalité juste"')
    // One empty paragraph, which canonical Markdown writes as an empty HTML comment (a § every print numbers).
    expect(markdown.slice(markdown.lastIndexOf('\n---\n') + 5).trim()).toBe('<!---->')
    const versions = (await (await server.api(`/api/resolutions/${created.id}/versions`, { token: secretariat })).json()) as Array<{ label: string }>
    expect(versions.map((version) => version.label)).toEqual(['created'])
    expect((await auditOf(created.id)).map((entry) => [entry.action, entry.person, entry.detail['title']])).toEqual([['create', 'person-secretariat', 'Pour une fiscalité juste']])
  })

  it('refuses anyone else, an empty title and a language that is not the alliance’s, creating nothing', async () => {
    const before = ((await (await server.api('/api/resolutions', { token: delegate })).json()) as unknown[]).length
    await expectError(await post({ title: 'Texte', language: 'fr' }, delegate), 403, 'forbidden')
    await expectError(await post({ title: '   ', language: 'fr' }), 400, 'invalid_request')
    await expectError(await post({ title: 'Texte', language: 'de' }), 400, 'invalid_request')
    const after = ((await (await server.api('/api/resolutions', { token: delegate })).json()) as unknown[]).length
    expect(after).toBe(before)
  })

  it('imports a file under the title and language typed beside it, the rest of its front matter kept', async () => {
    const form = new FormData()
    form.append('file', new File(['---\ntitle: Titre du fichier\nlanguage: fr\nevent: Congrès\n---\n\nPremier paragraphe.\n'], 'texte.md'))
    form.append('title', 'Titre choisi')
    form.append('language', 'en')
    const response = await server.api('/api/resolutions/import', { method: 'POST', body: form, token: secretariat })
    expect(response.status).toBe(201)
    expect(await response.json()).toMatchObject({ title: 'Titre choisi', language: 'en', event: 'Congrès', warnings: [] })
    const bad = new FormData()
    bad.append('file', new File(['---\ntitle: T\n---\n\nTexte.\n'], 'texte.md'))
    bad.append('language', 'de')
    await expectError(await server.api('/api/resolutions/import', { method: 'POST', body: bad, token: secretariat }), 400, 'invalid_request')
  })

  it('imports a Markdown table as one paragraph a row, and says so in the preview and the answer', async () => {
    const source = '---\ntitle: Sièges\nlanguage: fr\n---\n\nRépartition :\n\n| Pays | Sièges |\n|---|---|\n| Chili | 3 |\n| Ghana | 2 |\n'
    const upload = (dryRun: boolean) => importFile(source, 'sieges.md', dryRun)
    const preview = (await (await upload(true)).json()) as { warnings: Array<{ code: string; count: number }> }
    expect(preview.warnings).toMatchObject([{ code: 'tables', count: 1 }])
    const created = (await (await upload(false)).json()) as Resolution & { warnings: Array<{ code: string }> }
    expect(created.warnings).toMatchObject([{ code: 'tables', count: 1 }])
    const markdown = await (await server.api(`/api/resolutions/${created.id}/export.md`, { token: secretariat })).text()
    expect(markdown.split('\n---\n\n')[1]).toBe('Répartition :\n\nPays | Sièges\n\nChili | 3\n\nGhana | 2\n')
  })

  it('imports GitHub strike-through and images as a Word file does, words kept without the strike and images left out, and says so', async () => {
    const source = '---\ntitle: Objectifs\nlanguage: fr\n---\n\n![Logo](logo.png)\n\nAtteindre la neutralité ~~en 2030~~ en 2035.\n\nUn ~~~~ seul, et un ![schéma](s.png) ici.\n'
    const upload = (dryRun: boolean) => importFile(source, 'objectifs.md', dryRun)
    const warned = [{ code: 'strikethrough', count: 1 }, { code: 'images', count: 2 }]
    const preview = (await (await upload(true)).json()) as { paragraphs: number; warnings: Array<{ code: string; count: number }> }
    expect(preview).toMatchObject({ paragraphs: 2, warnings: warned })
    const created = (await (await upload(false)).json()) as Resolution & { warnings: Array<{ code: string }> }
    expect(created.warnings).toMatchObject(warned)
    const markdown = await (await server.api(`/api/resolutions/${created.id}/export.md`, { token: secretariat })).text()
    // Read as CommonMark alone, the text held "~~en 2030~~" and "![Logo](logo.png)" as words, and said nothing.
    expect(markdown.split('\n---\n\n')[1]).toBe('Atteindre la neutralité en 2030 en 2035.\n\nUn \\~\\~\\~\\~ seul, et un ici.\n')
  })

  it('imports what a Markdown reader shows: words either side of a line break apart, table rows and separators as words, links as their words, saying what it left out', async () => {
    const source = [
      '---\ntitle: Mesures\nlanguage: fr\n---\n',
      'Le Conseil  \ndécide de réformer la PAC.',
      '| # | Mesure |\n|---|---|\n| 1. | Réduire les émissions |',
      '* * *',
      '> | Pays | Plafond |\n> |---|---|\n> | Chili | Oui |',
      'Voir [la déclaration](https://example.org/d) <!-- à vérifier -->.',
      '',
    ].join('\n\n')
    const created = (await (await importFile(source, 'mesures.md')).json()) as Resolution & { warnings: Array<{ code: string; count: number }> }
    expect(created.warnings.map(({ code, count }) => [code, count])).toEqual([['tables', 2], ['comments', 1], ['links', 1], ['thematic_breaks', 1]])
    const markdown = await (await server.api(`/api/resolutions/${created.id}/export.md`, { token: secretariat })).text()
    // CommonMark alone glued "Conseildécide", read "# | Mesure" as a heading and "1. | …" as a list, made three nested empty list items of
    // "* * *", and kept the quoted table's pipes and dashes and the link's address as words, saying nothing.
    expect(markdown.split('\n---\n\n')[1]).toBe(
      'Le Conseil décide de réformer la PAC.\n\n\\# | Mesure\n\n1\\. | Réduire les émissions\n\n> Pays | Plafond\n>\n> Chili | Oui\n\nVoir la déclaration .\n',
    )
  })
})
