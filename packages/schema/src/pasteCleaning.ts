import { Extension } from '@tiptap/core'
import { Plugin, PluginKey } from '@tiptap/pm/state'
import { cleanPaste } from './characters.ts'
import { cleanPastedHtml } from './pastedHtml.ts'
import type { RefusalState } from './refusals.ts'

/** What the last paste that had something to say left out or changed (`cleanPastedHtml`); `refused` counts such pastes. */
export interface PasteNotice extends RefusalState {
  leftOut: number
  struck: number
}

export const pasteNoticeKey = new PluginKey<PasteNotice>('pasteNotice')

/**
 * What is pasted (or dropped) loses the control characters a resolution
 * cannot hold, such as Word's vertical tab or a PDF's form feed: the server
 * would refuse the whole change, and the editor would never get it stored.
 * Pasted HTML loses the words its source did not show (hidden text, tracked
 * deletions), and the editor says so, and says when struck words came in as
 * ordinary ones (`cleanPastedHtml`).
 */
export const PasteCleaning = Extension.create({
  name: 'pasteCleaning',
  addProseMirrorPlugins() {
    return [
      new Plugin<PasteNotice>({
        key: pasteNoticeKey,
        state: {
          init: () => ({ refused: 0, leftOut: 0, struck: 0 }),
          apply: (tr, value) => {
            const told = tr.getMeta(pasteNoticeKey) as { leftOut: number; struck: number } | undefined
            return told ? { refused: value.refused + 1, ...told } : value
          },
        },
        props: {
          transformPastedText: (text) => cleanPaste(text),
          transformPastedHTML: (html, view) => {
            const pasted = cleanPastedHtml(cleanPaste(html))
            if (pasted.leftOut > 0 || pasted.struck > 0) {
              // Told after the paste: no transaction is dispatched from inside this one's making.
              setTimeout(() => view.dispatch(view.state.tr.setMeta(pasteNoticeKey, { leftOut: pasted.leftOut, struck: pasted.struck }).setMeta('addToHistory', false)))
            }
            return pasted.html
          },
        },
      }),
    ]
  },
})
