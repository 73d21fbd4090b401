import type { Delegation, Resolution } from '@hemicycle/protocol'
import { request as httpRequest } from 'node:http'
import * as encoding from 'lib0/encoding'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../src/db/open.ts'
import { awarenessMessage, connectClient, ENGINES, eventually, expectError, freshPostgresUrl, memoryDatabase, openRaw, slowed, startTestServer, type TestServer } from './harness.ts'

/**
 * The routes issue 12 added, attacked by a hostile participant with a
 * hand-written client: every refusal is the contract's error shape with a
 * clear code, never a 500, and changes nothing (resolutions, delegations and
 * the audit log are compared before and after).
 */
let server: TestServer
const tokens: Record<string, string> = {}
const OTHER_ROLES = ['claire', 'ingrid', 'mateo', 'tomas', 'traductrice'] as const

beforeAll(async () => {
  server = await startTestServer({ DATA_DIR: 'memory://', LOG_LEVEL: 'error' })
  for (const username of ['secretariat', ...OTHER_ROLES]) tokens[username] = await server.login(username)
})
afterAll(() => server?.close())

const secretariat = () => tokens['secretariat']!

function call(method: string, path: string, body?: unknown, { token = secretariat(), type = 'application/json' }: { token?: string | null; type?: string } = {}) {
  return server.api(path, {
    method,
    ...(token ? { token } : {}),
    ...(body === undefined ? {} : { headers: { 'content-type': type }, body: typeof body === 'string' ? body : JSON.stringify(body) }),
  })
}

/** A request sent with its path exactly as written (no `..` resolved), answered with its status and error code. */
function raw(method: string, path: string, body?: unknown, token = secretariat()): Promise<{ status: number; code: string | undefined }> {
  const url = new URL(server.url)
  const payload = body === undefined ? undefined : JSON.stringify(body)
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      { host: url.hostname, port: url.port, method, path, headers: { authorization: `Bearer ${token}`, ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}) } },
      (response) => {
        let text = ''
        response.on('data', (chunk: Buffer) => (text += chunk.toString()))
        response.on('end', () => {
          let code: string | undefined
          try {
            code = (JSON.parse(text) as { error?: { code?: string } }).error?.code
          } catch {
            code = `not JSON: ${text.slice(0, 100)}`
          }
          resolve({ status: response.statusCode ?? 0, code })
        })
      },
    )
    request.on('error', reject)
    request.end(payload)
  })
}

const listOf = async <T>(path: string): Promise<T> => (await (await call('GET', path)).json()) as T

/** What a refusal must leave as it was: the resolutions, the delegations, the audit log. */
async function state() {
  return { resolutions: await listOf<Resolution[]>('/api/resolutions'), delegations: await listOf<Delegation[]>('/api/delegations'), audit: await listOf<unknown[]>('/api/audit') }
}

async function unchanged(attack: () => Promise<void>) {
  const before = await state()
  await attack()
  expect(await state()).toEqual(before)
}

const create = (body: unknown, options?: Parameters<typeof call>[3]) => call('POST', '/api/resolutions', body, options)

async function newDelegation(party: string, country: string): Promise<Delegation> {
  const response = await call('POST', '/api/delegations', { party, country })
  expect(response.status).toBe(201)
  return (await response.json()) as Delegation
}

