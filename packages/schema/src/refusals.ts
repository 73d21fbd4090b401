import { Plugin, type PluginKey, type PluginSpec, type Transaction } from '@tiptap/pm/state'
import { isRemoteChange } from './remoteChange.ts'

/** How many of the editor's own changes a plugin left out so far: a count, so that the same refusal twice is still news. */
export interface RefusalState {
  refused: number
}

/**
 * A plugin that leaves out the editor's own changes `refuses` names (never a
 * remote one: what others wrote is the shared text) and counts them in its
 * state, for the interface to say why a key or a paste did nothing: left out
 * silently, Enter in a version or a paste past a paragraph's limit looked
 * like a broken editor.
 */
export function refusingPlugin(
  key: PluginKey<RefusalState>,
  refuses: (tr: Transaction) => boolean,
  props: PluginSpec<RefusalState>['props'] = {},
): Plugin<RefusalState> {
  let editorView: { state: { tr: Transaction }; dispatch: (tr: Transaction) => void } | null = null
  return new Plugin<RefusalState>({
    key,
    state: {
      init: () => ({ refused: 0 }),
      apply: (tr, value) => (tr.getMeta(key) === 'refused' ? { refused: value.refused + 1 } : value),
    },
    filterTransaction(tr) {
      if (isRemoteChange(tr) || !refuses(tr)) return true
      // Told after this dispatch returns: a transaction cannot be dispatched from inside another's filtering.
      setTimeout(() => editorView?.dispatch(editorView.state.tr.setMeta(key, 'refused').setMeta('addToHistory', false)))
      return false
    },
    view(view) {
      editorView = view
      return {
        destroy: () => {
          editorView = null
        },
      }
    },
    props,
  })
}
