import { serializeMarkdownBody } from '@hemicycle/schema'
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate'
import { describe, expect, it } from 'vitest'
import { docx, p, r, style } from '../../test/handWrittenDocx.ts'
import { parseDocx } from './docxReading.ts'

/** What the import makes of a hand-written file: the body as Markdown, the title, and the warnings by code. */
async function read(bytes: Uint8Array, options: Parameters<typeof parseDocx>[2] = {}) {
  const parsed = await parseDocx(bytes, 'draft.docx', options)
  return {
    title: parsed.frontMatter.title,
    language: parsed.frontMatter.language,
    body: serializeMarkdownBody(parsed.doc),
    warnings: Object.fromEntries(parsed.warnings.map((warning) => [warning.code, warning])),
    undecided: parsed.undecided,
  }
}

describe('hidden text', () => {
  it('is left out, whether hidden directly, by a character style or by a paragraph style it is based on, and each passage is named', async () => {
    const styles = style('character', 'Secret', '<w:vanish/>') + style('paragraph', 'Hidden', '<w:vanish/>') + style('paragraph', 'StillHidden', '', '<w:basedOn w:val="Hidden"/>')
    const { body, warnings } = await read(
      docx(
        p(r('Le Conseil ') + r('ne ', '<w:vanish/>') + r('soutient') + r(' pas', '<w:rStyle w:val="Secret"/>') + r(' la proposition.')) +
          p(r('Note interne.'), '<w:pStyle w:val="StillHidden"/>') +
          p(r('Fin.')),
        { styles },
      ),
    )
    expect(body).toBe('Le Conseil soutient la proposition.\n\nFin.\n')
    expect(warnings['hidden_text']).toMatchObject({ count: 3 })
    expect(warnings['hidden_text']!.message).toContain('"ne", "pas", "Note interne."')
  })

  it('is shown when the run says so against its style, and then nothing is said', async () => {
    const styles = style('character', 'Secret', '<w:vanish/>')
    const { body, warnings } = await read(docx(p(r('Le Conseil ') + r('soutient', '<w:rStyle w:val="Secret"/><w:vanish w:val="0"/>') + r(' la proposition.')), { styles }))
    expect(body).toBe('Le Conseil soutient la proposition.\n')
    expect(warnings).toEqual({})
  })

  it('leaves no empty list item where a whole list item was hidden, mark and all', async () => {
    const numbering = '<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
    const item = (runs: string, mark = '') => p(runs, `<w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>${mark}`)
    const { body } = await read(docx(p(r('Le Conseil :')) + item(r('demande ;')) + item(r('exige ;', '<w:vanish/>'), '<w:rPr><w:vanish/></w:rPr>') + item(r('invite.')), { numbering }))
    expect(body).toBe('Le Conseil :\n\n- demande ;\n- invite.\n')
  })
})

describe('a stamp typed as the first paragraph', () => {
  it('is lifted into the metadata when it is the stamp word alone or followed by a date', async () => {
    for (const [line, stamp] of [
      ['PROJET 03 juillet 2019', { language: 'fr', draft_date: '2019-07-03' }],
      ['Draft', { language: 'en' }],
      ['PROYECTO 12 de marzo de 2026', { language: 'es', draft_date: '2026-03-12' }],
    ] as const) {
      const parsed = await parseDocx(docx(p(r(line)) + p(r('Le Conseil décide.'))), 'draft.docx')
      expect(parsed.frontMatter).toMatchObject(stamp)
      expect(serializeMarkdownBody(parsed.doc)).toBe('Le Conseil décide.\n')
    }
  })

  it('is not taken from a paragraph that merely starts with the stamp word, which stays text and does not set the language', async () => {
    for (const line of ['Projet de résolution sur la politique agricole commune', 'Draft resolution on the common agricultural policy', 'Proyecto de resolución', 'Projet 2030']) {
      const { body, language } = await read(docx(p(r(line)) + p(r('Le Conseil décide de réformer la PAC.'))))
      expect(body).toBe(`${line}\n\nLe Conseil décide de réformer la PAC.\n`)
      expect(language).toBe('fr')
    }
  })
})

describe('Title-styled paragraphs', () => {
  const styles = style('paragraph', 'Title')
  const title = (text: string) => p(r(text), '<w:pStyle w:val="Title"/>')

  it('make one title when they follow one another, and head the text further on', async () => {
    const { title: heading, body } = await read(docx(title('Résolution') + title('sur la politique agricole commune') + p(r('Le Conseil décide.')) + title('Annexe') + p(r('Calendrier de la réforme.')), { styles }))
    expect(heading).toBe('Résolution sur la politique agricole commune')
    expect(body).toBe('Le Conseil décide.\n\n# Annexe\n\nCalendrier de la réforme.\n')
  })
})

describe('a tracked change of a paragraph mark', () => {
  const REVISION = 'w:author="Erik" w:date="2026-03-01T10:00:00Z"'
  const mark = (kind: 'ins' | 'del', id: number) => `<w:rPr><w:${kind} w:id="${id}" ${REVISION}/></w:rPr>`
  const deleted = (text: string, id: number) => `<w:del w:id="${id}" ${REVISION}><w:r><w:delText xml:space="preserve">${text}</w:delText></w:r></w:del>`

  it('is a pending change even alone, so the import asks', async () => {
    const { warnings, undecided } = await read(docx(p(r('Le Conseil salue la réforme.'), mark('del', 1)) + p(r('Il demande sa mise en œuvre.'))))
    expect(undecided).toBe(1)
    expect(warnings['tracked_changes']).toMatchObject({ count: 1, choices: ['accept', 'reject'] })
    expect(warnings['tracked_changes']!.message).toContain('by Erik')
  })

  it('is one change with the runs of a paragraph deleted whole', async () => {
    const { undecided } = await read(docx(p(deleted('Le Conseil salue la réforme.', 1), mark('del', 2)) + p(r('Il demande sa mise en œuvre.'))))
    expect(undecided).toBe(1)
  })

  it('joins or parts the paragraphs as accepting or rejecting it does', async () => {
    const joined = docx(p(r('Le Conseil ') + deleted('vivement ', 1) + r('salue la réforme.'), mark('del', 2)) + p(r('Il demande sa mise en œuvre.')))
    expect((await read(joined, { trackedChanges: 'accept' })).body).toBe('Le Conseil salue la réforme.Il demande sa mise en œuvre.\n')
    expect((await read(joined, { trackedChanges: 'reject' })).body).toBe('Le Conseil vivement salue la réforme.\n\nIl demande sa mise en œuvre.\n')
    const split = docx(p(r('Le Conseil salue la réforme. '), mark('ins', 1)) + p(r('Il demande sa mise en œuvre.')))
    expect((await read(split, { trackedChanges: 'accept' })).body).toBe('Le Conseil salue la réforme.\n\nIl demande sa mise en œuvre.\n')
    expect((await read(split, { trackedChanges: 'reject' })).body).toBe('Le Conseil salue la réforme. Il demande sa mise en œuvre.\n')
  })

  it('of a table row deleted is undone by rejecting, the row back', async () => {
    const row = (text: string, properties = '') => `<w:tr>${properties ? `<w:trPr>${properties}</w:trPr>` : ''}<w:tc>${p(text)}</w:tc></w:tr>`
    const bytes = docx(`<w:tbl>${row(r('Chili'))}${row(deleted('Pérou', 1), `<w:del w:id="2" ${REVISION}/>`)}</w:tbl>`)
    expect((await read(bytes, { trackedChanges: 'reject' })).body).toBe('Chili\n\nPérou\n')
    expect((await read(bytes, { trackedChanges: 'accept' })).body).toBe('Chili\n')
  })
})

