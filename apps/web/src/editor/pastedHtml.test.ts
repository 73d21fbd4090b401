import { cleanPastedHtml } from '@hemicycle/schema'
import { describe, expect, it } from 'vitest'

const text = (html: string) => {
  const doc = new DOMParser().parseFromString(html, 'text/html')
  return [...doc.body.querySelectorAll('p')].map((p) => p.textContent)
}

describe('pasted HTML', () => {
  it('leaves out what its source hid or marked deleted, and counts it', () => {
    const word =
      '<p>Le Conseil <span style="mso-hide:all">ne </span>soutient <span style="display: none">pas </span>la motion <del cite="x">sans réserve </del>avec <span hidden>jamais </span>réserves.</p>'
    const pasted = cleanPastedHtml(word)
    expect(text(pasted.html)).toEqual(['Le Conseil soutient la motion avec réserves.'])
    expect(pasted).toMatchObject({ leftOut: 4, struck: 0 })
  })

  it('keeps struck words, which the source shows, and counts them', () => {
    const pasted = cleanPastedHtml('<p>Ne pas <s>retirer</s> ni <span style="text-decoration: line-through">abroger</span>.</p>')
    expect(text(pasted.html)).toEqual(['Ne pas retirer ni abroger.'])
    expect(pasted).toMatchObject({ leftOut: 0, struck: 2 })
  })

  it('makes a table row one paragraph, its cells separated by " | "', () => {
    const pasted = cleanPastedHtml('<table><tr><td>Cell A</td><td>Cell B</td></tr><tr><th>C</th><td> D  d </td></tr></table><p>After.</p>')
    expect(text(pasted.html)).toEqual(['Cell A | Cell B', 'C | D d', 'After.'])
  })

  it('changes nothing else', () => {
    const plain = '<p>Un <b>paragraphe</b> <i>ordinaire</i>.</p><ul><li>un</li></ul>'
    expect(cleanPastedHtml(plain)).toEqual({ html: plain, leftOut: 0, struck: 0 })
  })

  it('leaves out what is hidden otherwise: !important, a style sheet’s class, a closed <details>, no size or no opacity', () => {
    const pasted = cleanPastedHtml(
      '<html><head><style><!-- span.MasqueChar {mso-style-name:"Masqué"; display:none; mso-hide:all} --></style></head><body>' +
        '<p>Le Conseil <span style="display:none !important">ne </span><span class="MasqueChar">jamais </span>soutient <span style="font-size:0">pas </span><span style="opacity: 0">guère </span>la motion.</p>' +
        '<details><summary>Résumé</summary><p>Le Conseil ne soutient pas.</p></details></body></html>',
    )
    expect(text(pasted.html)).toEqual(['Le Conseil soutient la motion.'])
    expect(pasted.html).toContain('Résumé')
    expect(pasted.leftOut).toBe(5)
  })

  it('keeps a cell’s paragraphs, lines and nested tables apart, and a table’s caption', () => {
    const pasted = cleanPastedHtml(
      '<table><caption>Votes</caption><tr><td><p>Le Conseil</p><p>soutient</p></td><td>la<br>motion</td><td><table><tr><td>ne</td><td>pas</td></tr></table></td></tr></table>',
    )
    expect(text(pasted.html)).toEqual(['Votes', 'Le Conseil soutient | la motion | ne | pas'])
  })
})
