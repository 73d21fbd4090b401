import { type Notification, NotificationEvent } from '@hemicycle/protocol'
import { type CSSProperties, useEffect, useId, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { endpoints } from '../api/endpoints.ts'
import { formatWhen } from '../format.ts'
import { refusalText } from '../i18n/refusals.ts'
import { notificationText } from '../notifications/notificationText.ts'
import { AppLink } from './AppLink.tsx'
import { ErrorNote } from './ErrorNote.tsx'

/** What the person has been told (stage changes with their reason, deadlines, answers awaited, objections), live, newest first. */
export function NotificationsMenu() {
  const { t, i18n } = useTranslation()
  const id = useId()
  const [items, setItems] = useState<Notification[]>([])
  // Where the panel sits: under its button, moved sideways as far as it must to stay on screen, wherever the header put the button.
  const [place, setPlace] = useState<CSSProperties | null>(null)
  const open = place !== null
  const toggle = (button: HTMLElement) => {
    if (open) return setPlace(null)
    const rect = button.getBoundingClientRect()
    const width = Math.min(448, window.innerWidth - 16)
    const left = Math.max(8, Math.min(rect.right - width, window.innerWidth - width - 8))
    setPlace({ left: left - rect.left, width })
  }
  const [error, setError] = useState<string | null>(null)
  const menu = useRef<HTMLDivElement>(null)
  const button = useRef<HTMLButtonElement>(null)

  // Open, the panel lies over the page: Escape or a click elsewhere closes it, as a menu does (it stood over the links
  // beneath it until its button was clicked again).
  useEffect(() => {
    if (!open) return
    const keydown = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return
      const inside = menu.current?.contains(document.activeElement) ?? false
      setPlace(null)
      if (inside) button.current?.focus()
    }
    const pointerdown = (event: PointerEvent) => {
      if (event.target instanceof Node && !menu.current?.contains(event.target)) setPlace(null)
    }
    document.addEventListener('keydown', keydown)
    document.addEventListener('pointerdown', pointerdown)
    return () => {
      document.removeEventListener('keydown', keydown)
      document.removeEventListener('pointerdown', pointerdown)
    }
  }, [open])

  useEffect(() => {
    let closed = false
    const source = new EventSource('/api/notifications/events')
    const load = () =>
      endpoints.notifications().then(
        // One that arrived live while the list was on its way is kept: the list may have been read before it was recorded.
        (all) =>
          !closed &&
          setItems((previous) => {
            const newest = all[0] ? Date.parse(all[0].at) : Number.NEGATIVE_INFINITY
            return [...previous.filter((item) => !all.some((listed) => listed.id === item.id) && Date.parse(item.at) >= newest), ...all]
          }),
        (failure: unknown) => !closed && setError(refusalText(failure, t)),
      )
    source.addEventListener('open', () => void load())
    source.addEventListener('notification', (message: MessageEvent<string>) => {
      const parsed = NotificationEvent.safeParse(JSON.parse(message.data))
      if (parsed.success) setItems((previous) => [parsed.data.notification, ...previous.filter((item) => item.id !== parsed.data.notification.id)])
    })
    return () => {
      closed = true
      source.close()
    }
  }, [t])

  const unread = items.filter((item) => !item.read).length
  async function markAllRead() {
    // Up to the newest one shown: a notice arriving while the click travels stays unread.
    const newest = items.reduce((latest, item) => Math.max(latest, Date.parse(item.at)), Number.NEGATIVE_INFINITY)
    if (!Number.isFinite(newest)) return
    try {
      await endpoints.markRead({ all: true, upTo: new Date(newest).toISOString() })
      setItems((previous) => previous.map((item) => (Date.parse(item.at) <= newest ? { ...item, read: true } : item)))
    } catch (failure) {
      setError(refusalText(failure, t))
    }
  }

  return (
    <div className="notifications" ref={menu}>
      <button ref={button} type="button" aria-expanded={open} aria-controls={`${id}-list`} onClick={(event) => toggle(event.currentTarget)} data-testid="notifications-button">
        {t('notifications.open', { count: unread })}
      </button>
      {open && (
        <section id={`${id}-list`} className="notifications-panel" style={place} aria-label={t('notifications.title')}>
          {items.length === 0 ? (
            <p>{t('notifications.none')}</p>
          ) : (
            <ul>
              {items.map((item) => (
                <li key={item.id} className={item.read ? 'read' : 'unread'} data-testid="notification">
                  <span className="title">
                    {item.resolutionId ? (
                      <AppLink to={{ page: 'resolution', id: item.resolutionId }} onFollow={() => setPlace(null)}>
                        {item.resolutionTitle}
                      </AppLink>
                    ) : (
                      item.resolutionTitle
                    )}
                  </span>{' '}
                  <span className="text">{notificationText(item, t, i18n.language)}</span> <time dateTime={item.at}>{formatWhen(item.at, i18n.language)}</time>
                </li>
              ))}
            </ul>
          )}
          {unread > 0 && (
            <button type="button" onClick={() => void markAllRead()}>
              {t('notifications.markAllRead')}
            </button>
          )}
          <ErrorNote message={error} />
        </section>
      )}
    </div>
  )
}
