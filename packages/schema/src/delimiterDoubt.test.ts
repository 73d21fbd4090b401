import { HtmlRenderer, Parser } from 'commonmark'
import MarkdownIt from 'markdown-it'
import { describe, expect, it } from 'vitest'
import { holdsDelimiterDoubt } from './delimiterDoubt.ts'

describe('the characters readers may class differently beside a `*`', () => {
  it('hold every character of the Basic Multilingual Plane that CommonMark\'s reference, on this Node, and markdown-it read differently beside `*` or `**`', () => {
    const reference = { parser: new Parser(), renderer: new HtmlRenderer() }
    const markdownIt = new MarkdownIt('commonmark', { html: true })
    const formatting = (html: string) => (html.match(/<\/?(strong|em)>/g) ?? []).join('')
    const partWays: string[] = []
    const missed: string[] = []
    for (let code = 0x80; code <= 0xffff; code++) {
      if (code >= 0xd800 && code <= 0xdfff) continue
      const character = String.fromCharCode(code)
      // The character on each side of an opening and of a closing run, inside and outside it.
      const samples = [`a**${character}b**`, `**b${character}**a`, `${character}**b**a`, `a**b**${character}`, `a*${character}b*`, `*b${character}*a`, `${character}*b*a`, `a*b*${character}`]
      const differs = samples.some((sample) => formatting(reference.renderer.render(reference.parser.parse(sample))) !== formatting(markdownIt.render(sample)))
      if (!differs) continue
      partWays.push(character)
      if (!holdsDelimiterDoubt(`x${character}x`, 3)) missed.push(`U+${code.toString(16).toUpperCase()}`)
    }
    expect(missed).toEqual([])
    // On Node 20 (Unicode 17) they part ways on 38: U+2028, U+2029, U+FEFF (rule 2's) and 35 symbols Unicode 16 and 17 added.
    expect(partWays.length).toBeGreaterThanOrEqual(38)
    expect(partWays.filter((character) => !holdsDelimiterDoubt(character, 2)).length).toBeGreaterThanOrEqual(35)
  })

  it('leave the characters of French, English and Spanish texts, their punctuation and their symbols, to the usual Markdown', () => {
    expect(holdsDelimiterDoubt('Le Conseil « salue » l’accord — 3 % de plus, 12 € ; ¿Cómo? ¡Sí! naïveté, œuvre, Ñandú, §, °, ©, …', 3)).toBe(false)
    expect(holdsDelimiterDoubt('Приветствует • 議会 • مجلس • परिषद', 3)).toBe(false)
    expect(holdsDelimiterDoubt('᭎', 3)).toBe(true)
    expect(holdsDelimiterDoubt('🎉', 3)).toBe(true)
  })
})
