import { normalizeWording, type Run, type Wording } from '@hemicycle/amendments'
import { wordingExtensions } from '@hemicycle/schema'
import type { JSONContent } from '@tiptap/core'
import { EditorContent, useEditor, useEditorState } from '@tiptap/react'
import { useTranslation } from 'react-i18next'
import { PasteNotice, RefusedChanges } from '../RefusedChange.tsx'

function toContent(paragraphs: readonly Run[][]): JSONContent {
  return {
    type: 'doc',
    content: (paragraphs.length > 0 ? paragraphs : [[]]).map((runs) => ({
      type: 'paragraph',
      content: runs
        .filter((run) => run.text.length > 0)
        .map((run) => ({
          type: 'text',
          text: run.text,
          marks: [...(run.bold ? [{ type: 'bold' }] : []), ...(run.italic ? [{ type: 'italic' }] : [])],
        })),
    })),
  }
}

/** What the editor holds, exactly: paragraphs of runs (inline Markdown could not say every formatting). */
function toWording(json: JSONContent): Wording {
  return normalizeWording(
    (json.content ?? []).map((paragraph) =>
      (paragraph.content ?? []).map((node) => ({
        text: node.text ?? '',
        ...(node.marks?.some((mark) => mark.type === 'bold') ? { bold: true as const } : {}),
        ...(node.marks?.some((mark) => mark.type === 'italic') ? { italic: true as const } : {}),
      })),
    ),
  )
}

/** A small rich-text field for a wording (paragraphs, bold, italic). */
export function WordingEditor({ initial, onChange, label, lang }: { initial: Wording; onChange: (wording: Wording) => void; label: string; lang: string }) {
  const { t } = useTranslation()
  const editor = useEditor({
    extensions: wordingExtensions,
    content: toContent(initial),
    editorProps: { attributes: { class: 'wording-editor', 'aria-label': label, role: 'textbox', 'aria-multiline': 'true', lang } },
    onCreate: ({ editor: created }) => onChange(toWording(created.getJSON())),
    onUpdate: ({ editor: updated }) => onChange(toWording(updated.getJSON())),
  })
  const active = useEditorState({ editor, selector: ({ editor: e }) => ({ bold: e?.isActive('bold') ?? false, italic: e?.isActive('italic') ?? false }) })
  if (!editor) return null
  return (
    <div className="wording">
      <div className="wording-tools" role="toolbar" aria-label={t('editor.toolbar')}>
        <button type="button" aria-pressed={active?.bold} aria-label={t('editor.bold')} onMouseDown={(e) => e.preventDefault()} onClick={() => editor.chain().focus().toggleBold().run()}>
          <b aria-hidden="true">B</b>
        </button>
        <button type="button" aria-pressed={active?.italic} aria-label={t('editor.italic')} onMouseDown={(e) => e.preventDefault()} onClick={() => editor.chain().focus().toggleItalic().run()}>
          <i aria-hidden="true">I</i>
        </button>
      </div>
      <RefusedChanges>
        <PasteNotice editor={editor} />
      </RefusedChanges>
      <EditorContent editor={editor} />
    </div>
  )
}
