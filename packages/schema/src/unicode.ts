import { Extension } from '@tiptap/core'
import { Fragment, type Node as PMNode } from '@tiptap/pm/model'
import { Plugin, PluginKey } from '@tiptap/pm/state'
import { normalizedText } from './characters.ts'
import { isRemoteChange } from './remoteChange.ts'

/**
 * Text enters Hemicycle composed (NFC): "é" typed as one character or as
 * "e" + a combining accent reads the same, and must count, compare, hash and
 * number the same. Every way in (editor, import, amendment wording) passes
 * its text through here. An import also leaves out bidi controls, which
 * make the screen and the print say different things (`BIDI_CONTROLS`).
 */
export function composed(doc: PMNode): PMNode {
  if (doc.isText) {
    const text = doc.text ?? ''
    const nfc = normalizedText(text)
    return nfc === text ? doc : doc.type.schema.text(nfc, doc.marks)
  }
  if (doc.childCount === 0) return doc
  const children: PMNode[] = []
  let changed = false
  doc.forEach((child) => {
    // A text of nothing but bidi controls leaves nothing (a text node cannot be empty).
    if (child.isText && normalizedText(child.text ?? '') === '') return void (changed = true)
    const next = composed(child)
    changed ||= next !== child
    children.push(next)
  })
  return changed ? doc.copy(Fragment.fromArray(children)) : doc
}

/**
 * The editor's way in: text typed or pasted in a decomposed form ("e" then a
 * combining accent, as some keyboards and copied PDFs give it) is composed
 * in the same transaction's wake. Changes that arrive from other people
 * through Yjs are theirs to compose, not this editor's: rewriting them here
 * would make every open editor write the same change at once.
 */
export const ComposedText = Extension.create({
  name: 'composedText',
  addProseMirrorPlugins() {
    return [
      new Plugin({
        key: new PluginKey('composedText'),
        appendTransaction(transactions, _old, state) {
          // Only the stretches this editor just changed, mapped into the final document.
          const ranges: Array<[number, number]> = []
          transactions.forEach((tr, index) => {
            if (!tr.docChanged || isRemoteChange(tr)) return
            const later = transactions.slice(index + 1)
            tr.mapping.maps.forEach((map, step) => {
              map.forEach((_oldStart, _oldEnd, newStart, newEnd) => {
                let [from, to] = [newStart, newEnd]
                for (const next of tr.mapping.maps.slice(step + 1)) [from, to] = [next.map(from, -1), next.map(to, 1)]
                for (const next of later) [from, to] = [next.mapping.map(from, -1), next.mapping.map(to, 1)]
                ranges.push([from, to])
              })
            })
          })
          if (ranges.length === 0) return null
          const tr = state.tr
          for (const [from, to] of ranges) {
            state.doc.nodesBetween(Math.max(0, from - 1), Math.min(state.doc.content.size, to + 1), (node, pos) => {
              if (!node.isText) return true
              const text = node.text ?? ''
              const nfc = text.normalize('NFC')
              if (nfc !== text) tr.replaceWith(tr.mapping.map(pos), tr.mapping.map(pos + node.nodeSize), state.schema.text(nfc, node.marks))
              return false
            })
          }
          return tr.docChanged ? tr : null
        },
      }),
    ]
  },
})