describe('tables', () => {
  const row = (...cells: string[]) => `<w:tr>${cells.map((cell) => `<w:tc>${cell}</w:tc>`).join('')}</w:tr>`

  it('keep the words of a cell that holds another table, before and after it, in their order', async () => {
    // The nested table's row took the outer row's place: "Le Conseil" and "décide" went, named only by unread_text.
    const inner = `<w:tbl>${row(p(r('Chili')), p(r('Pérou')))}</w:tbl>`
    const { body, warnings } = await read(docx(`<w:tbl>${row(p(r('Le Conseil')) + inner + p(r('décide')), p(r('Annexe')))}</w:tbl>` + p(r('Fin.'))))
    expect(body).toBe('Le Conseil Chili | Pérou décide | Annexe\n\nFin.\n')
    expect(warnings['unread_text']).toBeUndefined()
    expect(warnings['tables']!.message).toContain('2 tables became 1 paragraph')
  })
})

describe('a link whose target the file does not hold (w:hyperlink naming no relationship)', () => {
  it('comes in as the words it shows, and is said, where the whole file was refused as not a Word document', async () => {
    const link = (attributes: string) => `<w:hyperlink ${attributes}><w:r><w:t>la résolution 12</w:t></w:r></w:hyperlink>`
    for (const attributes of ['r:id="rId99"', 'r:id="rId99" w:anchor="annexe"']) {
      const { body, warnings } = await read(docx(p(r('Le Conseil rappelle ') + link(attributes) + r('.'))))
      expect(body).toBe('Le Conseil rappelle la résolution 12.\n')
      expect(warnings['links']).toMatchObject({ count: 1 })
    }
  })
})

describe('a tracked change of formatting', () => {
  const REVISION = 'w:author="Ana" w:date="2026-03-01T10:00:00Z"'
  const styles = style('paragraph', 'Heading1')

  it('is a pending change, so the import asks, and accepting or rejecting it gives the formatting either way', async () => {
    // "Le Conseil" set in bold and a paragraph made a heading, both under tracking; the text itself unchanged.
    const bytes = docx(
      p(r('Préambule.')) +
      p(r('Résolution sur le climat'), `<w:pStyle w:val="Heading1"/><w:pPrChange w:id="1" ${REVISION}><w:pPr/></w:pPrChange>`) +
        p(r('Le Conseil', `<w:b/><w:rPrChange w:id="2" ${REVISION}><w:rPr/></w:rPrChange>`) + r(' décide.')) +
        p(r('Il demande', `<w:rPrChange w:id="3" ${REVISION}><w:rPr><w:i/></w:rPr></w:rPrChange>`) + r(' sa mise en œuvre.')),
      { styles },
    )
    const undecided = await read(bytes)
    expect(undecided.undecided).toBe(3)
    expect(undecided.warnings['tracked_changes']!.message).toContain('by Ana')
    expect((await read(bytes, { trackedChanges: 'accept' })).body).toBe('Préambule.\n\n# Résolution sur le climat\n\n**Le Conseil** décide.\n\nIl demande sa mise en œuvre.\n')
    expect((await read(bytes, { trackedChanges: 'reject' })).body).toBe('Préambule.\n\nRésolution sur le climat\n\nLe Conseil décide.\n\n*Il demande* sa mise en œuvre.\n')
  })

  it('of a paragraph mark alone changes no text and is not asked about', async () => {
    const bytes = docx(p(r('Le Conseil décide.'), `<w:rPr><w:b/><w:rPrChange w:id="1" ${REVISION}><w:rPr/></w:rPrChange></w:rPr>`))
    expect((await read(bytes)).undecided).toBe(0)
  })
})

describe('breaks inside a paragraph', () => {
  it('part the words on either side, as a line break does: page and column breaks, carriage returns, position tabs', async () => {
    const run = (inner: string) => `<w:r>${inner}</w:r>`
    const { body } = await read(
      docx(
        p(r('Le Conseil décide') + run('<w:br w:type="page"/>') + r('et demande') + run('<w:cr/>') + r('la paix') + run('<w:br w:type="column"/>') + r('durable') + run('<w:ptab w:relativeTo="margin" w:alignment="right" w:leader="none"/>') + r('partout.')) +
          p(run('<w:br w:type="page"/>') + r('Second alinéa.')),
      ),
    )
    expect(body).toBe('Le Conseil décide et demande la paix durable partout.\n\nSecond alinéa.\n')
  })
})

describe('runs inside elements mammoth does not know', () => {
  it('keep their words: a simple field shows its result, a bidirectional embedding its text', async () => {
    const field = (instruction: string, result: string) => `<w:fldSimple w:instr="${instruction}">${result}</w:fldSimple>`
    const { body } = await read(
      docx(p(r('Le montant figure à la page ') + field(' PAGEREF _Ref1 \\h ', r('7')) + r(' du rapport ') + `<w:dir w:val="rtl">${r('قطر')}</w:dir>` + r(', ') + field(' DATE ', '') + `<w:bdo w:val="ltr">${field(' SEQ ', r('2026'))}</w:bdo>` + r('.'))),
    )
    expect(body).toBe('Le montant figure à la page 7 du rapport قطر, 2026.\n')
  })
})

