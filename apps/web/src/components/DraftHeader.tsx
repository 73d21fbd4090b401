import { adoptionRecord } from '@hemicycle/documents'
import type { Resolution } from '@hemicycle/protocol'
import { formatStampDate } from '../format.ts'

/** The head of the printed draft: organisation, stamp with its date, event and title, in the resolution's language. */
export function DraftHeader({ resolution }: { resolution: Resolution }) {
  return (
    <header className="draft-header" lang={resolution.language}>
      {resolution.organisation && <p className="organisation">{resolution.organisation}</p>}
      <p className={`draft-stamp stage-${resolution.stage}`} data-testid="stamp">
        <span className="stamp-label">{resolution.stamp.label}</span> {formatStampDate(resolution.stamp.date, resolution.language)}
      </p>
      {resolution.event && <p className="event">{resolution.event}</p>}
      {resolution.adoption && (
        <p className="record" data-testid="record">
          {adoptionRecord(resolution.adoption, resolution.language)}
        </p>
      )}
      <h1 className="draft-title" id="draft-title">{resolution.title}</h1>
    </header>
  )
}
