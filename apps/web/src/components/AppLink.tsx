import type { AnchorHTMLAttributes, MouseEvent } from 'react'
import { hrefOf, type Route, useRouter } from '../stores/router.ts'

/**
 * A link to a page of the app. A plain click moves there without reloading; with Ctrl, ⌘, Shift or Alt, or another
 * button, the browser does what it does with any link (a new tab, a new window), as a person expects of a link.
 */
export function AppLink({
  to,
  onNavigate,
  onFollow,
  children,
  ...attributes
}: {
  to: Route
  /** Moves instead of the router (the page has its own way there). */
  onNavigate?: () => void
  /** Told before a plain click moves (a menu closing behind it). */
  onFollow?: () => void
} & Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href' | 'onClick'>) {
  const navigate = useRouter((state) => state.navigate)
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    if (!isPlainClick(event)) return
    event.preventDefault()
    onFollow?.()
    if (onNavigate) onNavigate()
    else navigate(to)
  }
  return (
    <a {...attributes} href={hrefOf(to)} onClick={onClick}>
      {children}
    </a>
  )
}

/** A click the app handles itself: the main button, no modifier asking the browser for a new tab or window. */
function isPlainClick(event: Pick<MouseEvent, 'button' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>): boolean {
  return event.button === 0 && !event.ctrlKey && !event.metaKey && !event.shiftKey && !event.altKey
}
