import { blockLengthKey, fixedStructureKey, MAX_BLOCK_TEXT, pasteNoticeKey, type RefusalState } from '@hemicycle/schema'
import type { Editor } from '@tiptap/core'
import type { PluginKey } from '@tiptap/pm/state'
import { useEditorState } from '@tiptap/react'
import { type ReactNode, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'

/** How long a notice stays after the last change it was about. */
const SHOWN_MS = 8000
/** How long after the last refusal another one is read out again. */
const REANNOUNCED_AFTER_MS = 1000

/**
 * Where an editor says why a change of one's own did not appear: over the page, at the top, letting clicks through. In the
 * flow it moved the text under the caret while shown (and in a version's side-by-side grid it took a cell and pushed the
 * version's column below the original's); at the bottom a phone's keyboard hides it. The notices stack when two are shown.
 */
export function RefusedChanges({ children }: { children: ReactNode }) {
  return <div className="refused-changes">{children}</div>
}

/** Says why a change of one's own did not appear, as long as `SHOWN_MS` after the last one `pluginKey`'s plugin left out. */
function RefusedChange<State extends RefusalState>({ editor, pluginKey, testId, children }: { editor: Editor; pluginKey: PluginKey<State>; testId: string; children: ReactNode }) {
  const refused = useEditorState({ editor, selector: ({ editor: current }) => pluginKey.getState(current.state)?.refused ?? 0 })
  // The last refusal whose notice has had its time: a newer one shows again.
  const [expired, setExpired] = useState(0)
  // Which burst of refusals is shown: a key held down repeats its refusal many times a second, and is one burst.
  const [burst, setBurst] = useState({ count: 0, last: Number.NEGATIVE_INFINITY })
  useEffect(() => {
    if (refused === 0) return
    const now = performance.now()
    const timer = setTimeout(() => setExpired(refused), SHOWN_MS)
    const next = setTimeout(() => setBurst((shown) => ({ count: now - shown.last > REANNOUNCED_AFTER_MS ? shown.count + 1 : shown.count, last: now })))
    return () => {
      clearTimeout(timer)
      clearTimeout(next)
    }
  }, [refused])
  if (refused === 0 || refused === expired) return null
  // A new element at each burst: an alert is read out when it appears, so the same words a second time are heard again,
  // and not at every repeat of a key held down.
  return (
    <p key={burst.count} className="saving-notice" role="alert" data-testid={testId}>
      {children}
    </p>
  )
}

/**
 * What was typed or pasted would have made the block longer than a block may be (`BlockLength` left it out, so the
 * server never refuses it). In a version (`inVersion`) a paragraph cannot be split with Enter, so that is not advised.
 */
export function BlockTooLong({ editor, inVersion = false }: { editor: Editor; inVersion?: boolean }) {
  const { t, i18n } = useTranslation()
  return (
    <RefusedChange editor={editor} pluginKey={blockLengthKey} testId="block-too-long">
      {t(inVersion ? 'editor.blockTooLongInVersion' : 'editor.blockTooLong', { limit: MAX_BLOCK_TEXT.toLocaleString(i18n.language) })}
    </RefusedChange>
  )
}

/** A key in a language version that would have joined, split or added a paragraph (`FixedStructure` left it out): a version has the original's. */
export function StructureKept({ editor }: { editor: Editor }) {
  const { t } = useTranslation()
  return (
    <RefusedChange editor={editor} pluginKey={fixedStructureKey} testId="structure-kept">
      {t('translations.structureKept')}
    </RefusedChange>
  )
}

/** A paste whose source hid words, marked them deleted, or struck them through (`cleanPastedHtml`): what came in is not all the clipboard held. */
export function PasteNotice({ editor }: { editor: Editor }) {
  const { t } = useTranslation()
  const told = useEditorState({ editor, selector: ({ editor: current }) => pasteNoticeKey.getState(current.state) ?? null })
  return (
    <RefusedChange editor={editor} pluginKey={pasteNoticeKey} testId="paste-notice">
      {[told && told.leftOut > 0 ? t('editor.pasteLeftOut') : null, told && told.struck > 0 ? t('editor.pasteStruck') : null].filter(Boolean).join(' ')}
    </RefusedChange>
  )
}
