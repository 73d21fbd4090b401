import type { Run } from '@hemicycle/amendments'

/** Runs of text with their bold and italic, and, for marked runs, their change. */
export function Runs({ runs }: { runs: ReadonlyArray<Run & { change?: 'equal' | 'insert' | 'delete' }> }) {
  return (
    <>
      {runs.map((run, index) => {
        let node: React.ReactNode = run.text
        if (run.italic) node = <em>{node}</em>
        if (run.bold) node = <strong>{node}</strong>
        if (run.change === 'insert') return <ins key={index}>{node}</ins>
        if (run.change === 'delete') return <del key={index}>{node}</del>
        return <span key={index}>{node}</span>
      })}
    </>
  )
}