describe('POST /api/resolutions, attacked', () => {
  it('refuses every role but the secretariat, and no token, creating nothing', async () => {
    await unchanged(async () => {
      for (const username of OTHER_ROLES) await expectError(await create({ title: 'Mine', language: 'fr' }, { token: tokens[username]! }), 403, 'forbidden')
      await expectError(await create({ title: 'Mine', language: 'fr' }, { token: null }), 401, 'unauthorized')
      await expectError(await create({ title: 'Mine', language: 'fr' }, { token: 'forged-token' }), 401, 'unauthorized')
    })
  })

  it('refuses bodies that are not a new resolution with 400, creating nothing', async () => {
    const bodies: Array<[unknown, string]> = [
      [[], 'invalid_request'],
      ['"a title"', 'invalid_request'],
      ['null', 'invalid_request'],
      ['42', 'invalid_request'],
      ['{"title": "T", "language": ', 'malformed_json'],
      [{ language: 'fr' }, 'invalid_request'],
      [{ title: 'T' }, 'invalid_request'],
      [{ title: 42, language: 'fr' }, 'invalid_request'],
      [{ title: ['T'], language: 'fr' }, 'invalid_request'],
      [{ title: { toString: 'T' }, language: 'fr' }, 'invalid_request'],
      [{ title: 'T', language: ['fr'] }, 'invalid_request'],
      [{ title: 'T', language: 'FR' }, 'invalid_request'],
      [{ title: 'T', language: 'fr', event: 7 }, 'invalid_request'],
      [{ title: ' \t\n ', language: 'fr' }, 'invalid_request'],
      [{ title: '\u00a0\u3000\u2003', language: 'fr' }, 'invalid_request'],
      [{ title: '\u200b\u200d\u202e\u2066', language: 'fr' }, 'invalid_request'],
      [{ title: 'x'.repeat(501), language: 'fr' }, 'invalid_request'],
      [{ title: 'T', language: 'fr', event: 'x'.repeat(501) }, 'invalid_request'],
      [{ title: 'Titre\u0000caché', language: 'fr' }, 'invalid_character'],
      [{ title: 'Titre', language: 'fr', event: '\u0000' }, 'invalid_character'],
      [{ title: 'Titre\u0007\u001b[2J', language: 'fr' }, 'invalid_character'],
      [{ title: 'T', language: 'fr', stage: 'adopted' }, 'invalid_request'],
      [{ title: 'T', language: 'fr', id: 'res-chosen' }, 'invalid_request'],
    ]
    await unchanged(async () => {
      for (const [body, code] of bodies) {
        const response = await create(body)
        await expectError(response, 400, code).catch((error: Error) => {
          throw new Error(`${JSON.stringify(body).slice(0, 60)}: ${error.message}`)
        })
      }
    })
  })

  it('refuses a body that is not JSON, or over the JSON limit, creating nothing', async () => {
    await unchanged(async () => {
      await expectError(await create('title=T&language=fr', { type: 'application/x-www-form-urlencoded' }), 415, 'unsupported_media_type')
      await expectError(await create(JSON.stringify({ title: 'T', language: 'fr' }), { type: 'text/plain' }), 415, 'unsupported_media_type')
      await expectError(await create({ title: 'x'.repeat(1024 * 1024), language: 'fr' }), 413, 'payload_too_large')
    })
  })

  it('stores a title without its invisible format characters, composed (NFC), on one line', async () => {
    const response = await create({ title: '\u202eRésolution\u200b sur l\u2019e\u0301cole\u202c\n\tpublique ', language: 'fr', event: 'Conseil\u2066 2026' })
    expect(response.status).toBe(201)
    const created = (await response.json()) as Resolution
    expect(created.title).toBe('Résolution sur l\u2019école publique')
    expect(created.title.normalize('NFC')).toBe(created.title)
    expect(created.event).toBe('Conseil 2026')
    const markdown = await (await call('GET', `/api/resolutions/${created.id}/export.md`)).text()
    expect(markdown).toContain('title: "Résolution sur l\u2019école publique"')
  })

  it('gives two drafts of one title two ids, and a 500-character title whole', async () => {
    const title = 'é'.repeat(500)
    const [one, two] = await Promise.all([create({ title, language: 'en' }), create({ title, language: 'en' })])
    expect([one.status, two.status]).toEqual([201, 201])
    const [a, b] = [(await one.json()) as Resolution, (await two.json()) as Resolution]
    expect(a.id).not.toBe(b.id)
    expect(a.title).toBe(title)
  })
})

