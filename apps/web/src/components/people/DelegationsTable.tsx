import type { Delegation } from '@hemicycle/protocol'
import { type FormEvent, useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { endpoints } from '../../api/endpoints.ts'
import { formatCountry } from '../../format.ts'
import { refusalText } from '../../i18n/refusals.ts'
import { ErrorNote } from '../ErrorNote.tsx'

function DelegationRow({ delegation, onChanged }: { delegation: Delegation; onChanged: () => void }) {
  const { t, i18n } = useTranslation()
  const id = useId()
  const [editing, setEditing] = useState<'rename' | 'remove' | null>(null)
  const [party, setParty] = useState(delegation.party)
  const [country, setCountry] = useState(delegation.country)
  const [error, setError] = useState<string | null>(null)
  const name = t('people.delegationName', { party: delegation.party, country: formatCountry(delegation.country, i18n.language) })

  async function attempt(action: () => Promise<unknown>) {
    setError(null)
    try {
      await action()
      setEditing(null)
      onChanged()
    } catch (failure) {
      setError(refusalText(failure, t))
    }
  }

  function rename(event: FormEvent) {
    event.preventDefault()
    void attempt(() => endpoints.changeDelegation(delegation.id, { party, country }))
  }

  return (
    <tr data-delegation={delegation.id}>
      <td>{delegation.party}</td>
      <td>{formatCountry(delegation.country, i18n.language)}</td>
      <td className="actions">
        <button type="button" aria-expanded={editing === 'rename'} onClick={() => setEditing(editing === 'rename' ? null : 'rename')}>
          {t('delegations.rename', { name })}
        </button>
        <button type="button" aria-expanded={editing === 'remove'} onClick={() => setEditing(editing === 'remove' ? null : 'remove')}>
          {t('delegations.remove', { name })}
        </button>
        {editing === 'rename' && (
          <form className="inline-form" onSubmit={rename} aria-label={t('delegations.rename', { name })}>
            <label htmlFor={`${id}-party`}>{t('people.party')}</label>
            <input id={`${id}-party`} value={party} onChange={(e) => setParty(e.target.value)} required maxLength={200} />
            <label htmlFor={`${id}-country`}>{t('people.country')}</label>
            <input id={`${id}-country`} value={country} onChange={(e) => setCountry(e.target.value)} required maxLength={100} />
            <button type="submit" className="primary">
              {t('delegations.save')}
            </button>
          </form>
        )}
        {editing === 'remove' && (
          <div className="confirm-form">
            <p>{t('delegations.removeText', { name })}</p>
            <button type="button" className="primary" onClick={() => void attempt(() => endpoints.removeDelegation(delegation.id))}>
              {t('delegations.confirmRemove', { name })}
            </button>
          </div>
        )}
        <ErrorNote message={error} />
      </td>
    </tr>
  )
}

/** The alliance's delegations: a party or country corrected, a delegation made by mistake removed (the server refuses one in use). */
export function DelegationsTable({ delegations, onChanged }: { delegations: Delegation[]; onChanged: () => void }) {
  const { t } = useTranslation()
  return (
    <section aria-labelledby="delegations-title">
      <h2 id="delegations-title">{t('delegations.title')}</h2>
      <table className="people-table">
        <thead>
          <tr>
            <th scope="col">{t('people.party')}</th>
            <th scope="col">{t('people.country')}</th>
            <th scope="col">{t('people.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {delegations.map((delegation) => (
            <DelegationRow key={`${delegation.id}:${delegation.party}:${delegation.country}`} delegation={delegation} onChanged={onChanged} />
          ))}
        </tbody>
      </table>
    </section>
  )
}
