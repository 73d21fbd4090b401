import type { Editor } from '@tiptap/core'
import { useEditorState } from '@tiptap/react'
import { useTranslation } from 'react-i18next'

interface Tool {
  key: string
  label: string
  shortcut?: string
  text: string
  active: (editor: Editor) => boolean
  run: (editor: Editor) => void
}

/** The formatting toolbar: one tab stop, arrow keys move between buttons (WAI-ARIA toolbar pattern). */
export function Toolbar({ editor, disabled }: { editor: Editor; disabled: boolean }) {
  const { t } = useTranslation()
  const tools: Tool[] = [
    { key: 'bold', label: t('editor.bold'), shortcut: 'Control+B', text: 'B', active: (e) => e.isActive('bold'), run: (e) => e.chain().focus().toggleBold().run() },
    { key: 'italic', label: t('editor.italic'), shortcut: 'Control+I', text: 'I', active: (e) => e.isActive('italic'), run: (e) => e.chain().focus().toggleItalic().run() },
    { key: 'paragraph', label: t('editor.paragraph'), text: '¶', active: (e) => e.isActive('paragraph'), run: (e) => e.chain().focus().setParagraph().run() },
    ...([1, 2] as const).map((level) => ({
      key: `heading${level}`,
      label: t('editor.heading', { level }),
      shortcut: `Control+Alt+${level}`,
      text: `H${level}`,
      active: (e: Editor) => e.isActive('heading', { level }),
      run: (e: Editor) => e.chain().focus().toggleHeading({ level }).run(),
    })),
    { key: 'bulletList', label: t('editor.bulletList'), shortcut: 'Control+Shift+8', text: '•', active: (e) => e.isActive('bulletList'), run: (e) => e.chain().focus().toggleBulletList().run() },
    { key: 'orderedList', label: t('editor.orderedList'), shortcut: 'Control+Shift+7', text: '1.', active: (e) => e.isActive('orderedList'), run: (e) => e.chain().focus().toggleOrderedList().run() },
    { key: 'blockquote', label: t('editor.blockquote'), shortcut: 'Control+Shift+B', text: '“', active: (e) => e.isActive('blockquote'), run: (e) => e.chain().focus().toggleBlockquote().run() },
  ]
  const active = useEditorState({ editor, selector: ({ editor: e }) => tools.map((tool) => tool.active(e)) })

  const onKeyDown = (event: React.KeyboardEvent<HTMLDivElement>) => {
    if (!['ArrowLeft', 'ArrowRight', 'Home', 'End'].includes(event.key)) return
    const buttons = [...event.currentTarget.querySelectorAll<HTMLButtonElement>('button')]
    const index = buttons.indexOf(document.activeElement as HTMLButtonElement)
    const next =
      event.key === 'Home' ? 0 : event.key === 'End' ? buttons.length - 1 : (index + (event.key === 'ArrowRight' ? 1 : -1) + buttons.length) % buttons.length
    buttons.forEach((button, i) => (button.tabIndex = i === next ? 0 : -1))
    buttons[next]?.focus()
    event.preventDefault()
  }

  return (
    <div className="toolbar" role="toolbar" aria-label={t('editor.toolbar')} aria-controls="resolution-text" onKeyDown={onKeyDown}>
      {tools.map((tool, index) => (
        <button
          key={tool.key}
          type="button"
          className={`tool tool-${tool.key}`}
          tabIndex={index === 0 ? 0 : -1}
          aria-label={tool.label}
          aria-pressed={active?.[index] ?? false}
          aria-keyshortcuts={tool.shortcut}
          title={tool.shortcut ? `${tool.label} (${tool.shortcut.replace('Control', 'Ctrl')})` : tool.label}
          disabled={disabled}
          onMouseDown={(event) => event.preventDefault()}
          onClick={() => tool.run(editor)}
        >
          <span aria-hidden="true">{tool.text}</span>
        </button>
      ))}
    </div>
  )
}
