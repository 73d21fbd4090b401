import { getSchema } from '@tiptap/core'
import { EditorState, type Plugin } from '@tiptap/pm/state'
import { describe, expect, it } from 'vitest'
import { resolutionExtensions, schema } from './extensions.ts'
import { composed, ComposedText } from './unicode.ts'

const plugins = ComposedText.config.addProseMirrorPlugins!.call({ editor: null } as never) as Plugin[]

describe('text enters composed (NFC)', () => {
  it('composes decomposed text in an imported document, keeping marks', () => {
    const doc = schema.node('doc', null, [schema.node('paragraph', null, [schema.text('Cohe\u0301sion ', [schema.marks['bold']!.create()]), schema.text('sociale')])])
    const out = composed(doc)
    expect(out.textContent).toBe('Cohésion sociale')
    expect(out.firstChild!.firstChild!.marks.map((mark) => mark.type.name)).toEqual(['bold'])
    expect(composed(out)).toBe(out)
  })

  it('composes what is typed or pasted in the editor, but leaves changes from other people alone', () => {
    expect(getSchema(resolutionExtensions).spec.nodes.get('paragraph')).toBeDefined()
    const start = EditorState.create({ schema, plugins, doc: schema.node('doc', null, [schema.node('paragraph', null, [schema.text('Le progre')])]) })
    const { state, transactions } = start.applyTransaction(start.tr.insertText('\u0300s', 10))
    expect(transactions).toHaveLength(2)
    expect(state.doc.textContent).toBe('Le progrès')
    const remote = start.applyTransaction(start.tr.insertText('\u0300s', 10).setMeta('y-sync$', { isChangeOrigin: true }))
    expect(remote.state.doc.textContent).toBe('Le progre\u0300s')
  })
})
