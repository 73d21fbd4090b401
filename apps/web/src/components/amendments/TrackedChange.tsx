import { type Run, sameWording, type Wording } from '@hemicycle/amendments'
import type { Amendment } from '@hemicycle/protocol'
import { type MarkedRun, redlineRuns } from '@hemicycle/documents'
import { Fragment } from 'react'
import { useTranslation } from 'react-i18next'

const BREAK = '\n\n'
export const joined = (wording: Wording): Run[] => wording.flatMap((runs, index) => (index === 0 ? runs : [{ text: BREAK }, ...runs]))

/** Text with its formatting, paragraph breaks as line breaks. */
function Formatted({ run }: { run: Run }) {
  return (
    <>
      {run.text.split(BREAK).map((part, index) => {
        let node: React.ReactNode = part
        if (run.italic) node = <em>{node}</em>
        if (run.bold) node = <strong>{node}</strong>
        return (
          <Fragment key={index}>
            {index > 0 && <br />}
            {node}
          </Fragment>
        )
      })}
    </>
  )
}

/**
 * A wording change as a tracked change: words struck through where removed,
 * underlined where added, in the colour of the delegation proposing it,
 * each word with its own formatting.
 */
export function TrackedChange({ before, after, color, lang }: { before: Wording; after: Wording; color: string; lang?: string }) {
  const { t } = useTranslation()
  const runs = redlineRuns(joined(before), joined(after))
  const formattingOnly = runs.every((run) => run.change === 'equal') && !sameWording(before, after)
  return (
    <p className="tracked-change" lang={lang} style={{ ['--change-color' as string]: color }}>
      <MarkedRuns runs={runs} />
      {formattingOnly && <span className="formatting-note"> ({t('amendments.formattingOnly')})</span>}
    </p>
  )
}

/** An amendment's change to its paragraph, as tabled: the paragraph it was tabled on (none for an insertion) against its wording. */
export function AmendmentChange({ amendment, color, lang }: { amendment: Amendment; color: string; lang?: string }) {
  return <TrackedChange before={amendment.kind === 'insertAfter' ? [] : [amendment.baseWording]} after={amendment.wording} color={color} {...(lang ? { lang } : {})} />
}

/** Words marked by a change, removed ones struck through and added ones underlined, each said aloud for screen readers. */
export function MarkedRuns({ runs }: { runs: readonly MarkedRun[] }) {
  const { t } = useTranslation()
  return (
    <>
      {runs.map((run, index) =>
        run.change === 'equal' ? (
          <Formatted key={index} run={run} />
        ) : run.change === 'delete' ? (
          <del key={index}>
            <span className="visually-hidden">[{t('amendments.deleted')}: </span>
            <Formatted run={run} />
            <span className="visually-hidden">]</span>
          </del>
        ) : (
          <ins key={index}>
            <span className="visually-hidden">[{t('amendments.inserted')}: </span>
            <Formatted run={run} />
            <span className="visually-hidden">]</span>
          </ins>
        ),
      )}
    </>
  )
}