describe('an alternative for newer readers (mc:AlternateContent) with a choice and no fallback', () => {
  const MC = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml"'
  const alternative = (choice: string, fallback?: string) =>
    `<mc:AlternateContent ${MC}><mc:Choice Requires="w14">${choice}</mc:Choice>${fallback === undefined ? '' : `<mc:Fallback>${fallback}</mc:Fallback>`}</mc:AlternateContent>`

  it('keeps the choice’s words, which Word shows: mammoth reads only a fallback, and they went missing unsaid', async () => {
    const { body, warnings } = await read(docx(p(r('Le Conseil ') + alternative(r('soutient')) + r(' la proposition.')) + alternative(p(r('Il demande sa mise en œuvre.')))))
    expect(body).toBe('Le Conseil soutient la proposition.\n\nIl demande sa mise en œuvre.\n')
    expect(warnings).toEqual({})
  })

  it('reads the fallback alone where there is one, its words once', async () => {
    const { body, warnings } = await read(docx(p(r('Le Conseil ') + alternative(r('soutient'), r('soutient')) + r(' la proposition.'))))
    expect(body).toBe('Le Conseil soutient la proposition.\n')
    expect(warnings).toEqual({})
  })

  it('says the words of a chosen text box (DrawingML, wps) that mammoth cannot read, where no fallback holds them', async () => {
    const WPS = 'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'
    const box = (text: string) =>
      `<w:r><mc:AlternateContent ${MC}><mc:Choice Requires="wps" ${WPS}><w:drawing><wp:anchor><wp:extent cx="914400" cy="914400"/><wp:docPr id="1" name="Zone de texte 1"/><a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">` +
      `<wps:wsp><wps:txbx><w:txbxContent>${p(r(text))}</w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice></mc:AlternateContent></w:r>`
    const { body, warnings } = await read(docx(p(r('Le Conseil décide.') + box('Encadré important'))))
    expect(body).toBe('Le Conseil décide.\n')
    expect(warnings['unread_text']?.message).toContain('"encadré", "important"')
  })

  it('keeps the words of a choice nested in another’s choice', async () => {
    const { body } = await read(docx(p(r('Le Conseil ') + alternative(alternative(r('soutient')) + r(' pleinement')) + r(' la proposition.'))))
    expect(body).toBe('Le Conseil soutient pleinement la proposition.\n')
  })
})

describe('list numbers', () => {
  const level = (ilvl: number, start: number, text: string, format = 'decimal', more = '') =>
    `<w:lvl w:ilvl="${ilvl}"><w:start w:val="${start}"/><w:numFmt w:val="${format}"/><w:lvlText w:val="${text}"/>${more}</w:lvl>`
  const abstract = (id: number, levels: string) => `<w:abstractNum w:abstractNumId="${id}">${levels}</w:abstractNum>`
  const list = (numId: number, abstractId: number, overrides = '') => `<w:num w:numId="${numId}"><w:abstractNumId w:val="${abstractId}"/>${overrides}</w:num>`
  const restartAt = (ilvl: number, start: number) => `<w:lvlOverride w:ilvl="${ilvl}"><w:startOverride w:val="${start}"/></w:lvlOverride>`
  const item = (text: string, numId: number, ilvl = 0) => p(r(text), `<w:numPr><w:ilvl w:val="${ilvl}"/><w:numId w:val="${numId}"/></w:numPr>`)

  it('are the numbers Word prints: a list continued after a paragraph, one starting at 5, one restarted by an override', async () => {
    const numbering = abstract(0, level(0, 1, '%1.')) + abstract(1, level(0, 5, '%1.')) + list(1, 0) + list(2, 1) + list(3, 0, restartAt(0, 1))
    const { body, warnings } = await read(
      docx(p(r('Le Conseil :')) + item('demande ;', 1) + item('exige ;', 1) + p(r('Par ailleurs, il :')) + item('invite ;', 1) + item('recommande.', 3) + p(r('Mesures :')) + item('cinq', 2) + item('six', 2), { numbering }),
    )
    expect(body).toBe('Le Conseil :\n\n1. demande ;\n2. exige ;\n\nPar ailleurs, il :\n\n3. invite ;\n\n\n1) recommande.\n\nMesures :\n\n5. cinq\n6. six\n')
    expect(warnings).toEqual({})
  })

  it('keep their nesting, a nested list counting again under each item', async () => {
    const numbering = abstract(0, level(0, 1, '%1.') + level(1, 1, '%2.')) + list(1, 0)
    const { body } = await read(docx(item('un', 1) + item('un-un', 1, 1) + item('un-deux', 1, 1) + item('deux', 1) + item('deux-un', 1, 1), { numbering }))
    expect(body).toBe('1. un\n   1. un-un\n   2. un-deux\n2. deux\n   1. deux-un\n')
  })

  it('that the text cannot print as Word does are said: letters, numbers of two levels, a heading numbered "Article 1 –"', async () => {
    const styles = style('paragraph', 'Heading1', '', '<w:pPr><w:numPr><w:numId w:val="3"/></w:numPr></w:pPr>').replace('w:val="Heading1"/>', 'w:val="heading 1"/>')
    const numbering =
      abstract(0, level(0, 1, '%1)', 'lowerLetter')) + abstract(1, level(0, 1, '%1.') + level(1, 1, '%1.%2.')) + abstract(2, level(0, 1, 'Article %1 –', 'decimal', '<w:pStyle w:val="Heading1"/>')) + list(1, 0) + list(2, 1) + list(3, 2)
    const { body, warnings } = await read(
      docx(p(r('Le Conseil :')) + p(r('Considérations'), '<w:pStyle w:val="Heading1"/>') + item('premier', 1) + item('second', 1) + item('titre', 2) + item('sous-titre', 2, 1), { styles, numbering }),
    )
    // Word prints "a) premier", "b) second", "1. titre", "1.1. sous-titre": mammoth ran the lists together, the text parts them again.
    expect(body).toBe('Le Conseil :\n\n# Considérations\n\n1. premier\n2. second\n\n\n1) titre\n   1. sous-titre\n')
    expect(warnings['list_numbers']).toMatchObject({ count: 4 })
    expect(warnings['list_numbers']!.message).toContain('"Article 1 –", "a)", "b)", "1.1."')
  })
})