describe('POST /api/resolutions/import with title and language, attacked', () => {
  const file = () => new File(['---\ntitle: Titre du fichier\nlanguage: fr\n---\n\nPremier paragraphe.\n'], 'texte.md')
  const upload = (fields: Record<string, string | Blob>, { token = secretariat(), query = '' } = {}) => {
    const form = new FormData()
    form.append('file', file())
    for (const [name, value] of Object.entries(fields)) form.append(name, value)
    return server.api(`/api/resolutions/import${query}`, { method: 'POST', body: form, token })
  }

  it('refuses a hostile title or language with a clear code, creating nothing', async () => {
    await unchanged(async () => {
      await expectError(await upload({ title: 'x'.repeat(1024 * 1024) }), 400, 'invalid_request')
      await expectError(await upload({ title: 'x'.repeat(501) }), 400, 'invalid_request')
      await expectError(await upload({ title: 'Titre\u0000' }), 400, 'invalid_character')
      await expectError(await upload({ title: 'Titre\u0000' }, { query: '?dryRun=1' }), 400, 'invalid_character')
      await expectError(await upload({ title: 'Titre\u001b' }), 400, 'invalid_character')
      await expectError(await upload({ title: new File(['Titre'], 'title.txt') }), 400, 'invalid_request')
      await expectError(await upload({ language: 'de' }), 400, 'invalid_request')
      await expectError(await upload({ language: 'x'.repeat(100_000) }), 400, 'invalid_request')
      for (const username of OTHER_ROLES) await expectError(await upload({ title: 'Mine' }, { token: tokens[username]! }), 403, 'forbidden')
    })
  })

  it('takes a title of format characters only as no title (the file’s is kept), and strips them from a real one', async () => {
    const blank = await upload({ title: '\u200b\u202e \u2066' })
    expect(blank.status).toBe(201)
    expect(((await blank.json()) as Resolution).title).toBe('Titre du fichier')
    const stripped = await upload({ title: 'Titre\u202e choisi', language: 'es' })
    expect(stripped.status).toBe(201)
    expect(await stripped.json()).toMatchObject({ title: 'Titre choisi', language: 'es' })
  })

  it('keeps a file’s own title on one line without invisible characters, and refuses one with a control character', async () => {
    const form = (frontMatter: string) => {
      const body = new FormData()
      body.append('file', new File([`---\n${frontMatter}\nlanguage: fr\n---\n\nPremier paragraphe.\n`], 'texte.md'))
      return server.api('/api/resolutions/import', { method: 'POST', body, token: secretariat() })
    }
    const cleaned = await form('title: "\\u202eR\\u00e9solution\\u200b\\n sur\\tle texte"\nevent: "Conseil\\u2066"')
    expect(cleaned.status).toBe(201)
    expect(await cleaned.json()).toMatchObject({ title: 'Résolution sur le texte', event: 'Conseil' })
    await unchanged(async () => {
      await expectError(await form('title: "Titre\\a"'), 400, 'invalid_character')
      await expectError(await form('title: "\\u200b\\u202e"'), 422, 'missing_title')
    })
  })

  it('refuses a multipart body of 6 MiB of title as too large, creating nothing', async () => {
    await unchanged(async () => {
      await expectError(await upload({ title: 'x'.repeat(6 * 1024 * 1024) }), 413, 'payload_too_large')
    })
  })
})

