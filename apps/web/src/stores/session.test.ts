import type { Person } from '@hemicycle/protocol'
import { describe, expect, it } from 'vitest'
import type { Endpoints } from '../api/endpoints.ts'
import { HttpError } from '../api/http.ts'
import { createSessionStore } from './session.ts'

const claire: Person = {
  id: 'person-claire',
  username: 'claire',
  name: 'Claire Martin',
  role: 'delegate',
  delegation: { id: 'fr-pp', party: 'Parti progressiste', country: 'France' },
}

/** The three session routes, answering as the server would for one known person. */
function routes(options: { loggedIn?: boolean; throttled?: boolean; unreachable?: boolean } = {}): Pick<Endpoints, 'login' | 'logout' | 'me'> {
  let session = options.loggedIn ?? false
  return {
    async login(username, password) {
      if (options.unreachable) throw new HttpError(0, 'unreachable', 'The server cannot be reached.')
      if (options.throttled) throw new HttpError(429, 'too_many_attempts', 'Too many failed logins.')
      if (username !== 'claire' || password !== 'demo') throw new HttpError(401, 'invalid_credentials', 'Wrong.')
      session = true
      return { token: 'opaque', person: claire }
    },
    async logout() {
      session = false
      return null
    },
    async me() {
      if (!session) throw new HttpError(401, 'unauthorized', 'Log in first.')
      return claire
    },
  }
}

describe('the session store', () => {
  it('starts unknown and learns from the server whether the cookie still holds', async () => {
    const known = createSessionStore(routes({ loggedIn: true }))
    expect(known.getState().status).toBe('unknown')
    await known.getState().restore()
    expect(known.getState()).toMatchObject({ status: 'authenticated', person: { username: 'claire' } })

    const unknown = createSessionStore(routes())
    await unknown.getState().restore()
    expect(unknown.getState()).toMatchObject({ status: 'anonymous', person: null })
  })

  it('logs in and out', async () => {
    const store = createSessionStore(routes())
    expect(await store.getState().login('claire', 'demo')).toBe(true)
    expect(store.getState()).toMatchObject({ status: 'authenticated', failure: null })
    await store.getState().logout()
    expect(store.getState()).toMatchObject({ status: 'anonymous', person: null })
  })

  it('tells a wrong password from throttling and from an unreachable server', async () => {
    const wrong = createSessionStore(routes())
    expect(await wrong.getState().login('claire', 'nope')).toBe(false)
    expect(wrong.getState().failure).toBe('failed')
    const throttled = createSessionStore(routes({ throttled: true }))
    await throttled.getState().login('claire', 'demo')
    expect(throttled.getState().failure).toBe('throttled')
    const offline = createSessionStore(routes({ unreachable: true }))
    await offline.getState().login('claire', 'demo')
    expect(offline.getState().failure).toBe('unreachable')
  })
})
