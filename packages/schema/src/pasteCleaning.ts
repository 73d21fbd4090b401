import { Extension } from '@tiptap/core'
import { Plugin, PluginKey } from '@tiptap/pm/state'
import { cleanPaste } from './characters.ts'

/**
 * What is pasted (or dropped) loses the control characters a resolution
 * cannot hold, such as Word's vertical tab or a PDF's form feed: the server
 * would refuse the whole change, and the editor would never get it stored.
 */
export const PasteCleaning = Extension.create({
  name: 'pasteCleaning',
  addProseMirrorPlugins() {
    return [new Plugin({ key: new PluginKey('pasteCleaning'), props: { transformPastedText: (text) => cleanPaste(text), transformPastedHTML: (html) => cleanPaste(html) } })]
  },
})