describe('PATCH and DELETE /api/delegations/<did>, attacked', () => {
  it('refuses every role but the secretariat, and no token, changing nothing', async () => {
    const target = await newDelegation('Parti cible', 'Belgium')
    await unchanged(async () => {
      for (const username of OTHER_ROLES) {
        await expectError(await call('PATCH', `/api/delegations/${target.id}`, { party: 'Pris' }, { token: tokens[username]! }), 403, 'forbidden')
        await expectError(await call('DELETE', `/api/delegations/${target.id}`, undefined, { token: tokens[username]! }), 403, 'forbidden')
      }
      await expectError(await call('PATCH', `/api/delegations/${target.id}`, { party: 'Pris' }, { token: null }), 401, 'unauthorized')
      await expectError(await call('DELETE', `/api/delegations/${target.id}`, undefined, { token: null }), 401, 'unauthorized')
    })
  })

  it('refuses malformed bodies and ids with 400 or 404, changing nothing', async () => {
    const target = await newDelegation('Parti intact', 'Belgium')
    const patches: Array<[unknown, string]> = [
      [[], 'invalid_request'],
      ['"Parti"', 'invalid_request'],
      ['null', 'invalid_request'],
      ['{"party": ', 'malformed_json'],
      [{}, 'invalid_request'],
      [{ party: null }, 'invalid_request'],
      [{ party: 7 }, 'invalid_request'],
      [{ party: ['Parti'] }, 'invalid_request'],
      [{ party: '   ' }, 'invalid_request'],
      [{ party: '\u200b\u202e' }, 'invalid_request'],
      [{ country: '\u3000' }, 'invalid_request'],
      [{ party: 'x'.repeat(201) }, 'invalid_request'],
      [{ country: 'x'.repeat(101) }, 'invalid_request'],
      [{ party: 'P', id: 'fr-pp' }, 'invalid_request'],
      [{ party: 'P\u0000' }, 'invalid_character'],
      [{ country: 'Belgium\u0008' }, 'invalid_character'],
    ]
    await unchanged(async () => {
      for (const [body, code] of patches) {
        await expectError(await call('PATCH', `/api/delegations/${target.id}`, body), 400, code).catch((error: Error) => {
          throw new Error(`${JSON.stringify(body).slice(0, 60)}: ${error.message}`)
        })
      }
      await expectError(await call('PATCH', `/api/delegations/${target.id}`, 'party=X', { type: 'application/x-www-form-urlencoded' }), 415, 'unsupported_media_type')
      for (const id of ['..', '..%2F..%2Fpeople', 'fr-pp%2F..', '%2e%2e', '.%2E', encodeURIComponent('fr-pp\u202e'), 'FR-PP', 'fr-pp%20']) {
        for (const method of ['PATCH', 'DELETE']) {
          const answer = await raw(method, `/api/delegations/${id}`, method === 'PATCH' ? { party: 'Volé' } : undefined)
          expect({ id, method, status: answer.status, code: answer.code }).toEqual({ id, method, status: 404, code: 'not_found' })
        }
      }
      await expectError(await call('PATCH', `/api/delegations/${'x'.repeat(10_000)}`, { party: 'Volé' }), 400, 'invalid_request')
      await expectError(await call('DELETE', `/api/delegations/${'x'.repeat(10_000)}`), 400, 'invalid_request')
      await expectError(await call('DELETE', '/api/delegations/fr-pp%00'), 400, 'invalid_character')
    })
    const response = await call('DELETE', '/api/delegations/')
    expect(response.status).toBe(404)
  })

  it('refuses a rename that collides with another delegation under case, white space, invisible characters or decomposition', async () => {
    await newDelegation('Parti Écologiste', 'Côte d’Ivoire')
    const target = await newDelegation('Parti vert', 'Bénin')
    await unchanged(async () => {
      for (const party of ['PARTI ÉCOLOGISTE', 'parti écologiste', 'Parti  Écologiste', ' Parti Écologiste\t', 'Parti\u200b Écologiste', 'Parti E\u0301cologiste', '\u202eParti Écologiste']) {
        await expectError(await call('PATCH', `/api/delegations/${target.id}`, { party, country: 'CÔTE D’IVOIRE' }), 409, 'delegation_exists').catch((error: Error) => {
          throw new Error(`${JSON.stringify(party)}: ${error.message}`)
        })
        await expectError(await call('POST', '/api/delegations', { party, country: 'Co\u0302te d’Ivoire' }), 409, 'delegation_exists')
      }
    })
  })

  it('stores a renamed party composed, without invisible characters, and presence carries it as stored', async () => {
    const target = await newDelegation('Parti du Nord', 'Benin')
    const response = await call('PATCH', `/api/delegations/${target.id}`, { party: '\u202eParti  du\u200b Sud ', country: 'Be\u0301nin' })
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ id: target.id, party: 'Parti du Sud', country: 'Bénin' })
    expect((await listOf<Delegation[]>('/api/delegations')).find((delegation) => delegation.id === target.id)).toEqual({ id: target.id, party: 'Parti du Sud', country: 'Bénin' })
  })

  it('keeps a delegation someone is logged in with, and their session works on', async () => {
    const target = await newDelegation('Parti occupé', 'Togo')
    expect((await call('POST', '/api/people', { username: 'occupant', name: 'Un Occupant', role: 'delegate', delegationId: target.id, password: 'correct horse battery' })).status).toBe(201)
    const occupant = await server.login('occupant', 'correct horse battery')
    await unchanged(async () => {
      await expectError(await call('DELETE', `/api/delegations/${target.id}`), 409, 'delegation_in_use')
    })
    expect(await (await call('GET', '/api/me', undefined, { token: occupant })).json()).toMatchObject({ delegation: { id: target.id } })
  })

})

