import { EditorState, PluginKey, type Transaction } from '@tiptap/pm/state'
import { ySyncPluginKey } from '@tiptap/y-tiptap'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { schema } from './extensions.ts'
import { reshapes } from './fixedStructure.ts'
import { type RefusalState, refusingPlugin } from './refusals.ts'

const block = (sourceId: string, text: string) => schema.node('paragraph', { id: `v-${sourceId}`, sourceId }, [schema.text(text)])

/** An editor's state with the plugin, and the dispatch a view would do: what the plugin leaves out never lands. */
function editorWith(refuses: (tr: Transaction) => boolean) {
  const key = new PluginKey<RefusalState>('test-refusals')
  const plugin = refusingPlugin(key, refuses)
  let state = EditorState.create({ doc: schema.node('doc', null, [block('a', 'First.'), block('b', 'Second.')]), plugins: [plugin] })
  const view = {
    get state() {
      return state
    },
    dispatch: (tr: Transaction) => {
      state = state.apply(tr)
    },
  }
  plugin.spec.view!(view as never)
  return { view, refused: () => key.getState(state)!.refused }
}

describe('a change the editor leaves out', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('is not applied, and counted once for each, so that the interface can say why every time', () => {
    vi.useFakeTimers()
    const editor = editorWith(reshapes)
    const before = editor.view.state.doc
    for (const attempt of [1, 2]) {
      editor.view.dispatch(editor.view.state.tr.split(4))
      expect(editor.view.state.doc.eq(before)).toBe(true)
      vi.runAllTimers()
      expect(editor.refused()).toBe(attempt)
    }
  })

  it('is never one that brings others’ changes in, nor one the rule lets through', () => {
    vi.useFakeTimers()
    const editor = editorWith(reshapes)
    editor.view.dispatch(editor.view.state.tr.insertText('Very ', 1))
    editor.view.dispatch(editor.view.state.tr.split(4).setMeta(ySyncPluginKey, { isChangeOrigin: true }))
    vi.runAllTimers()
    expect(editor.view.state.doc.childCount).toBe(3)
    expect(editor.view.state.doc.child(0).textContent).toBe('Ver')
    expect(editor.refused()).toBe(0)
  })
})
