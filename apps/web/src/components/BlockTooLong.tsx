import { blockLengthKey, MAX_BLOCK_TEXT } from '@hemicycle/schema'
import type { Editor } from '@tiptap/core'
import { useEditorState } from '@tiptap/react'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'

/** How long the notice stays after the last change it was about. */
const SHOWN_MS = 8000

/**
 * Says why what was just typed or pasted did not appear: the block would
 * have been longer than a block may be (`BlockLength` left it out, so the
 * server never refuses it). Shown again for each change left out.
 */
export function BlockTooLong({ editor }: { editor: Editor }) {
  const { t, i18n } = useTranslation()
  const refused = useEditorState({ editor, selector: ({ editor: current }) => blockLengthKey.getState(current.state)?.refused ?? 0 })
  // The last refusal whose notice has had its time: a newer one shows again.
  const [expired, setExpired] = useState(0)
  useEffect(() => {
    if (refused === 0) return
    const timer = setTimeout(() => setExpired(refused), SHOWN_MS)
    return () => clearTimeout(timer)
  }, [refused])
  if (refused === 0 || refused === expired) return null
  return (
    <p className="saving-notice" role="alert" data-testid="block-too-long">
      {t('editor.blockTooLong', { limit: MAX_BLOCK_TEXT.toLocaleString(i18n.language) })}
    </p>
  )
}
