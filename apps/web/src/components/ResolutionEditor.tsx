import type { Person } from '@hemicycle/protocol'
import { EditorContent } from '@tiptap/react'
import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { Margin, type MarginInfo, showMargin } from '../editor/margin.ts'
import type { CollabSession } from '../editor/collabSession.ts'
import { type SuggestionInfo, Suggestions, showSuggestions } from '../editor/suggestionMarks.ts'
import { useLiveEditor } from '../editor/useLiveEditor.ts'
import { BlockTooLong, PasteNotice, RefusedChanges } from './RefusedChange.tsx'
import { Toolbar } from './Toolbar.tsx'

interface Props {
  session: CollabSession
  me: Person
  editable: boolean
  language: string
  margin: Pick<MarginInfo, 'counts' | 'canAmend' | 'onAmend' | 'onShowAmendments' | 'numbering'>
  /** The tabled amendments drawn in the text as suggestions, when asked for. */
  suggestions: Pick<SuggestionInfo, 'show' | 'amendments'>
  /** A key that would type was pressed while the text is read-only. */
  onTypedWhileReadOnly?: () => void
  /** Whether the text had the focus last, kept by the page across sessions (see `useLiveEditor`). */
  focusMemory?: { current: boolean }
}

/** The live text: the shared schema bound to the `body` fragment, with everyone's carets. */
export function ResolutionEditor({ session, me, editable, language, margin, suggestions, onTypedWhileReadOnly, focusMemory }: Props) {
  const { t } = useTranslation()
  const editor = useLiveEditor({
    session,
    me,
    editable,
    extensions: [Margin, Suggestions],
    id: 'resolution-text',
    className: 'resolution-text',
    language,
    label: t('editor.label'),
    onTypedWhileReadOnly,
    focusMemory,
  })

  const { counts, canAmend, onAmend, onShowAmendments, numbering } = margin
  useEffect(() => {
    if (!editor) return
    showMargin(editor, {
      counts,
      canAmend,
      onAmend,
      onShowAmendments,
      numbering,
      labels: {
        amend: (citation) => t('amendments.proposeTo', { citation }),
        count: (count) => t('amendments.count', { count }),
        lines: (first, last) => t(first === last ? 'amendments.singleLine' : 'amendments.lines', { first, last }),
      },
    })
  }, [editor, counts, canAmend, onAmend, onShowAmendments, numbering, t])

  const { show, amendments } = suggestions
  useEffect(() => {
    if (!editor) return
    showSuggestions(editor, {
      show,
      amendments,
      label: (amendment) => t('desk.suggestionLabel', { number: amendment.number, delegation: amendment.delegation?.party ?? t(`role.${amendment.tabledBy.role}`) }),
    })
  }, [editor, show, amendments, t])

  if (!editor) return null
  return (
    <div className="editor">
      <Toolbar editor={editor} disabled={!editable} />
      <RefusedChanges>
        <BlockTooLong editor={editor} />
        <PasteNotice editor={editor} />
      </RefusedChanges>
      <EditorContent editor={editor} />
    </div>
  )
}
