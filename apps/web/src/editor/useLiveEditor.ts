import type { Person } from '@hemicycle/protocol'
import { presenceOf } from '@hemicycle/protocol'
import { BODY, resolutionExtensions } from '@hemicycle/schema'
import type { Editor, EnableRules, Extensions } from '@tiptap/core'
import Collaboration from '@tiptap/extension-collaboration'
import CollaborationCaret from '@tiptap/extension-collaboration-caret'
import { useEditor } from '@tiptap/react'
import { useEffect } from 'react'
import { renderCaret, renderSelection } from './carets.ts'
import { PageCaret } from './pageCaret.ts'
import type { CollabSession } from './collabSession.ts'

export interface LiveEditorOptions {
  session: CollabSession
  me: Person
  editable: boolean
  /** What this page adds to the shared schema (its margin, its rows beside the original). */
  extensions: Extensions
  /** The editable element's id and class. */
  id: string
  className: string
  /** The text's language, for screen readers and hyphenation; not the interface's. */
  language: string
  /** Its accessible name, in the interface's language. */
  label: string
  /** The typing shortcuts it takes ("1. " makes a list, "**" bold…): every one unless said. */
  inputRules?: EnableRules
}

/**
 * A live text: the shared schema bound to the session's `body`, with
 * everyone's carets, its element a labelled multi-line textbox. Made again
 * only for a new session: whether it is editable follows the stage, and its
 * label the interface's language, on the same editor, so a caret and an
 * undo history survive both.
 */
export function useLiveEditor({ session, me, editable, extensions, id, className, language, label, inputRules = true }: LiveEditorOptions): Editor | null {
  const editor = useEditor(
    {
      extensions: [
        ...resolutionExtensions,
        PageCaret.configure({ document: session.doc }),
        Collaboration.configure({ document: session.doc, field: BODY, yUndoOptions: { undoManager: session.undoManager } }),
        CollaborationCaret.configure({ provider: session.provider, user: presenceOf(me), render: renderCaret, selectionRender: renderSelection }),
        ...extensions,
      ],
      editable,
      enableInputRules: inputRules,
      editorProps: {
        attributes: { id, class: className, lang: language, 'aria-label': label, 'aria-multiline': 'true', role: 'textbox', 'aria-readonly': String(!editable) },
      },
    },
    [session],
  )

  useEffect(() => {
    if (!editor) return
    editor.setEditable(editable)
    editor.view.dom.setAttribute('aria-readonly', String(!editable))
    editor.view.dom.setAttribute('aria-label', label)
  }, [editor, editable, label])

  return editor
}
