import { describe, expect, it } from 'vitest'
import { afterSessionEnded, type ConnectionFacts, connectionStatus, hasUnsavedChanges, initialFacts } from './connectionStatus.ts'

const facts = (partial: Partial<ConnectionFacts>): ConnectionFacts => ({ ...initialFacts, ...partial })

describe('the connection status', () => {
  it('is connecting before any socket opened, offline after one closed', () => {
    expect(connectionStatus(facts({ socket: 'connecting' }))).toBe('connecting')
    expect(connectionStatus(facts({ socket: 'disconnected', everConnected: true }))).toBe('offline')
    expect(connectionStatus(facts({ socket: 'connecting', everConnected: true, typed: 5 }))).toBe('offline')
  })

  it('is closed, not connecting or offline, once the server closed the socket for good', () => {
    const closedForGood = { code: 4400, reason: 'awareness state too large' }
    expect(connectionStatus(facts({ socket: 'disconnected', closedForGood }))).toBe('closed')
    expect(connectionStatus(facts({ socket: 'disconnected', everConnected: true, closedForGood }))).toBe('closed')
  })

  it('is syncing while the first exchange runs or typed changes are not yet stored', () => {
    expect(connectionStatus(facts({ socket: 'connected', everConnected: true, synced: false }))).toBe('syncing')
    expect(connectionStatus(facts({ socket: 'connected', everConnected: true, synced: true, typed: 9, stored: 4 }))).toBe('syncing')
  })

  it('is saved only once the server has stored everything typed here', () => {
    expect(connectionStatus(facts({ socket: 'connected', everConnected: true, synced: true, typed: 9, stored: 9 }))).toBe('saved')
    expect(connectionStatus(facts({ socket: 'connected', everConnected: true, synced: true }))).toBe('online')
  })

  it('counts changes as unsaved until stored, whether online or not', () => {
    expect(hasUnsavedChanges(facts({ typed: 3, stored: 2 }))).toBe(true)
    expect(hasUnsavedChanges(facts({ typed: 3, stored: 3 }))).toBe(false)
  })
})

describe('after the session ended', () => {
  it('goes to the login page when nothing is unsaved, and stays with the text when something is', () => {
    expect(afterSessionEnded(facts({ typed: 4, stored: 4 }))).toBeNull()
    expect(afterSessionEnded(facts({ sessionEnded: true, typed: 4, stored: 4 }))).toBe('login')
    expect(afterSessionEnded(facts({ sessionEnded: true, typed: 5, stored: 4 }))).toBe('stay')
  })
})
