import type { Person } from '@hemicycle/protocol'
import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'

/**
 * One person registered for a meeting: the secretariat ticks them present (`onMark`), everyone else reads whether they
 * are. `note` says what they are there as (votes, substitute, observer…).
 */
export function Attendee({ person, present, onMark, note, children }: { person: Person; present: boolean; onMark: ((present: boolean) => void) | null; note: string | null; children?: ReactNode }) {
  const { t } = useTranslation()
  return (
    <li className={present ? 'present' : 'absent'}>
      {onMark ? (
        <label className="check">
          <input type="checkbox" checked={present} onChange={(e) => onMark(e.target.checked)} />
          {t('roll.markPresent', { name: person.name })}
        </label>
      ) : (
        <span>
          {person.name} <span className="note">{t(present ? 'roll.present' : 'roll.absent')}</span>
        </span>
      )}
      {note && <span className="note"> · {note}</span>}
      {children}
    </li>
  )
}
