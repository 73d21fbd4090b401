import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useSession } from '../stores/session.ts'

export function LoginPage() {
  const { t } = useTranslation()
  const login = useSession((state) => state.login)
  const failure = useSession((state) => state.failure)
  const [submitting, setSubmitting] = useState(false)

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const form = new FormData(event.currentTarget)
    setSubmitting(true)
    await login(String(form.get('username') ?? ''), String(form.get('password') ?? ''))
    setSubmitting(false)
  }

  return (
    <main id="main" className="login">
      <h1>{t('login.title')}</h1>
      <p className="tagline">{t('app.tagline')}</p>
      <form onSubmit={submit} aria-describedby={failure ? 'login-error' : undefined}>
        <label htmlFor="username">{t('login.username')}</label>
        <input id="username" name="username" autoComplete="username" required autoFocus />
        <label htmlFor="password">{t('login.password')}</label>
        <input id="password" name="password" type="password" autoComplete="current-password" required />
        {failure && (
          <p id="login-error" role="alert" className="error">
            {t(`login.${failure}`)}
          </p>
        )}
        <button type="submit" disabled={submitting}>
          {submitting ? t('login.submitting') : t('login.submit')}
        </button>
      </form>
    </main>
  )
}
