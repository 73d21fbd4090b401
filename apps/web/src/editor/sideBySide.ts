import type { TranslationStatus } from '@hemicycle/protocol'
import { numberBlocks, SOURCE_ID } from '@hemicycle/schema'
import { Extension } from '@tiptap/core'
import { Plugin, PluginKey } from '@tiptap/pm/state'
import { Decoration, DecorationSet, type EditorView } from '@tiptap/pm/view'

/**
 * The translation column of the side-by-side view: each block of the version
 * shows its status and is given the height of the tallest of itself and its
 * source's row, so § for § both columns start on the same line. On a screen
 * too narrow for two columns, the stylesheet lays both in one (`--rows:
 * stacked`) and each block is instead pushed down by its source's row, which
 * sits above it, so every source still reads with its translation. Blocks are
 * hidden, not removed, by the "only what is due" filter, so nobody's text
 * is touched by looking at it.
 */
export interface Rows {
  statuses: ReadonlyMap<string, TranslationStatus>
  hidden: ReadonlySet<string>
  heights: ReadonlyMap<string, number>
  /** Stacked in one column: the height of the source's row drawn above each block. */
  above: ReadonlyMap<string, number>
  /** How a block's lines are labelled: each language's text wraps at 80 characters of its own, so its line numbers are its own. */
  lines: (first: number, last: number) => string
}

const empty: Rows = { statuses: new Map(), hidden: new Set(), heights: new Map(), above: new Map(), lines: (first, last) => `${first}–${last}` }
const key = new PluginKey<Rows>('sideBySide')

export const SideBySide = Extension.create({
  name: 'sideBySide',
  addProseMirrorPlugins() {
    return [
      new Plugin<Rows>({
        key,
        state: {
          init: () => empty,
          apply: (tr, rows) => ({ ...rows, ...(tr.getMeta(key) as Partial<Rows> | undefined) }),
        },
        props: {
          decorations(state) {
            const rows = key.getState(state) ?? empty
            const decorations: Decoration[] = []
            // numberBlocks visits the textblocks in the same order as this walk.
            const numbered = numberBlocks(state.doc)
            let index = -1
            state.doc.descendants((node, pos) => {
              if (!node.isTextblock) return true
              index += 1
              const sourceId = node.attrs[SOURCE_ID] as string | null
              if (!sourceId) return false
              const status = rows.statuses.get(sourceId)
              const height = rows.heights.get(sourceId)
              const above = rows.above.get(sourceId)
              const attrs: Record<string, string> = { class: `translation-block${status ? ` translation-${status}` : ''}${rows.hidden.has(sourceId) ? ' translation-hidden' : ''}` }
              if (status) attrs['data-status'] = status
              const block = numbered[index]
              if (block) attrs['data-lines'] = rows.lines(block.firstLine, block.lastLine)
              if (height !== undefined) attrs['style'] = `min-height: ${height}px`
              if (above !== undefined) attrs['style'] = `margin-top: ${above}px`
              decorations.push(Decoration.node(pos, pos + node.nodeSize, attrs))
              return false
            })
            return DecorationSet.create(state.doc, decorations)
          },
        },
      }),
    ]
  },
})

export function showRows(view: EditorView, rows: Partial<Rows>): void {
  view.dispatch(view.state.tr.setMeta(key, rows))
}

/**
 * Keeps each source row with the block translating it. Both are measured at
 * their natural height first (in the same task, so nothing is painted in
 * between). Side by side, each then takes the taller of the two; stacked,
 * the row leaves room below it for its block, and the block room above it
 * for its row.
 */
export function alignRows(view: EditorView, sourceRows: ReadonlyMap<string, HTMLElement>): void {
  showRows(view, { heights: new Map(), above: new Map() })
  for (const row of sourceRows.values()) {
    row.style.minHeight = ''
    row.style.marginBottom = ''
  }
  const stacked = getComputedStyle(view.dom).getPropertyValue('--rows').trim() === 'stacked'
  const heights = new Map<string, { source: number; translation: number }>()
  for (const element of view.dom.querySelectorAll<HTMLElement>('[data-source-id]')) {
    const sourceId = element.dataset['sourceId']!
    const row = sourceRows.get(sourceId)
    if (!row) continue
    heights.set(sourceId, { source: row.getBoundingClientRect().height, translation: element.getBoundingClientRect().height })
  }
  if (stacked) {
    for (const [sourceId, { translation }] of heights) sourceRows.get(sourceId)!.style.marginBottom = `${translation}px`
    showRows(view, { above: new Map([...heights].map(([sourceId, { source }]) => [sourceId, source])) })
    return
  }
  const tallest = new Map([...heights].map(([sourceId, { source, translation }]) => [sourceId, Math.ceil(Math.max(source, translation))]))
  for (const [sourceId, height] of tallest) sourceRows.get(sourceId)!.style.minHeight = `${height}px`
  showRows(view, { heights: tallest })
}
