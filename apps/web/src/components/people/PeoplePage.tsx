import { type Account, type Delegation, Gender, Role } from '@hemicycle/protocol'
import { delegationRule } from '@hemicycle/rules'
import { type FormEvent, useCallback, useEffect, useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { endpoints } from '../../api/endpoints.ts'
import { formatCountry } from '../../format.ts'
import { refusalText } from '../../i18n/refusals.ts'
import { ErrorNote } from '../ErrorNote.tsx'
import { DelegationsTable } from './DelegationsTable.tsx'

type Load = { state: 'loading' } | { state: 'error' } | { state: 'ready'; people: Account[]; delegations: Delegation[] }

const NO_DELEGATION = ''

/** The delegation choice: roles that belong to none offer none, a delegate must pick one. */
function DelegationSelect({ id, role, value, delegations, onChange }: { id: string; role: Role; value: string; delegations: Delegation[]; onChange: (value: string) => void }) {
  const { t, i18n } = useTranslation()
  const noneAllowed = delegationRule(role) !== 'required'
  const someAllowed = delegationRule(role) !== 'none'
  return (
    <select id={id} value={someAllowed ? value : NO_DELEGATION} onChange={(e) => onChange(e.target.value)} disabled={!someAllowed} required={!noneAllowed}>
      {(noneAllowed || value === NO_DELEGATION) && <option value={NO_DELEGATION}>{noneAllowed ? t('people.noDelegation') : t('people.chooseDelegation')}</option>}
      {delegations.map((delegation) => (
        <option key={delegation.id} value={delegation.id}>
          {t('people.delegationName', { party: delegation.party, country: formatCountry(delegation.country, i18n.language) })}
        </option>
      ))}
    </select>
  )
}

function CreatePersonForm({ delegations, onCreated }: { delegations: Delegation[]; onCreated: () => void }) {
  const { t } = useTranslation()
  const id = useId()
  const [username, setUsername] = useState('')
  const [name, setName] = useState('')
  const [role, setRole] = useState<Role>('delegate')
  const [delegationId, setDelegationId] = useState(NO_DELEGATION)
  const [gender, setGender] = useState<Gender | ''>('')
  const [password, setPassword] = useState('')
  const [error, setError] = useState<string | null>(null)

  async function submit(event: FormEvent) {
    event.preventDefault()
    setError(null)
    try {
      const delegation = delegationRule(role) !== 'none' && delegationId !== NO_DELEGATION ? delegationId : null
      await endpoints.createPerson({ username, name, role, delegationId: delegation, password, ...(gender ? { gender } : {}) })
      onCreated()
    } catch (failure) {
      setError(refusalText(failure, t))
    }
  }

  return (
    <form className="inline-form people-form" onSubmit={submit} aria-label={t('people.create')}>
      <label htmlFor={`${id}-name`}>{t('people.name')}</label>
      <input id={`${id}-name`} value={name} onChange={(e) => setName(e.target.value)} required maxLength={120} />
      <label htmlFor={`${id}-username`}>{t('people.username')}</label>
      <input id={`${id}-username`} value={username} onChange={(e) => setUsername(e.target.value)} required autoComplete="off" maxLength={40} />
      <label htmlFor={`${id}-role`}>{t('people.role')}</label>
      <select id={`${id}-role`} value={role} onChange={(e) => setRole(e.target.value as Role)}>
        {Role.options.map((option) => (
          <option key={option} value={option}>
            {t(`role.${option}`)}
          </option>
        ))}
      </select>
      <label htmlFor={`${id}-delegation`}>{t('people.delegation')}</label>
      <DelegationSelect id={`${id}-delegation`} role={role} value={delegationId} delegations={delegations} onChange={setDelegationId} />
      <label htmlFor={`${id}-gender`}>{t('people.gender')}</label>
      <select id={`${id}-gender`} value={gender} onChange={(e) => setGender(e.target.value as Gender | '')}>
        <option value="">{t('people.genderUnsaid')}</option>
        {Gender.options.map((option) => (
          <option key={option} value={option}>
            {t(`people.genders.${option}`)}
          </option>
        ))}
      </select>
      <label htmlFor={`${id}-password`}>{t('people.password')}</label>
      <input id={`${id}-password`} type="password" value={password} onChange={(e) => setPassword(e.target.value)} required autoComplete="new-password" />
      <p className="hint">{t('people.passwordHint')}</p>
      <ErrorNote message={error} />
      <button type="submit" className="primary">
        {t('people.createSubmit')}
      </button>
    </form>
  )
}

function CreateDelegationForm({ onCreated }: { onCreated: () => void }) {
  const { t } = useTranslation()
  const id = useId()
  const [party, setParty] = useState('')
  const [country, setCountry] = useState('')
  const [error, setError] = useState<string | null>(null)

  async function submit(event: FormEvent) {
    event.preventDefault()
    setError(null)
    try {
      await endpoints.createDelegation({ party, country })
      onCreated()
    } catch (failure) {
      setError(refusalText(failure, t))
    }
  }

  return (
    <form className="inline-form people-form" onSubmit={submit} aria-label={t('people.addDelegation')}>
      <label htmlFor={`${id}-party`}>{t('people.party')}</label>
      <input id={`${id}-party`} value={party} onChange={(e) => setParty(e.target.value)} required maxLength={200} />
      <label htmlFor={`${id}-country`}>{t('people.country')}</label>
      <input id={`${id}-country`} value={country} onChange={(e) => setCountry(e.target.value)} required maxLength={100} />
      <ErrorNote message={error} />
      <button type="submit" className="primary">
        {t('people.addDelegationSubmit')}
      </button>
    </form>
  )
}

type Editing = 'role' | 'password' | null

function PersonRow({ person, delegations, onChanged }: { person: Account; delegations: Delegation[]; onChanged: () => void }) {
  const { t, i18n } = useTranslation()
  const id = useId()
  const [editing, setEditing] = useState<Editing>(null)
  const [role, setRole] = useState<Role>(person.role)
  const [delegationId, setDelegationId] = useState(person.delegation?.id ?? NO_DELEGATION)
  const [password, setPassword] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [notice, setNotice] = useState<string | null>(null)

  const attempt = async (work: () => Promise<unknown>, done?: string) => {
    setError(null)
    setNotice(null)
    try {
      await work()
      setEditing(null)
      setPassword('')
      if (done) setNotice(done)
      onChanged()
    } catch (failure) {
      setError(refusalText(failure, t))
    }
  }

  const saveRole = (event: FormEvent) => {
    event.preventDefault()
    const delegation = delegationRule(role) !== 'none' && delegationId !== NO_DELEGATION ? delegationId : null
    void attempt(() => endpoints.changePerson(person.id, { role, delegationId: delegation }))
  }
  const savePassword = (event: FormEvent) => {
    event.preventDefault()
    void attempt(() => endpoints.setPassword(person.id, password), t('people.passwordSet', { name: person.name }))
  }

  return (
    <tr className={person.active ? undefined : 'inactive'} data-username={person.username}>
      <td>
        <strong>{person.name}</strong>
        <br />
        <code>{person.username}</code>
      </td>
      <td>{t(`role.${person.role}`)}</td>
      <td>{person.delegation ? t('people.delegationName', { party: person.delegation.party, country: formatCountry(person.delegation.country, i18n.language) }) : '—'}</td>
      <td>{person.active ? t('people.active') : t('people.inactive')}</td>
      <td className="actions">
        <button type="button" aria-expanded={editing === 'role'} onClick={() => setEditing(editing === 'role' ? null : 'role')}>
          {t('people.changeRole')}
        </button>
        <button type="button" aria-expanded={editing === 'password'} onClick={() => setEditing(editing === 'password' ? null : 'password')}>
          {t('people.resetPassword')}
        </button>
        <button type="button" onClick={() => void attempt(() => endpoints.changePerson(person.id, { active: !person.active }))}>
          {person.active ? t('people.deactivate') : t('people.reactivate')}
        </button>
        {editing === 'role' && (
          <form className="inline-form" onSubmit={saveRole}>
            <label htmlFor={`${id}-role`}>{t('people.role')}</label>
            <select id={`${id}-role`} value={role} onChange={(e) => setRole(e.target.value as Role)}>
              {Role.options.map((option) => (
                <option key={option} value={option}>
                  {t(`role.${option}`)}
                </option>
              ))}
            </select>
            <label htmlFor={`${id}-delegation`}>{t('people.delegation')}</label>
            <DelegationSelect id={`${id}-delegation`} role={role} value={delegationId} delegations={delegations} onChange={setDelegationId} />
            <button type="submit" className="primary">
              {t('people.save')}
            </button>
          </form>
        )}
        {editing === 'password' && (
          <form className="inline-form" onSubmit={savePassword}>
            <label htmlFor={`${id}-password`}>{t('people.newPassword')}</label>
            <input id={`${id}-password`} type="password" value={password} onChange={(e) => setPassword(e.target.value)} required autoComplete="new-password" />
            <p className="hint">{t('people.passwordHint')}</p>
            <button type="submit" className="primary">
              {t('people.setPassword')}
            </button>
          </form>
        )}
        <ErrorNote message={error} />
        {notice && <p role="status">{notice}</p>}
      </td>
    </tr>
  )
}

/** The secretariat's page for the alliance's delegations and people. */
export function PeoplePage() {
  const { t } = useTranslation()
  const [load, setLoad] = useState<Load>({ state: 'loading' })
  const [adding, setAdding] = useState<'person' | 'delegation' | null>(null)

  const refresh = useCallback(() => {
    Promise.all([endpoints.accounts(), endpoints.delegations()]).then(
      ([people, delegations]) => setLoad({ state: 'ready', people, delegations }),
      () => setLoad({ state: 'error' }),
    )
  }, [])

  useEffect(refresh, [refresh])

  return (
    <main id="main" className="people">
      <h1>{t('people.title')}</h1>
      <div className="move">
        <button type="button" onClick={() => setAdding(adding === 'person' ? null : 'person')} aria-expanded={adding === 'person'}>
          {t('people.create')}…
        </button>
        <button type="button" onClick={() => setAdding(adding === 'delegation' ? null : 'delegation')} aria-expanded={adding === 'delegation'}>
          {t('people.addDelegation')}…
        </button>
      </div>
      {load.state === 'ready' && adding === 'person' && (
        <CreatePersonForm
          delegations={load.delegations}
          onCreated={() => {
            setAdding(null)
            refresh()
          }}
        />
      )}
      {adding === 'delegation' && (
        <CreateDelegationForm
          onCreated={() => {
            setAdding(null)
            refresh()
          }}
        />
      )}
      {load.state === 'loading' && <p aria-busy="true">{t('app.loading')}</p>}
      {load.state === 'error' && <p role="alert">{t('people.error')}</p>}
      {load.state === 'ready' && (
        <table className="people-table">
          <thead>
            <tr>
              <th scope="col">{t('people.name')}</th>
              <th scope="col">{t('people.role')}</th>
              <th scope="col">{t('people.delegation')}</th>
              <th scope="col">{t('people.status')}</th>
              <th scope="col">{t('people.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {load.people.map((person) => (
              <PersonRow key={`${person.id}:${person.role}:${person.delegation?.id ?? ''}:${person.active}`} person={person} delegations={load.delegations} onChanged={refresh} />
            ))}
          </tbody>
        </table>
      )}
      {load.state === 'ready' && <DelegationsTable delegations={load.delegations} onChanged={refresh} />}
    </main>
  )
}
