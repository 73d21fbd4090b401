import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { strFromU8, unzipSync } from 'fflate'
import { it } from 'vitest'
import type { Node as PMNode } from '@tiptap/pm/model'
import { schema, serializeMarkdownBody } from '@hemicycle/schema'
import { buildDocumentModel } from '@hemicycle/documents'
import { renderPdf } from '../src/documents/pdf.ts'
import { renderDocx } from '../src/documents/docx.ts'
import { renderHtml } from '../src/documents/html.ts'

const text = (value: string, ...marks: string[]) => schema.text(value, marks.map((mark) => schema.marks[mark]!.create()))
const p = (...content: PMNode[]) => schema.node('paragraph', null, content)

const CASES: Record<string, string> = {
  lsep: 'alpha\u2028beta',
  psep: 'alpha\u2029beta',
  nel: 'alpha\u0085beta',
  c1: 'alpha\u0090beta\u009bgamma',
  shy: 'co\u00adoperation',
  zwsp: 'zero\u200bwidth',
  wj: 'word\u2060joiner',
  bom: 'byte\ufefforder',
  zwj: 'zw\u200djoin',
  vs: 'var\ufe0fsel',
  pua: 'private\ue000use',
  fffd: 'repl\ufffdchar',
  tag: 'tag\u{e0041}char',
  mongol: 'mongol\u180esep',
  hangulfiller: 'hangul\u3164filler',
  brailleblank: 'braille\u2800blank',
  combspace: 'comb \u0301ining',
  combstart: '\u0301start',
  ideosp: 'ideo\u3000space',
  ogham: 'ogham\u1680space',
  ellipsis: 'tab\there',
  invisibletimes: 'invis\u2062times',
  fnapp: 'func\u2061app',
  interlinear: 'inter\ufff9linear\ufffaanchor\ufffbend',
  objrepl: 'obj\ufffcrepl',
  unassigned: 'unassigned\u0378x',
  noncharfdd0: 'nonchar\ufdd0x',
  noncharfdd3: 'nonchar\ufdd3x',
  deletechar: 'del\u0080x',
  khmer: 'khmer\u17b4vowel',
  alm: 'arabic\u061cmark',
  lrm: 'lrm\u200emark',
  rlo: 'rlo\u202eABC\u202cend',
  fraction: 'frac\u2044tion',
  hyphenminus: 'soft\u00ad',
  narrow: '10\u202f000',
  figure: '10\u2007000',
  nbsp: '10\u00a0000',
  fullwidth: 'ｆｕｌｌ',
  mathbold: '𝐛𝐨𝐥𝐝',
  superscripts: 'x²',
  ligature: 'ﬁnance',
  greekq: 'a;b',
  combgrapheme: 'e\u0301',
  zwnj: 'zw\u200cnj',
}

it('exports', async () => {
  const names = Object.keys(CASES)
  const body = schema.node('doc', null, names.map((name) => p(text(`Q${name}Q ${CASES[name]} END`))))
  const model = buildDocumentModel(body, { title: 'T', language: 'en', organisation: 'Org', event: 'Ev', stamp: { label: 'DRAFT', date: null } })
  const dir = mkdtempSync(join(tmpdir(), 'attack-'))
  writeFileSync(join(dir, 'a.pdf'), await renderPdf(model, { lineNumbers: false }))
  const pdftext = execFileSync('pdftotext', ['-enc', 'UTF-8', join(dir, 'a.pdf'), '-'], { encoding: 'utf8' })
  const docx = await renderDocx(model, { lineNumbers: false, frontMatter: {} as never })
  writeFileSync(join(dir, 'a.docx'), docx)
  const xml = strFromU8(unzipSync(new Uint8Array(docx))['word/document.xml']!)
  const html = renderHtml(model, { lineNumbers: false })
  const md = serializeMarkdownBody(body)
  const hex = (s: string) => [...s].map((c) => (c.codePointAt(0)! < 0x80 && c.codePointAt(0)! >= 0x20 ? c : `<${c.codePointAt(0)!.toString(16)}>`)).join('')
  for (const name of names) {
    const find = (s: string) => { const m = new RegExp(`Q${name}Q([\\s\\S]*?)END`).exec(s); return m ? hex(m[1]!) : 'MISSING' }
    console.log(name.padEnd(14), '| md', find(md).padEnd(30), '| pdf', find(pdftext).padEnd(30), '| docx', find(xml).padEnd(30), '| html', find(html))
  }
  console.log(dir)
}, 60000)
