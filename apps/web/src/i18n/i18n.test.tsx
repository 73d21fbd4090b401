import { act, fireEvent, render, screen } from '@testing-library/react'
import i18next from 'i18next'
import { useTranslation } from 'react-i18next'
import { beforeAll, describe, expect, it } from 'vitest'
import { LanguageSwitcher } from '../components/LanguageSwitcher.tsx'
import { versionLabel } from '../components/VersionsPanel.tsx'
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

describe('counted sentences', () => {
  // Each language's own plural rules choose the form: French counts 0 and 1 in the singular, English and Spanish 1 only.
  const sentences = (language: string, count: number) => {
    const t = i18next.getFixedT(language)
    return [
      t('newResolution.size', { count, lines: t('newResolution.lines', { count }) }),
      t('roll.delegationsPresent', { count, total: 5 }),
      t('votes.tally', { count, eligible: 5 }),
      t('notifications.open', { count }),
      t('translations.counts', { current: 0, due: 0, missing: t('translations.missing', { count }) }),
    ]
  }

  it('agree with one in French, English and Spanish', () => {
    expect(sentences('fr', 1)).toEqual([
      'Le texte compte 1 paragraphe numéroté et 1 ligne.',
      '1 délégation sur 5 présente avec droit de vote',
      '1 délégation sur 5 a voté',
      'Notifications (1 non lue)',
      '0 à jour, 0 à revoir, 1 manquant',
    ])
    expect(sentences('en', 1)).toEqual([
      'The text has 1 numbered paragraph and 1 line.',
      '1 of 5 delegations present with a vote',
      '1 of 5 delegations have voted',
      'Notifications (1 unread)',
      '0 current, 0 due, 1 missing',
    ])
    expect(sentences('es', 1)).toEqual([
      'El texto tiene 1 párrafo numerado y 1 línea.',
      '1 de 5 delegaciones presente con voto',
      '1 de 5 delegaciones ha votado',
      'Avisos (1 sin leer)',
      '0 al día, 0 por revisar, 1 pendiente',
    ])
  })

  it('agree with several in French, English and Spanish', () => {
    expect(sentences('fr', 3)).toEqual([
      'Le texte compte 3 paragraphes numérotés et 3 lignes.',
      '3 délégations sur 5 présentes avec droit de vote',
      '3 délégations sur 5 ont voté',
      'Notifications (3 non lues)',
      '0 à jour, 0 à revoir, 3 manquants',
    ])
    expect(sentences('en', 3)[0]).toBe('The text has 3 numbered paragraphs and 3 lines.')
    expect(sentences('es', 3)[0]).toBe('El texto tiene 3 párrafos numerados y 3 líneas.')
  })
})

describe('the labels of versions the server saves itself', () => {
  it('read in the interface\'s language, a person\'s own label as written', async () => {
    await i18next.changeLanguage('fr')
    const t = i18next.t.bind(i18next)
    expect(['imported', 'created', 'saved by the secretariat', 'draft → amendments', 'Avant la réunion'].map((label) => versionLabel(label, t))).toEqual([
      'importé',
      'créée',
      'enregistrée par le secrétariat',
      'Projet → Amendements ouverts',
      'Avant la réunion',
    ])
    await i18next.changeLanguage('en')
  })
})
