import { describe, expect, it } from 'vitest'
import { parseMarkdownFile } from '../src/documents/markdownImport.ts'

describe('the preview of a Markdown import', () => {
  it('warns when a file\'s hidden note or unpaired <strong> ends up in the text as characters', () => {
    // Was: warnings [] and a text holding '<!-- Retirer le § 3', 'avant envoi -->' and '<strong>Considérant'.
    const parsed = parseMarkdownFile('---\ntitle: T\n---\n<!--\nRetirer le § 3\n\navant envoi\n-->\n\n<strong>Considérant\n\nque</strong> le Conseil décide.\n')
    const texts: string[] = []
    parsed.doc.forEach((block) => void texts.push(block.textContent))
    expect(texts.some((text) => text.includes('<')) && parsed.warnings.length === 0, JSON.stringify(texts)).toBe(false)
  })
})
