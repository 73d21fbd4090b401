import { splitResolutionFile } from '@hemicycle/schema'
import { describe, expect, it } from 'vitest'
import { paragraph, typedDraftSession } from './typedDrafts.ts'

/**
 * The printed PDF copies back as the adopted text, ligatures or not. pdfkit
 * names each glyph by the characters it was first drawn for, and the faces
 * drew "fi" with the glyph of the ligature character "ﬁ" (U+FB01): one "ﬁ"
 * pasted from another PDF made every later "fi" of the export and of the
 * archival record copy back as "ﬁ" ("conﬁrme"), and a "fi" before it made
 * the "ﬁ" copy back as "fi": another text, with another hash, than the one
 * adopted. The letters are now set apart, each glyph standing for one
 * character.
 */
const { get, bytesOf, pdfText, importMarkdown, adopt, typeDraft } = typedDraftSession('ligatures')
const SLOW = 120_000
const PASTED = 'Vu le rapport « Déﬁs de la cohésion sociale ».'

async function adoptedBody(id: string): Promise<string> {
  const response = await get(`/api/resolutions/${id}/export.md`)
  expect(response.status).toBe(200)
  return splitResolutionFile(await response.text()).body
}

describe('the text of an adopted PDF, copied back', () => {
  it('gives "confirme" and "finale" after a paragraph holding the ligature "ﬁ" pasted from a PDF', async () => {
    const id = await importMarkdown('Ligature first', 'Draft.\n', 'fr')
    await typeDraft(id, () => [paragraph(PASTED), paragraph('Le Conseil confirme sa décision finale.')])
    await adopt(id)
    expect(await adoptedBody(id)).toContain('Le Conseil confirme sa décision finale.')
    for (const path of [`/api/resolutions/${id}/export.pdf`, `/api/resolutions/${id}/export.pdf?lines=1`, `/api/resolutions/${id}/record.pdf`]) {
      const text = pdfText(await bytesOf(path))
      expect(text, path).toContain('Le Conseil confirme sa décision finale.')
      expect(text, path).toContain('Déﬁs de la cohésion')
    }
  }, SLOW)

  it('gives the ligature "ﬁ" the text holds after a paragraph with the letters "fi"', async () => {
    const id = await importMarkdown('Ligature second', 'Draft.\n', 'fr')
    await typeDraft(id, () => [paragraph('Le Conseil confirme sa décision.'), paragraph(PASTED)])
    await adopt(id)
    expect(await adoptedBody(id)).toContain('Déﬁs')
    const text = pdfText(await bytesOf(`/api/resolutions/${id}/record.pdf`))
    expect(text).toContain('Le Conseil confirme sa décision.')
    expect(text).toContain('Déﬁs de la cohésion')
  }, SLOW)
})