describe.each(ENGINES)('delegations raced on %s', (engine) => {
  let on: { call: typeof call; newDelegation: typeof newDelegation; listOf: typeof listOf }
  beforeAll(async () => {
    // Every query 100 ms late, so a removal's counting overlaps the other request's checks and writes.
    const db = slowed(await (engine === 'postgres' ? openDatabase({ url: await freshPostgresUrl(), dataDir: '' }) : memoryDatabase()))
    const racing = await startTestServer({ LOG_LEVEL: 'error' }, { db })
    const token = await racing.login('secretariat')
    db.delayMs = 100
    afterAll(async () => {
      await racing.close()
      await db.close()
    })
    const raceCall = (method: string, path: string, body?: unknown) =>
      racing.api(path, { method, token, ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }) })
    on = {
      call: raceCall,
      newDelegation: async (party, country) => {
        const response = await raceCall('POST', '/api/delegations', { party, country })
        expect(response.status).toBe(201)
        return (await response.json()) as Delegation
      },
      listOf: async <T>(path: string) => (await (await raceCall('GET', path)).json()) as T,
    }
  })

  it('settles a rename and a removal racing, without a 500, as one order or the other', async () => {
    for (let round = 0; round < 3; round++) {
      const target = await on.newDelegation(`Parti éphémère ${round}`, 'Niger')
      const [renamed, removed] = await Promise.all([on.call('PATCH', `/api/delegations/${target.id}`, { party: `Parti renommé ${round}` }), on.call('DELETE', `/api/delegations/${target.id}`)])
      expect(removed.status).toBe(204)
      expect([200, 404]).toContain(renamed.status)
      expect((await on.listOf<Delegation[]>('/api/delegations')).some((delegation) => delegation.id === target.id)).toBe(false)
    }
  })

  it('lets only one of two renames to the same name win', async () => {
    const [one, two] = [await on.newDelegation('Parti A', 'Mali'), await on.newDelegation('Parti B', 'Mali')]
    const answers = await Promise.all([on.call('PATCH', `/api/delegations/${one.id}`, { party: 'Parti unique' }), on.call('PATCH', `/api/delegations/${two.id}`, { party: 'PARTI UNIQUE' })])
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409])
  })

  it('answers a person created in a delegation being removed with a clear refusal, never a 500', async () => {
    for (let round = 0; round < 3; round++) {
      const target = await on.newDelegation(`Parti disputé ${round}`, 'Gabon')
      const [created, removed] = await Promise.all([
        on.call('POST', '/api/people', { username: `dispute${round}`, name: 'Un Disputé', role: 'delegate', delegationId: target.id, password: 'correct horse battery' }),
        on.call('DELETE', `/api/delegations/${target.id}`),
      ])
      if (removed.status === 204) await expectError(created, 404, 'not_found')
      else {
        expect(created.status).toBe(201)
        await expectError(removed, 409, 'delegation_in_use')
      }
    }
  })

  it('answers a delegation seated on a roll while it is removed with a clear refusal, never a 500', async () => {
    const meeting = await on.call('POST', '/api/meetings', { kind: 'council', title: 'Conseil', startsAt: '2099-01-01T09:00:00Z', endsAt: '2099-01-01T18:00:00Z' })
    expect(meeting.status).toBe(201)
    const { id } = (await meeting.json()) as { id: string }
    for (let round = 0; round < 3; round++) {
      const target = await on.newDelegation(`Parti assis ${round}`, 'Congo')
      const [seated, removed] = await Promise.all([on.call('PUT', `/api/meetings/${id}/roll/${target.id}`, { votingId: null, substituteIds: [], registeredIds: [] }), on.call('DELETE', `/api/delegations/${target.id}`)])
      if (removed.status === 204) await expectError(seated, 404, 'not_found')
      else {
        expect(seated.status).toBe(200)
        await expectError(removed, 409, 'delegation_in_use')
      }
    }
  })
})

describe('presence with party and country, attacked', () => {
  it('carries the party and country the server knows, never those a raw client claims, nor a forged delegation', async () => {
    const observer = connectClient(server.wsUrl, server.resolutionId, tokens['ingrid']!)
    await observer.synced
    const attacker = await openRaw(server.wsUrl, `/collab/${server.resolutionId}?token=${tokens['claire']}`)
    try {
      const encoder = encoding.createEncoder()
      encoding.writeVarUint(encoder, 1)
      encoding.writeVarUint(encoder, 777_001)
      encoding.writeVarUint(encoder, 1)
      const forged = { id: 'person-ama', name: 'Ama Owusu', role: 'secretariat', delegation: 'Ghana SDP (Ghana)', delegationId: 'gh-sdp', party: '\u202eSDP\u0000', country: 'x'.repeat(3000), color: '#000000' }
      encoding.writeVarString(encoder, JSON.stringify({ user: forged, cursor: null }))
      attacker.socket.send(awarenessMessage(encoding.toUint8Array(encoder)))
      const seen = await eventually(() => {
        const state = observer.provider.awareness.getStates().get(777_001) as { user?: Record<string, unknown> } | undefined
        expect(state?.user).toBeDefined()
        return state!.user!
      })
      const claire = (await (await call('GET', '/api/me', undefined, { token: tokens['claire']! })).json()) as { delegation: Delegation }
      expect(seen).toMatchObject({ id: 'person-claire', role: 'delegate', delegationId: 'fr-pp', party: claire.delegation.party, country: claire.delegation.country })
    } finally {
      attacker.socket.close()
      observer.destroy()
    }
  })
})

