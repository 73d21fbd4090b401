import { act, fireEvent, render, screen } from '@testing-library/react'
import { useTranslation } from 'react-i18next'
import { beforeAll, describe, expect, it } from 'vitest'
import { LanguageSwitcher } from '../components/LanguageSwitcher.tsx'
import { initialLanguage, setupI18n } from './index.ts'
import en from './locales/en.json'
import es from './locales/es.json'
import fr from './locales/fr.json'

function keys(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix]
  return Object.entries(value).flatMap(([key, inner]) => keys(inner, prefix ? `${prefix}.${key}` : key))
}

function Greeting() {
  const { t } = useTranslation()
  return <p data-testid="greeting">{t('nav.logout')}</p>
}

beforeAll(async () => {
  localStorage.clear()
  await setupI18n('en')
})

describe('interface languages', () => {
  it('have the same strings in English, French and Spanish', () => {
    expect(keys(fr).sort()).toEqual(keys(en).sort())
    expect(keys(es).sort()).toEqual(keys(en).sort())
  })

  it('start from the saved choice, then the browser’s languages, then English', () => {
    expect(initialLanguage('es', ['fr-FR'])).toBe('es')
    expect(initialLanguage(null, ['de-DE', 'fr-CA'])).toBe('fr')
    expect(initialLanguage('klingon', ['de'])).toBe('en')
  })

  it('switch with the selector, update the page language and remember the choice', async () => {
    render(
      <>
        <LanguageSwitcher />
        <Greeting />
      </>,
    )
    expect(screen.getByTestId('greeting').textContent).toBe('Log out')
    await act(async () => {
      fireEvent.change(screen.getByLabelText('Language'), { target: { value: 'fr' } })
    })
    expect(screen.getByTestId('greeting').textContent).toBe('Se déconnecter')
    expect(screen.getByLabelText('Langue')).toBeTruthy()
    expect(document.documentElement.lang).toBe('fr')
    expect(localStorage.getItem('hemicycle.language')).toBe('fr')
    await act(async () => {
      fireEvent.change(screen.getByLabelText('Langue'), { target: { value: 'es' } })
    })
    expect(screen.getByTestId('greeting').textContent).toBe('Cerrar sesión')
  })
})