describe('struck-through words', () => {
  it('are said whether struck on the run or by a character or paragraph style, once a passage, and not when the run undoes its style', async () => {
    const styles = style('character', 'Barre', '<w:strike/>') + style('character', 'BarreAussi', '', '<w:basedOn w:val="Barre"/>') + style('paragraph', 'Rature', '<w:dstrike/>')
    const { warnings } = await read(
      docx(
        p(r('Le Conseil ') + r('rejette', '<w:rStyle w:val="Barre"/>') + r(' ', '<w:strike/>') + r('refuse', '<w:strike/>') + r(' adopte la proposition.')) +
          p(r('Il ') + r('ne', '<w:rStyle w:val="BarreAussi"/>') + r(' demande.') + r(' rien', '<w:rStyle w:val="Barre"/><w:strike w:val="0"/>')) +
          p(r('Paragraphe raturé.'), '<w:pStyle w:val="Rature"/>') +
          p(r('Fin.'), '<w:rPr><w:strike/></w:rPr>'),
        { styles },
      ),
    )
    expect(warnings['strikethrough']).toMatchObject({ count: 3 })
  })
})

describe('words set in all caps', () => {
  it('come in in the capitals Word prints, set on the run or by a style, accents and all', async () => {
    const styles = style('character', 'Majuscules', '<w:caps/>')
    const { body, warnings } = await read(
      docx(p(r('Le Conseil ') + r('condamne', '<w:caps/>') + r(' ces actes et ') + r('réaffirme l’égalité &amp; la sûreté', '<w:rStyle w:val="Majuscules"/>') + r(' de tous', '<w:rStyle w:val="Majuscules"/><w:caps w:val="0"/>') + r('.')), { styles }),
    )
    expect(body).toBe('Le Conseil CONDAMNE ces actes et RÉAFFIRME L’ÉGALITÉ & LA SÛRETÉ de tous.\n')
    expect(warnings).toEqual({})
  })
})

describe('superscripts and subscripts', () => {
  const sup = '<w:vertAlign w:val="superscript"/>'
  const sub = '<w:vertAlign w:val="subscript"/>'

  it('come in as superscript and subscript characters when they are digits, and as on the line when they end an ordinal', async () => {
    const styles = style('character', 'Exposant', sup)
    const { body, warnings } = await read(
      docx(
        p(r('Un fonds de 10') + r('6', sup) + r(' euros, soit 3 m') + r('3', '<w:rStyle w:val="Exposant"/>') + r(' de CO') + r('2', sub) + r(' en moins.')) +
          p(r('Dès le 1') + r('er', sup) + r(' janvier, au XXI') + r('e', sup) + r(' siècle, le 2') + r('nd', sup) + r(' rapport.')),
        { styles },
      ),
    )
    expect(body).toBe('Un fonds de 10⁶ euros, soit 3 m³ de CO₂ en moins.\n\nDès le 1er janvier, au XXIe siècle, le 2nd rapport.\n')
    expect(warnings).toEqual({})
  })

  it('are set on the line and said otherwise, with the word they follow', async () => {
    const { body, warnings } = await read(docx(p(r('L’article 5') + r('bis', sup) + r(' vise x') + r('i', sub) + r('.'))))
    expect(body).toBe('L’article 5bis vise xi.\n')
    expect(warnings['superscripts']).toMatchObject({ count: 2 })
    expect(warnings['superscripts']!.message).toContain('"5^bis", "x_i"')
  })
})

describe('a file too large to be a resolution', () => {
  it('is refused from its count of paragraphs before it is read: 60,000 paragraphs held the event loop for seconds before the shape check refused them', async () => {
    const bytes = docx(Array.from({ length: 60_000 }, (_, i) => p(r(`Paragraphe ${i}.`))).join(''))
    // The process's CPU time, not the clock: on a loaded machine (other test files on both cores) the clock counts their turns too.
    const start = process.cpuUsage()
    await expect(parseDocx(bytes, 'long.docx')).rejects.toMatchObject({ status: 422, code: 'unsupported_shape' })
    const spent = process.cpuUsage(start)
    expect((spent.user + spent.system) / 1000).toBeLessThan(1_000)
  })
})

describe('equations', () => {
  const MATH = 'xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math"'
  const equation = (...texts: string[]) => `<m:oMath ${MATH}>${texts.map((text) => `<m:r><m:t>${text}</m:t></m:r>`).join('')}</m:oMath>`

  it('are said when they are left out, in a sentence or alone, each quoted with its symbols', async () => {
    const { body, warnings } = await read(
      docx(p(r('La hausse est limitée à ') + equation('1,5', '&lt;', 'T') + r(' degrés.')) + p(`<m:oMathPara ${MATH}>${equation('E=m', 'c²')}</m:oMathPara>`) + p(r('Fin.'))),
    )
    // mammoth reads no equation: what it leaves is said, never silently shorter.
    expect(body).toBe('La hausse est limitée à degrés.\n\nFin.\n')
    expect(warnings['equations']).toMatchObject({ count: 2 })
    expect(warnings['equations']!.message).toContain('"1,5<T", "E=mc²"')
  })

  it('are not mentioned when there are none', async () => {
    expect((await read(docx(p(r('Le Conseil décide.'))))).warnings['equations']).toBeUndefined()
  })
})

describe('ruby (a reading printed above words)', () => {
  const ruby = (base: string, reading: string) =>
    `<w:r><w:ruby><w:rubyPr><w:rubyAlign w:val="center"/></w:rubyPr><w:rt><w:r><w:t>${reading}</w:t></w:r></w:rt><w:rubyBase><w:r><w:t>${base}</w:t></w:r></w:rubyBase></w:ruby></w:r>`

  it('keeps the words on the line, and says which readings above them were left out', async () => {
    // mammoth reads neither part: "le parti 自民党 (jimintō)" came in as "le parti ".
    const { body, warnings } = await read(docx(p(r('Le parti ') + ruby('自民', 'じみん') + ruby('党', 'とう') + r(' et le ') + ruby('国会', 'こっかい') + r(' du Japon.'))))
    expect(body).toBe('Le parti 自民党 et le 国会 du Japon.\n')
    expect(warnings['ruby']).toMatchObject({ count: 3 })
    expect(warnings['ruby']!.message).toContain('"じみん" above "自民", "とう" above "党", "こっかい" above "国会"')
  })

  it('keeps what shares the ruby’s run, before and after it, with the run’s formatting', async () => {
    const shared = `<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">avant </w:t><w:ruby><w:rt><w:r><w:t>yomi</w:t></w:r></w:rt><w:rubyBase><w:r><w:rPr><w:b/></w:rPr><w:t>読</w:t></w:r></w:rubyBase></w:ruby><w:t xml:space="preserve"> après</w:t></w:r>`
    expect((await read(docx(p(r('Le mot ') + shared + r('.'))))).body).toBe('Le mot **avant 読 après**.\n')
  })

  it('is not mentioned when there is none', async () => {
    expect((await read(docx(p(r('Le Conseil décide.'))))).warnings['ruby']).toBeUndefined()
  })
})

