import type { Person } from '@hemicycle/protocol'
import { presenceOf } from '@hemicycle/protocol'
import { BODY, resolutionExtensions } from '@hemicycle/schema'
import type { Editor, EnableRules, Extensions } from '@tiptap/core'
import Collaboration from '@tiptap/extension-collaboration'
import CollaborationCaret from '@tiptap/extension-collaboration-caret'
import { useEditor } from '@tiptap/react'
import { useEffect, useRef } from 'react'
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
  /** Told when a key that would type is pressed while the text is read-only: the page says why. */
  onTypedWhileReadOnly?: () => void
  /**
   * Whether the text had the focus last, kept by the page across editors: a session replaced under the caret (changes
   * refused as the stage moved) unmounts this editor, and the next one takes the focus rather than leave it to the page.
   */
  focusMemory?: { current: boolean }
}

/**
 * A live text: the shared schema bound to the session's `body`, with
 * everyone's carets, its element a labelled multi-line textbox. Made again
 * only for a new session: whether it is editable follows the stage, and its
 * label the interface's language, on the same editor, so a caret and an
 * undo history survive both.
 */
export function useLiveEditor({ session, me, editable, extensions, id, className, language, label, inputRules = true, onTypedWhileReadOnly, focusMemory }: LiveEditorOptions): Editor | null {
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
    // A text turning read-only under the caret (the stage moved) lost the focus to the page, whose every space typed then
    // scrolled it away from the words and the notice saying why: the text keeps the focus, readable and selectable.
    const hadFocus = editor.view.hasFocus()
    editor.setEditable(editable)
    const { dom } = editor.view
    dom.setAttribute('aria-readonly', String(!editable))
    dom.setAttribute('aria-label', label)
    if (editable) dom.removeAttribute('tabindex')
    else dom.setAttribute('tabindex', '0')
    if (!editable && hadFocus) dom.focus({ preventScroll: true })
  }, [editor, editable, label])

  const ownMemory = useRef(false)
  const focused = focusMemory ?? ownMemory
  useEffect(() => {
    if (!editor) return
    const { dom } = editor.view
    // Where the focus went last, as focusin tells: an element removed with the focus leaves it to the page without one.
    const onFocusIn = (event: FocusEvent) => (focused.current = event.target instanceof Node && dom.contains(event.target))
    document.addEventListener('focusin', onFocusIn)
    const active = document.activeElement
    if (focused.current && (active === null || active === document.body)) dom.focus({ preventScroll: true })
    return () => document.removeEventListener('focusin', onFocusIn)
  }, [editor, focused])

  useEffect(() => {
    if (!editor || editable) return
    const { dom } = editor.view
    // A key that would type (a character, space, Enter, Backspace, Delete) does nothing on a read-only text but say why; the
    // keys that move or select keep their use.
    const keydown = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey) return
      if (event.key.length !== 1 && !['Enter', 'Backspace', 'Delete'].includes(event.key)) return
      event.preventDefault()
      onTypedWhileReadOnly?.()
    }
    dom.addEventListener('keydown', keydown)
    return () => dom.removeEventListener('keydown', keydown)
  }, [editor, editable, onTypedWhileReadOnly])

  return editor
}