describe('booklet filters, attacked', () => {
  const booklet = (query: string, token = tokens['tomas']!) => call('GET', `/api/resolutions/${server.resolutionId}/booklet.pdf${query}`, undefined, { token })

  it('refuses arrays, huge values, unknown statuses and delegations with a clear code', async () => {
    const cases: Array<[string, number, string]> = [
      ['?status=tabled&status=withdrawn', 400, 'invalid_request'],
      ['?delegation=fr-pp&delegation=gh-sdp', 400, 'invalid_request'],
      [`?status=${'x'.repeat(10_000)}`, 400, 'invalid_request'],
      [`?delegation=${'x'.repeat(10_000)}`, 400, 'invalid_request'],
      ['?status=adopted', 400, 'invalid_status'],
      ['?status=TABLED', 400, 'invalid_status'],
      ['?status=__proto__', 400, 'invalid_status'],
      ['?status=tabled%00', 400, 'invalid_character'],
      ['?delegation=nowhere', 404, 'not_found'],
      ['?delegation=..%2F..%2Fpeople', 404, 'not_found'],
      ['?beside=de', 400, 'invalid_request'],
    ]
    await unchanged(async () => {
      for (const [query, status, code] of cases) {
        for (const format of ['pdf', 'docx']) {
          const response = await call('GET', `/api/resolutions/${server.resolutionId}/booklet.${format}${query}`, undefined, { token: tokens['tomas']! })
          await expectError(response, status, code).catch((error: Error) => {
            throw new Error(`${format} ${query.slice(0, 60)}: ${error.message}`)
          })
        }
      }
      await expectError(await booklet('', ''), 401, 'unauthorized')
    })
  })

  it('prints a filtered booklet for an ordinary filter', async () => {
    const response = await booklet('?status=tabled&delegation=fr-pp')
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('application/pdf')
  })
})

describe('GET /api/resolutions/<id>/audit, attacked', () => {
  it('is the secretariat’s alone: every other role 403, no token 401', async () => {
    for (const username of OTHER_ROLES) await expectError(await call('GET', `/api/resolutions/${server.resolutionId}/audit`, undefined, { token: tokens[username]! }), 403, 'forbidden')
    await expectError(await call('GET', `/api/resolutions/${server.resolutionId}/audit`, undefined, { token: null }), 401, 'unauthorized')
    for (const username of OTHER_ROLES) await expectError(await call('GET', '/api/audit', undefined, { token: tokens[username]! }), 403, 'forbidden')
  })

  it('answers unknown, traversing and oversized ids with 404 or 400, never another resolution’s log', async () => {
    // Sent as written: fetch would resolve `..` itself, as a browser does, and ask for /api/audit.
    for (const id of ['nowhere', `${server.resolutionId}%2F..`, `..%2F${server.resolutionId}`, `${server.resolutionId}%20`, `${server.resolutionId.toUpperCase()}`]) {
      const answer = await raw('GET', `/api/resolutions/${id}/audit`)
      expect({ id, status: answer.status, code: answer.code }).toEqual({ id, status: 404, code: 'not_found' })
    }
    // `..` is resolved by the server as by any URL parser: /api/resolutions/../audit is the whole log, the secretariat's alone too.
    for (const path of ['/api/resolutions/../audit', '/api/resolutions/%2e%2e/audit', `/api/resolutions/${server.resolutionId}/../../audit`]) {
      for (const username of OTHER_ROLES) expect({ path, username, ...(await raw('GET', path, undefined, tokens[username]!)) }).toEqual({ path, username, status: 403, code: 'forbidden' })
    }
    await expectError(await call('GET', `/api/resolutions/${'x'.repeat(10_000)}/audit`), 400, 'invalid_request')
    await expectError(await call('GET', `/api/resolutions/${server.resolutionId}%00/audit`), 400, 'invalid_character')
  })
})