describe('words of the file that do not come in', () => {
  it('are said, quoted, when mammoth leaves out what it does not know: an element of a later Word around words', async () => {
    const later = (text: string) => `<w:laterElement>${r(text)}</w:laterElement>`
    const { body, warnings } = await read(docx(p(r('Le Conseil ') + later('ne') + r(' soutient ') + later('plus') + r(' la proposition.'))))
    expect(body).toBe('Le Conseil soutient la proposition.\n')
    expect(warnings['unread_text']).toMatchObject({ count: 2 })
    expect(warnings['unread_text']!.message).toContain('"ne", "plus"')
  })

  it('are said when a second paragraph in Hemicycle’s stamp style is set aside for the stamp, which keeps only the first', async () => {
    const styles = style('paragraph', 'Hemicycle Stamp')
    const stamp = (text: string) => p(r(text), '<w:pStyle w:val="Hemicycle Stamp"/>')
    const { warnings } = await read(docx(stamp('PROJET 03 juillet 2019') + p(r('Le Conseil décide.')) + stamp('Amendement oral du Ghana'), { styles }))
    expect(warnings['unread_text']!.message).toContain('"amendement", "oral", "du", "ghana"')
  })

  it('are not counted where Word shows no word: deleted text, field codes, numbers Word prints, Hemicycle’s own § numbers', async () => {
    const REVISION = 'w:id="1" w:author="Erik" w:date="2026-03-01T10:00:00Z"'
    const field = `<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>${r('7')}<w:r><w:fldChar w:fldCharType="end"/></w:r>`
    const deleted = `<w:del ${REVISION}><w:r><w:delText>jamais</w:delText></w:r></w:del>`
    const { warnings } = await read(docx(p(r('Page ') + field + r(' : le Conseil ') + deleted + r('décide.'))), { trackedChanges: 'accept' })
    expect(warnings['unread_text']).toBeUndefined()
  })
})

