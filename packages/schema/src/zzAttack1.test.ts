import { it } from 'vitest'
import type { Node as PMNode } from '@tiptap/pm/model'
import { schema } from './extensions.ts'
import { parseMarkdownBody, serializeMarkdownBody } from './markdown.ts'

const text = (value: string, ...marks: string[]) => schema.text(value, marks.map((mark) => schema.marks[mark]!.create()))
const p = (...content: PMNode[]) => schema.node('paragraph', null, content)
const h = (level: number, ...content: PMNode[]) => schema.node('heading', { level }, content)
const doc = (...blocks: PMNode[]) => schema.node('doc', null, blocks)
const li = (...c: PMNode[]) => schema.node('listItem', null, c)
const ol = (start: number, ...items: PMNode[]) => schema.node('orderedList', { start }, items)
const ul = (...items: PMNode[]) => schema.node('bulletList', null, items)
const bq = (...c: PMNode[]) => schema.node('blockquote', null, c)

const show = (name: string, d: PMNode) => {
  const md = serializeMarkdownBody(d)
  const back = parseMarkdownBody(md)
  const md2 = serializeMarkdownBody(back)
  console.log(name, JSON.stringify(md), 'SAME_SHAPE=', JSON.stringify(back.toJSON()) === JSON.stringify(d.toJSON()), 'RT=', md === md2, JSON.stringify(md2))
}
it('x', () => {
  show('empty ul between', doc(p(text('a')), ul(), p(text('b'))))
  show('no ul', doc(p(text('a')), p(text('b'))))
  show('empty li', doc(ul(li(), li(p(text('x'))))))
  show('empty li ol', doc(ol(1, li(p(text('a'))), li(), li(p(text('x'))))))
  show('empty bq', doc(p(text('a')), bq(), p(text('b'))))
  show('empty doc', doc())
  show('empty heading', doc(h(1), p(text('b'))))
  show('empty heading2', doc(p(text('a')), h(2)))
  show('li p p', doc(ul(li(p(), p(text('x'))))))
  show('li empty p', doc(ul(li(p()))))
  show('ol li empty p', doc(ol(3, li(p()), li(p(text('z'))))))
  show('bq empty p', doc(bq(p())))
  show('li ul only', doc(ul(li(ul(li(p(text('x'))))))))
  show('li bq only', doc(ul(li(bq(p(text('x')))))))
  show('li heading first', doc(ul(li(h(1, text('x'))))))
  show('bq ul empty', doc(bq(ul())))
  show('heading hash', doc(h(1, text('a #'))))
  show('heading trailing hashes', doc(h(1, text('a ##'))))
  show('heading # only', doc(h(1, text('#'))))
  show('p # only', doc(p(text('#'))))
  show('p 1. x', doc(p(text('1. x'))))
  show('p tab', doc(p(text('a\tb'))))
})
