import { markdownToParagraphs, plainText, wordDiff } from '@hemicycle/amendments'
import { useTranslation } from 'react-i18next'

const plain = (markdown: string) => markdownToParagraphs(markdown).map(plainText).join('\n\n')

/**
 * A wording change as a tracked change: words struck through where removed,
 * underlined where added, in the colour of the delegation proposing it.
 */
export function TrackedChange({ before, after, color, lang }: { before: string; after: string; color: string; lang?: string }) {
  const { t } = useTranslation()
  const diff = wordDiff(plain(before), plain(after))
  const formattingOnly = diff.every(([op]) => op === 0) && before !== after
  return (
    <p className="tracked-change" lang={lang} style={{ ['--change-color' as string]: color }}>
      {diff.map(([op, text], index) =>
        op === 0 ? (
          <span key={index}>{text}</span>
        ) : op === -1 ? (
          <del key={index}>
            <span className="visually-hidden">[{t('amendments.deleted')}: </span>
            {text}
            <span className="visually-hidden">]</span>
          </del>
        ) : (
          <ins key={index}>
            <span className="visually-hidden">[{t('amendments.inserted')}: </span>
            {text}
            <span className="visually-hidden">]</span>
          </ins>
        ),
      )}
      {formattingOnly && <span className="formatting-note"> ({t('amendments.formattingOnly')})</span>}
    </p>
  )
}