describe('the unread-words check on files people write: no false alarm, and the misses it still has', () => {
  // KNOWN GAPS: none open. The four a review in session 18 pinned with \`it.fails\` (a field nested in another's code, another
  // prefix for Word's namespace, a legacy drop-down's entry, a drop cap: each a word missing, or one Word does not show coming
  // in, with no warning) were mended in session 19 and are plain tests below. Pin the next one found the same way.
  // Unsure, not pinned: a deleted paragraph mark accepted before a table, or the last paragraph of a content control joined
  // to one outside it, reads "parEntrée" and unread_text names "par", "entrée". The warning is there; whether Word joins
  // the two (and so which text is right) was not checked against Word.
  const REVISION = 'w:id="1" w:author="Erik" w:date="2026-03-01T10:00:00Z"'

  it('raises no false alarm when a pending move is accepted and its origin holds w:t, as Word and the spec write it', async () => {
    // mammoth skips w:moveFrom (accepting the move) but shownText counts its w:t: "phrase", "déplacée" were said missing.
    const moved = (kind: 'moveFrom' | 'moveTo') => `<w:p><w:${kind} ${REVISION}><w:r><w:t>Phrase déplacée.</w:t></w:r></w:${kind}></w:p>`
    const { body, warnings } = await read(docx(p(r('Avant.')) + moved('moveFrom') + p(r('Milieu.')) + moved('moveTo')), { trackedChanges: 'accept' })
    expect(body).toBe('Avant.\n\nMilieu.\n\nPhrase déplacée.\n')
    expect(warnings['unread_text']).toBeUndefined()
  })

  it('raises no false alarm for a checked box content control whose glyph is a letter (Wingdings þ)', async () => {
    // mammoth turns the control's first character into a checkbox; "þ" is a letter, so the count said it missing.
    const box =
      '<w:sdt><w:sdtPr><w14:checkbox xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml"><w14:checked w14:val="1"/><w14:checkedState w14:val="00FE" w14:font="Wingdings"/><w14:uncheckedState w14:val="00A8" w14:font="Wingdings"/></w14:checkbox></w:sdtPr>' +
      '<w:sdtContent><w:r><w:rPr><w:rFonts w:ascii="Wingdings" w:hAnsi="Wingdings"/></w:rPr><w:t>þ</w:t></w:r></w:sdtContent></w:sdt>'
    const { warnings } = await read(docx(p(box + r(' Le Conseil approuve le rapport.'))))
    expect(warnings['unread_text']).toBeUndefined()
  })

  it('still counts the words of a content control that holds a check box, only the box’s glyph not', async () => {
    // The whole control was left out of the count when a check box sat anywhere in it: "perdu" went missing unsaid.
    const box = '<w:sdt><w:sdtPr><w14:checkbox xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml"><w14:checked w14:val="1"/></w14:checkbox></w:sdtPr><w:sdtContent><w:r><w:t>þ</w:t></w:r></w:sdtContent></w:sdt>'
    const control = `<w:sdt><w:sdtPr><w:alias w:val="Décision"/></w:sdtPr><w:sdtContent>${p(box + r(' Le Conseil approuve ') + `<w:laterElement>${r('Perdu')}</w:laterElement>`)}</w:sdtContent></w:sdt>`
    const { warnings } = await read(docx(control))
    expect(warnings['unread_text']?.message).toContain('"perdu"')
    expect(warnings['unread_text']).toMatchObject({ count: 1 })
  })

  it('raises no false alarm when accepting a deleted paragraph mark joins two words, as Word joins them', async () => {
    // Accepted, Word shows "parEntrée"; mammoth gives the same, but shownText parts the paragraphs: "par", "entrée" said missing.
    const joined = `<w:p><w:pPr><w:rPr><w:del ${REVISION}/></w:rPr></w:pPr>${r('Phrase coupée par')}</w:p>` + p(r('Entrée ici.'))
    expect((await read(docx(joined), { trackedChanges: 'accept' })).warnings['unread_text']).toBeUndefined()
    const split = `<w:p><w:pPr><w:rPr><w:ins ${REVISION}/></w:rPr></w:pPr>${r('Phrase coupée par')}</w:p>` + p(r('Entrée ici.'))
    expect((await read(docx(split), { trackedChanges: 'reject' })).warnings['unread_text']).toBeUndefined()
  })

  it('raises no false alarm when accepting a deleted paragraph mark joins two words across a bookmark or a content control’s opening', async () => {
    // mammoth joins the paragraph to the next it reads, whatever stands between; the check joined them only across
    // whitespace, so "par", "entrée" were said missing.
    const mark = `<w:p><w:pPr><w:rPr><w:del ${REVISION}/></w:rPr></w:pPr>${r('Phrase coupée par')}</w:p>`
    for (const between of ['<w:bookmarkStart w:id="0" w:name="_Ref1"/><w:bookmarkEnd w:id="0"/>', '<w:sdt><w:sdtPr><w:alias w:val="Décision"/></w:sdtPr><w:sdtContent>']) {
      const next = p(r('Entrée ici.'))
      const { body, warnings } = await read(docx(mark + between + next + (between.startsWith('<w:sdt>') ? '</w:sdtContent></w:sdt>' : '')), { trackedChanges: 'accept' })
      expect(body).toBe('Phrase coupée parEntrée ici.\n')
      expect(warnings['unread_text']).toBeUndefined()
    }
  })

  it('says the words of a Fontwork / legacy WordArt shape (VML v:textpath, as LibreOffice writes it), which do not come in', async () => {
    // Only "1 image was left out" was said: "Solidarité Mondiale" went missing without a word named.
    const fontwork =
      '<w:r><w:pict><v:shape xmlns:v="urn:schemas-microsoft-com:vml" id="shape_0" type="_x0000_t136" style="position:absolute;width:120pt;height:14pt"><v:path textpathok="t"/>' +
      '<v:textpath on="t" fitshape="t" string="Solidarité Mondiale" style="font-family:&quot;DejaVu Serif&quot;;font-size:12pt"/></v:shape></w:pict></w:r>'
    const { body, warnings } = await read(docx(p(r('Avant le titre.')) + p(fontwork + r('Après.'))))
    expect(body).toBe('Avant le titre.\n\nAprès.\n')
    expect(warnings['unread_text']?.message ?? warnings['images']?.message).toContain('"solidarité", "mondiale"')
  })

  it('leaves out a hidden run inside a ruby base, as Word does, or says it', async () => {
    // withoutHiddenText looks at the ruby's run, not the runs of its base: "caché" came in silently.
    const ruby = '<w:r><w:ruby><w:rt><w:r><w:t>よみ</w:t></w:r></w:rt><w:rubyBase><w:r><w:t>読</w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t>caché</w:t></w:r><w:r><w:t>み</w:t></w:r></w:rubyBase></w:ruby></w:r>'
    const { body, warnings } = await read(docx(p(r('Le ') + ruby + r(' fin.'))))
    if (body.includes('caché')) expect(warnings['hidden_text']).toBeDefined()
    else expect(body).toBe('Le 読み fin.\n')
  })

  it('does not take the result of a field nested in another field’s code as words Word shows (IF { MERGEFIELD } …)', async () => {
    // Word shows the IF's result "oui"; the import gave "Le Ghanaoui final." with no warning.
    const f = (type: string) => `<w:r><w:fldChar w:fldCharType="${type}"/></w:r>`
    const code = (text: string) => `<w:r><w:instrText xml:space="preserve">${text}</w:instrText></w:r>`
    const nested = f('begin') + code(' IF ') + f('begin') + code(' MERGEFIELD pays ') + f('separate') + r('Ghana') + f('end') + code(' = "Ghana" "oui" "non" ') + f('separate') + r('oui') + f('end')
    expect(await read(docx(p(r('Le ') + nested + r(' final.'))))).toMatchObject({ body: 'Le oui final.\n', warnings: {} })
    // In a field's result, a nested field's result is what Word shows: "Le Ghana final." (REF's result holding a MERGEFIELD).
    const inResult = f('begin') + code(' REF pays ') + f('separate') + f('begin') + code(' MERGEFIELD pays ') + f('separate') + r('Ghana') + f('end') + f('end')
    expect(await read(docx(p(r('Le ') + inResult + r(' final.'))))).toMatchObject({ body: 'Le Ghana final.\n', warnings: {} })
  })
  it('drops no word after a field that never ends (a begin without its end, as a damaged file has): the words read as before', async () => {
    const f = (type: string) => `<w:r><w:fldChar w:fldCharType="${type}"/></w:r>`
    const unended = f('begin') + '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
    const { body, warnings } = await read(docx(p(r('Le ') + unended + r('Conseil décide.')) + p(r('Fin.'))))
    expect({ body, warnings }).toEqual({ body: 'Le Conseil décide.\n\nFin.\n', warnings: {} })
  })
  it('reads, or says it cannot, a paragraph written with another prefix for Word’s namespace (x:p, as valid XML allows)', async () => {
    // Every check matches the literal prefix "w:": mammoth reads the namespace, so the hidden "ne" came in with no hidden_text
    // warning, and the words inside an element mammoth does not know ("Perdu") went missing with no unread_text either.
    const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main'
    const body = `<x:p xmlns:x="${W}"><x:r><x:t xml:space="preserve">Le Conseil </x:t></x:r><x:r><x:rPr><x:vanish/></x:rPr><x:t xml:space="preserve">ne </x:t></x:r><x:r><x:t>décide.</x:t></x:r></x:p>` +
      `<x:p xmlns:x="${W}"><x:laterElement><x:r><x:t>Perdu</x:t></x:r></x:laterElement></x:p>`
    const { body: text, warnings } = await read(docx(body))
    expect(text).toBe('Le Conseil décide.\n')
    expect(warnings['hidden_text']?.message).toContain('"ne"')
    expect(warnings['unread_text']?.message ?? 'no warning').toContain('"perdu"')
  })

  it('says the words of a w:t written as CDATA, which mammoth drops and the count does not see', async () => {
    // "Texte adopté" came in as nothing, without a warning: SHOWN reads w:t's text as [^<]*.
    const { body, warnings } = await read(docx(p('<w:r><w:t><![CDATA[Texte adopté]]></w:t></w:r>' + r(' fin.'))))
    if (!body.includes('adopté')) expect(warnings['unread_text']?.message ?? 'no warning').toContain('"texte", "adopté"')
  })
  it('keeps, or says, the entry a legacy drop-down form field shows, which Word stores only in w:ffData (no result run)', async () => {
    // Word writes FORMDROPDOWN as begin(ffData)/instr/separate/end; it shows listEntry[result]. Neither mammoth nor the count
    // sees a w:t: "Statut : Approuvé" came in as "Statut :" with no warning.
    const dropdown =
      '<w:r><w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val="Statut"/><w:enabled/><w:ddList><w:result w:val="1"/><w:listEntry w:val="En attente"/><w:listEntry w:val="Approuvé"/></w:ddList></w:ffData></w:fldChar></w:r>' +
      '<w:r><w:instrText xml:space="preserve"> FORMDROPDOWN </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>'
    expect(await read(docx(p(r('Statut : ') + dropdown + r(' par le Bureau.'))))).toMatchObject({ body: 'Statut : Approuvé par le Bureau.\n', warnings: {} })
    // As Word writes one never changed: no separate character, no w:result, the default entry shown.
    const untouched =
      '<w:r><w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val="Statut"/><w:ddList><w:default w:val="1"/><w:listEntry w:val="En attente"/><w:listEntry w:val="Rejeté"/></w:ddList></w:ffData></w:fldChar></w:r>' +
      '<w:r><w:instrText xml:space="preserve"> FORMDROPDOWN </w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>'
    expect(await read(docx(p(r('Statut : ') + untouched)))).toMatchObject({ body: 'Statut : Rejeté\n', warnings: {} })
    // As the spec's example writes one: a simple field, its entry chosen by w:result over w:default.
    const simple = '<w:fldSimple w:instr="FORMDROPDOWN"><w:ffData><w:ddList><w:default w:val="1"/><w:result w:val="2"/><w:listEntry w:val="One"/><w:listEntry w:val="Two"/><w:listEntry w:val="Three"/></w:ddList></w:ffData></w:fldSimple>'
    expect(await read(docx(p(r('Choice: ') + simple)))).toMatchObject({ body: 'Choice: Three\n', warnings: {} })
  })

  it('keeps a word whose first letter Word sets as a drop cap (a w:framePr dropCap paragraph of its own) whole', async () => {
    // Word stores "Le" as "L" in a framed paragraph and "e Conseil…" in the next; the import made two paragraphs, "L" and
    // "e Conseil décide.", and the count, parting paragraphs the same way, said nothing.
    const dropCap = p(r('L'), '<w:framePr w:dropCap="drop" w:lines="3" w:wrap="around" w:vAnchor="text" w:hAnchor="text"/>')
    const { body, warnings } = await read(docx(dropCap + p(r('e Conseil décide de proroger le mandat.'))))
    expect({ body, warnings }).toEqual({ body: 'Le Conseil décide de proroger le mandat.\n', warnings: {} })
  })
})

