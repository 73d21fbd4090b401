import { type MarkedRun, redlineRuns } from '@hemicycle/documents'
import type { TranslationBlock } from '@hemicycle/protocol'
import type { ReadPart } from '@hemicycle/translations'
import { useTranslation } from 'react-i18next'

/**
 * A confirmation the server refused because the block changed between the
 * translator's reading and the click: what changed, and the source as they
 * had read it, so the page can mark what is new until they confirm again.
 */
export interface Reread {
  changed: ReadPart[]
  /** The source's plain text as the page showed it when the translator clicked. */
  sourceRead: string
}

/**
 * The source's change since it was read, word by word; null when its words
 * are the same (the change was to its formatting, or it is the translation
 * that changed).
 */
export function sourceChangeSinceRead(reread: Reread, block: TranslationBlock): MarkedRun[] | null {
  if (!reread.changed.includes('source') || reread.sourceRead === block.sourceText) return null
  return redlineRuns([{ text: reread.sourceRead }], [{ text: block.sourceText }])
}

/** A wording with its deleted and inserted words marked, as the redline shows them. */
export function ChangedRuns({ runs, label }: { runs: readonly MarkedRun[]; label: string }) {
  return (
    <span className="source-text source-changes" aria-label={label}>
      {runs.map((run, index) => {
        const text = run.bold ? <strong>{run.text}</strong> : run.italic ? <em>{run.text}</em> : run.text
        if (run.change === 'insert') return <ins key={index}>{text}</ins>
        if (run.change === 'delete') return <del key={index}>{text}</del>
        return <span key={index}>{text}</span>
      })}
    </span>
  )
}

/** Tells the translator, in the row itself, that what they confirmed is not what the block now says. */
export function RereadNotice({ reread, block }: { reread: Reread; block: TranslationBlock }) {
  const { t } = useTranslation()
  const name = block.numbered ? `§${block.section}` : t('translations.thisBlock')
  const key =
    reread.changed.length === 2
      ? 'both'
      : reread.changed[0] === 'translation'
        ? 'translation'
        : sourceChangeSinceRead(reread, block) === null
          ? 'sourceFormatting'
          : 'source'
  return (
    <p className="reread-notice" role="alert" data-testid="changed-since-read">
      {t(`translations.changedSinceRead.${key}`, { block: name })}
    </p>
  )
}
