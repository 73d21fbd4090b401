import { presenceOfState } from '@hemicycle/protocol'
import i18next from 'i18next'
import { presenceDelegation } from './presenceLabel.ts'

/**
 * Another person's caret: a bar in their delegation's colour and a label
 * with their name and delegation. Built with DOM calls, never innerHTML,
 * since names come from other people.
 */
export function renderCaret(user: Record<string, unknown>): HTMLElement {
  const presence = presenceOfState({ user })
  const color = presence?.color ?? '#475569'
  const caret = document.createElement('span')
  caret.className = 'collaboration-carets__caret'
  caret.style.borderColor = color
  caret.setAttribute('aria-hidden', 'true')
  const label = document.createElement('span')
  label.className = 'collaboration-carets__label'
  label.style.backgroundColor = color
  label.textContent = presence ? [presence.name, presenceDelegation(presence, i18next.t, i18next.language)].filter(Boolean).join(' · ') : String(user['name'] ?? '')
  caret.append(label)
  return caret
}

export function renderSelection(user: Record<string, unknown>) {
  const color = presenceOfState({ user })?.color ?? '#475569'
  return { style: `background-color: ${color}33`, class: 'collaboration-carets__selection' }
}