describe('a drop cap', () => {
  it('is read from the paragraph’s current properties, not the former ones a tracked formatting change keeps', async () => {
    // A paragraph whose drop cap was removed with changes tracked keeps it in w:pPrChange: accepting the change, the import
    // still took it for a drop cap and ran its word into the next paragraph ("AttenduDécide de proroger le mandat."), unsaid.
    const former = '<w:pPrChange w:id="5" w:author="A" w:date="2026-01-01T00:00:00Z"><w:pPr><w:framePr w:dropCap="drop" w:lines="3"/></w:pPr></w:pPrChange>'
    const { body } = await read(docx(p(r('Attendu'), former) + p(r('Décide de proroger le mandat.'))), { trackedChanges: 'accept' })
    expect(body).toBe('Attendu\n\nDécide de proroger le mandat.\n')
  })

  it('keeps the word whole when the paragraph it drops into opens a content control (w:sdt), as LibreOffice prints it', async () => {
    // LibreOffice prints "Le Conseil décide…"; the import made two paragraphs, "L" and "e Conseil décide…", with no warning:
    // only bookmarks may stand between a drop cap and its paragraph, and a block content control's opening is not one.
    const dropCap = p(r('L'), '<w:framePr w:dropCap="drop" w:lines="3" w:wrap="around" w:vAnchor="text" w:hAnchor="text"/>')
    const control = (inner: string) => `<w:sdt><w:sdtPr><w:alias w:val="Dispositif"/><w:id w:val="1"/></w:sdtPr><w:sdtEndPr/><w:sdtContent>${inner}</w:sdtContent></w:sdt>`
    const { body, warnings } = await read(docx(dropCap + control(p(r('e Conseil décide de proroger le mandat.')))))
    expect({ body, warnings }).toEqual({ body: 'Le Conseil décide de proroger le mandat.\n', warnings: {} })
  })
})

describe('Word’s namespace written with character references', () => {
  it('is read as the namespace it is: hidden words left out and said, as with the plain name', async () => {
    // XML reads xmlns:w="http:&#47;&#47;schemas…" as Word's namespace, and so does mammoth; the prefix rewrite compared the
    // value undecoded, took "w" for another namespace and renamed it, and every check reading "w:" was blind: the hidden
    // "ne" came in ("Le Conseil ne décide."), with no hidden_text warning, where the same file plainly written was read right.
    const referenced = 'http:&#47;&#47;schemas.openxmlformats.org&#47;wordprocessingml&#47;2006&#47;main'
    const file = docx(p(r('Le Conseil ') + r('ne ', '<w:vanish/>') + r('décide.')))
    const parts = unzipSync(file)
    parts['word/document.xml'] = strToU8(strFromU8(parts['word/document.xml']!).replace('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"', `xmlns:w="${referenced}"`))
    const { body, warnings } = await read(zipSync(parts))
    expect(body).toBe('Le Conseil décide.\n')
    expect(warnings['hidden_text']?.message).toContain('"ne"')
  })
})

