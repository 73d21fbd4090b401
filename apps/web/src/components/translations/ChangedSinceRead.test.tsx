import type { TranslationBlock } from '@hemicycle/protocol'
import { act, render, screen } from '@testing-library/react'
import i18next from 'i18next'
import { beforeAll, describe, expect, it } from 'vitest'
import { setupI18n } from '../../i18n/index.ts'
import { RereadNotice, sourceChangeSinceRead } from './ChangedSinceRead.tsx'

const block = (sourceText: string, numbered = true): TranslationBlock => ({
  sourceId: 'b4',
  id: 'v4',
  paragraph: 4,
  section: '4',
  numbered,
  status: 'due',
  text: 'This is no easy task.',
  sourceText,
  sourceChanges: null,
  confirmed: null,
  sourceDigest: '0'.repeat(64),
  translationDigest: '1'.repeat(64),
})

beforeAll(() => setupI18n('en'))

describe('a block changed since the translator read it', () => {
  const read = "Ce n'est pas une tâche facile."
  const amended = block("Ce n'est pas une tâche aisée.")

  it('marks the source’s words changed since the reading, and nothing when only the translation or the formatting changed', () => {
    expect(sourceChangeSinceRead({ changed: ['source'], sourceRead: read }, amended)?.filter((run) => run.change !== 'equal')).toEqual([
      { text: 'facile', change: 'delete' },
      { text: 'aisée', change: 'insert' },
    ])
    expect(sourceChangeSinceRead({ changed: ['translation'], sourceRead: read }, amended)).toBeNull()
    expect(sourceChangeSinceRead({ changed: ['source'], sourceRead: amended.sourceText }, amended)).toBeNull()
  })

  it('tells the translator what changed, in the interface’s language', async () => {
    const notice = (changed: Array<'source' | 'translation'>, sourceRead: string, shown = amended) => {
      const { unmount } = render(<RereadNotice reread={{ changed, sourceRead }} block={shown} />)
      const text = screen.getByRole('alert').textContent
      unmount()
      return text
    }
    expect(notice(['source'], read)).toBe('§4: the original changed since you read it (the changes are marked). Read it again, then confirm.')
    expect(notice(['source'], amended.sourceText)).toBe('§4: the original’s formatting (bold or italic) changed since you read it. Read it again, then confirm.')
    expect(notice(['translation'], amended.sourceText, block(amended.sourceText, false))).toBe('This block: someone changed the translation since you read it. Read it again, then confirm.')
    await act(() => i18next.changeLanguage('fr'))
    expect(notice(['source', 'translation'], read)).toBe(
      '§4 : l’original et la traduction ont changé depuis que vous les avez lus (les modifications de l’original sont marquées). Relisez-les, puis confirmez.',
    )
    await act(() => i18next.changeLanguage('es'))
    expect(notice(['translation'], read)).toBe('§4: alguien ha modificado la traducción desde que la leyó. Vuelva a leerla y confirme.')
    await act(() => i18next.changeLanguage('en'))
  })
})
