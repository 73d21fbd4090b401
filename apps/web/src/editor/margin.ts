import { type FrozenNumbering, LINE_WIDTH, numberBlocks } from '@hemicycle/schema'
import { type Editor, Extension } from '@tiptap/core'
import type { Node as PMNode } from '@tiptap/pm/model'
import { Plugin, PluginKey } from '@tiptap/pm/state'
import { Decoration, DecorationSet } from '@tiptap/pm/view'

/** What the margin shows beside each block: its § and lines, its amendments, and a way to propose one. */
export interface MarginInfo {
  counts: ReadonlyMap<string, number>
  canAmend: boolean
  onAmend: (blockId: string) => void
  /** Opens the block's amendments (the count badge). */
  onShowAmendments: (blockId: string) => void
  /** The numbers frozen when amendments opened, while in force: the margin cites what the cards and exports cite. Undefined while not known: no numbers are shown. */
  numbering: FrozenNumbering | null | undefined
  labels: { amend: (paragraph: string) => string; count: (count: number) => string; lines: (first: string, last: string) => string }
}

export const marginKey = new PluginKey<DecorationSet>('margin')

function widget(info: MarginInfo, blockId: string, numbered: boolean, paragraph: string, first: string, last: string, count: number) {
  return () => {
    const margin = document.createElement('span')
    margin.className = 'margin'
    margin.contentEditable = 'false'
    margin.dataset['blockId'] = blockId
    if (numbered && paragraph !== '') {
      const number = document.createElement('span')
      number.className = 'margin-paragraph'
      number.textContent = `§${paragraph}`
      margin.append(number)
    }
    if (first !== '') {
      const lines = document.createElement('span')
      lines.className = 'margin-lines'
      lines.textContent = info.labels.lines(first, last)
      margin.append(lines)
    }
    if (count > 0) {
      const badge = document.createElement('button')
      badge.type = 'button'
      badge.className = 'margin-count'
      badge.addEventListener('click', () => info.onShowAmendments(blockId))
      badge.textContent = String(count)
      badge.setAttribute('aria-label', info.labels.count(count))
      badge.title = info.labels.count(count)
      margin.append(badge)
    }
    if (info.canAmend) {
      const button = document.createElement('button')
      button.type = 'button'
      button.className = 'margin-amend'
      button.textContent = '✎'
      const label = info.labels.amend(numbered && paragraph !== '' ? `§${paragraph}` : first !== '' ? info.labels.lines(first, last) : '')
      button.setAttribute('aria-label', label)
      button.title = label
      button.addEventListener('click', () => info.onAmend(blockId))
      margin.append(button)
    }
    return margin
  }
}

export function marginDecorations(doc: PMNode, info: MarginInfo): DecorationSet {
  const known = info.numbering !== undefined
  const numbered = numberBlocks(doc, LINE_WIDTH, info.numbering ?? null)
  const decorations: Decoration[] = []
  // In the key, so that a widget drawn in another language (or before the labels came) is drawn again, not kept.
  const wording = [info.labels.lines('1', '2'), info.labels.count(2), info.labels.amend('§1')].join('|')
  let index = 0
  doc.descendants((node, pos) => {
    if (!node.isTextblock) return true
    const block = numbered[index++]
    if (!block?.blockId) return false
    const count = info.counts.get(block.blockId) ?? 0
    const first = known ? block.lineLabels[0]! : ''
    const last = known ? block.lineLabels.at(-1)! : ''
    const paragraph = known ? block.label : ''
    decorations.push(
      Decoration.widget(pos + 1, widget(info, block.blockId, block.numbered, paragraph, first, last, count), {
        side: -1,
        ignoreSelection: true,
        stopEvent: () => true,
        key: [block.blockId, block.numbered, paragraph, first, last, count, info.canAmend, wording].join(':'),
      }),
    )
    return false
  })
  return DecorationSet.create(doc, decorations)
}

/**
 * The margin of the printed resolution: § numbers, line numbers (80
 * characters a line, as every export cites them), how many amendments each
 * block has, and the "propose an amendment" button. `editor.storage.margin`
 * holds what to show; dispatch a transaction with the `marginKey` meta after
 * changing it.
 */
export const Margin = Extension.create<Record<string, never>, { info: MarginInfo }>({
  name: 'margin',
  addStorage() {
    return {
      info: { counts: new Map(), canAmend: false, onAmend: () => {}, onShowAmendments: () => {}, numbering: undefined, labels: { amend: (p) => p, count: (n) => String(n), lines: (a, b) => `${a}–${b}` } },
    }
  },
  addProseMirrorPlugins() {
    const storage = this.storage
    return [
      new Plugin({
        key: marginKey,
        state: {
          init: (_config, state) => marginDecorations(state.doc, storage.info),
          apply: (tr, previous, _old, state) => (tr.docChanged || tr.getMeta(marginKey) ? marginDecorations(state.doc, storage.info) : previous),
        },
        props: { decorations: (state) => marginKey.getState(state) },
      }),
    ]
  },
})

declare module '@tiptap/core' {
  interface Storage {
    margin: { info: MarginInfo }
  }
}

/** Shows new margin information: amendment counts change live, and the amend button with the stage. */
export function showMargin(editor: Editor, info: MarginInfo): void {
  editor.storage.margin.info = info
  editor.view.dispatch(editor.state.tr.setMeta(marginKey, true))
}
