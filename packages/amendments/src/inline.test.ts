import { describe, expect, it } from 'vitest'
import { markdownToParagraphs, normalizeMarkdown, runsToMarkdown } from './inline.ts'

describe('inline Markdown', () => {
  it('reads bold, italic and paragraphs, and writes them back', () => {
    const text = "**L'Alliance** offre une *vision* d'un ***avenir***.\n\nSecond paragraphe."
    const paragraphs = markdownToParagraphs(text)
    expect(paragraphs).toEqual([
      [{ text: "L'Alliance", bold: true }, { text: ' offre une ' }, { text: 'vision', italic: true }, { text: " d'un " }, { text: 'avenir', bold: true, italic: true }, { text: '.' }],
      [{ text: 'Second paragraphe.' }],
    ])
    expect(paragraphs.map(runsToMarkdown).join('\n\n')).toBe(text)
  })

  it('treats plain text as plain, escaping what would read as Markdown', () => {
    expect(runsToMarkdown([{ text: 'a *star* and 1. item' }])).toBe('a \\*star\\* and 1. item')
    expect(markdownToParagraphs(runsToMarkdown([{ text: 'a *star*' }]))).toEqual([[{ text: 'a *star*' }]])
  })

  it('normalises equivalent spellings to one', () => {
    expect(normalizeMarkdown('__bold__ and _it_')).toBe('**bold** and *it*')
    expect(normalizeMarkdown('  one\n\n\n\ntwo  ')).toBe('one\n\ntwo')
  })
})
