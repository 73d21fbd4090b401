import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { WebsocketProvider } from 'y-websocket'
import { type Person, type Presence, presenceOfState } from '@hemicycle/protocol'
import { presenceDelegation } from '../editor/presenceLabel.ts'

/** Who has the document open, one entry per person, coloured by delegation. */
export function PresenceList({ provider, me }: { provider: WebsocketProvider; me: Person }) {
  const { t, i18n } = useTranslation()
  const [people, setPeople] = useState<Presence[]>([])

  useEffect(() => {
    const refresh = () => {
      const byPerson = new Map<string, Presence>()
      for (const state of provider.awareness.getStates().values()) {
        const presence = presenceOfState(state)
        if (presence) byPerson.set(presence.id, presence)
      }
      setPeople([...byPerson.values()].sort((a, b) => (a.id === me.id ? -1 : b.id === me.id ? 1 : a.name.localeCompare(b.name))))
    }
    refresh()
    provider.awareness.on('change', refresh)
    return () => provider.awareness.off('change', refresh)
  }, [provider, me.id])

  return (
    <section className="presence" aria-labelledby="presence-title">
      <h2 id="presence-title">
        {t('presence.title')} <span className="count">({t('presence.count', { count: people.length })})</span>
      </h2>
      <ul>
        {people.map((person) => (
          <li key={person.id} data-person={person.id}>
            <span className="swatch" style={{ background: person.color }} aria-hidden="true" />
            <span className="name">
              {person.name}
              {person.id === me.id && ` (${t('presence.you')})`}
            </span>
            <span className="detail">{[presenceDelegation(person, t, i18n.language), t(`role.${person.role}`)].filter(Boolean).join(' · ')}</span>
          </li>
        ))}
      </ul>
    </section>
  )
}