describe('a hostile file', () => {
  it('of links nested thousands deep, naming relationships it lacks, is read in one pass, not refused on a stack overflow', async () => {
    // Each unknown link was unwrapped by unwrapping its content again: 4,000 nested (60 KB) overflowed the stack, outside
    // the reading that turns mammoth's errors into a refusal, so the import failed with "Maximum call stack size exceeded".
    const levels = 5000
    const { body, warnings } = await read(docx(p('<w:hyperlink r:id="rMissing">'.repeat(levels) + r('Le Conseil décide.') + '</w:hyperlink>'.repeat(levels))))
    expect(body).toBe('Le Conseil décide.\n')
    expect(warnings['links']).toMatchObject({ count: levels })
  })

  it('of simple fields and text-direction containers nested thousands deep is read in one pass, not refused on a stack overflow', async () => {
    // Each container was unwrapped by unwrapping its content again, a call per level: 5,000 nested overflowed the stack
    // and the import failed with "Maximum call stack size exceeded".
    const levels = 5000
    const nested = (open: string, close: string) => open.repeat(levels) + r('Le Conseil décide.') + close.repeat(levels)
    for (const [open, close] of [
      ['<w:fldSimple w:instr=" SEQ ">', '</w:fldSimple>'],
      ['<w:dir w:val="rtl"><w:bdo w:val="ltr">', '</w:bdo></w:dir>'],
      // Each a drop-down's data too, which was searched for again at every level.
      ['<w:fldSimple w:instr=" FORMDROPDOWN "><w:ffData><w:ddList><w:listEntry w:val="choix"/></w:ddList></w:ffData>', '</w:fldSimple>'],
    ]) {
      const { body } = await read(docx(p(nested(open!, close!))))
      expect(body).toBe('Le Conseil décide.\n')
    }
  })

  it('made of field characters that never close is refused in about the time its size takes to read, not minutes', async () => {
    // Reading fields as Word shows them searched, from each unclosed <w:fldChar …>, to the end of document.xml for its
    // closing tag: 30,000 of them (1 MB, a few KB zipped) held the import thread for seconds, 70,000 past its time limit.
    const bytes = docx(p(`<w:r>${'<w:fldChar w:fldCharType="begin">'.repeat(30_000)}</w:r>`))
    const started = performance.now()
    await expect(parseDocx(bytes, 'draft.docx')).rejects.toMatchObject({ code: 'invalid_docx' })
    expect(performance.now() - started).toBeLessThan(2000)
  })
})

/** Hemicycle's number style, as its DOCX defines it, and a run in it: a § or line number and the tab after it. */
const numberStyle = '<w:style w:type="character" w:styleId="HemicycleNumber"><w:name w:val="Hemicycle Number"/></w:style>'
const number = (text: string) => `<w:r><w:rPr><w:rStyle w:val="HemicycleNumber"/></w:rPr><w:t xml:space="preserve">${text}</w:t><w:t xml:space="preserve">\t</w:t></w:r>`

describe('an empty paragraph Hemicycle numbered', () => {
  const REVISION = 'w:author="Erik" w:date="2026-03-01T10:00:00Z"'
  const read2 = async (body: string, options: Parameters<typeof parseDocx>[2] = {}) => {
    const { body: text } = await read(docx(body, { styles: numberStyle }), options)
    expect(text).not.toContain('\uFDD3')
    return text
  }

  it('comes back empty, where its number alone stood', async () => {
    expect(await read2(p(number('§1') + r('Premier.')) + p(number('§2')) + p(number('§3') + r('Troisième.')))).toBe('Premier.\n\n<!---->\n\nTroisième.\n')
  })

  it('is joined to the next as Word joins it when its mark’s deletion is accepted, its mark never text', async () => {
    const deletedMark = `<w:rPr><w:del w:id="1" ${REVISION}/></w:rPr>`
    const deletedNumber = `<w:del w:id="2" ${REVISION}><w:r><w:rPr><w:rStyle w:val="HemicycleNumber"/></w:rPr><w:delText xml:space="preserve">§2</w:delText></w:r></w:del>`
    expect(await read2(p(number('§1') + r('Premier.')) + p(deletedNumber, deletedMark) + p(number('§3') + r('Troisième.')), { trackedChanges: 'accept' })).toBe('Premier.\n\nTroisième.\n')
    expect(await read2(p(number('§1') + r('Premier.')) + p(number('§2'), deletedMark) + p(number('§3')), { trackedChanges: 'accept' })).toBe('Premier.\n\n<!---->\n')
  })

  it('is kept when its words’ deletion is accepted, and is not empty when it prints a symbol', async () => {
    const deletedWords = `<w:del w:id="3" ${REVISION}><w:r><w:delText xml:space="preserve">Mots retirés.</w:delText></w:r></w:del>`
    expect(await read2(p(number('§1') + deletedWords) + p(number('§2') + r('Deuxième.')), { trackedChanges: 'accept' })).toBe('<!---->\n\nDeuxième.\n')
    const symbol = '<w:r><w:sym w:font="Symbol" w:char="F0AE"/></w:r>'
    expect(await read2(p(number('§1') + symbol) + p(number('§2') + r('Deuxième.')))).not.toMatch(/^<!---->/)
  })

  it('leaves no mark in a table’s row, a heading or beside other words', async () => {
    const row = (...cells: string[]) => `<w:tr>${cells.map((cell) => `<w:tc>${cell}</w:tc>`).join('')}</w:tr>`
    // An empty cell, as any empty cell reads.
    expect(await read2(`<w:tbl>${row(p(number('§1')), p(r('Texte.')))}</w:tbl>`)).toBe('| Texte.\n')
    expect(await read2(p(number('§1'), '<w:pStyle w:val="Heading1"/>') + p(number('§2') + r('Deuxième.')))).toBe('Deuxième.\n')
    expect(await read2(p(number('§1') + r('\uFDD3 Avec une marque à lui.')))).toBe('Avec une marque à lui.\n')
  })
})

describe('the line-numbered print', () => {

  it('is refused as a draft by its lines, each opening with its number and its §', async () => {
    await expect(parseDocx(docx(p(number('1') + number('§1') + r('Premier.')) + p(number('2') + number('') + r('Suite.')), { styles: numberStyle }), 'lined.docx')).rejects.toMatchObject({ code: 'not_a_draft' })
  })

  it('is not a draft whose § number an edit split in two ("§" and "12")', async () => {
    const split = `<w:r><w:rPr><w:rStyle w:val="HemicycleNumber"/></w:rPr><w:t>§</w:t></w:r><w:r><w:rPr><w:rStyle w:val="HemicycleNumber"/></w:rPr><w:t>12</w:t><w:t xml:space="preserve">\t</w:t></w:r>`
    expect((await read(docx(p(split + r('Douzième.')), { styles: numberStyle }))).body).toBe('Douzième.\n')
  })
})
