import { describe, expect, it } from 'vitest'
import { readConfig } from '../config.ts'
import { DEFAULT_PASSWORD_COST, Passwords } from './passwords.ts'

describe('passwords', () => {
  it('are hashed with scrypt at N = 16384 unless PASSWORD_COST says otherwise, which must be a power of two from 1024 to 65536', async () => {
    expect(readConfig({}).PASSWORD_COST).toBe(16384)
    expect(DEFAULT_PASSWORD_COST).toBe(16384)
    expect(await new Passwords().hash('demo')).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/)
    expect(readConfig({ PASSWORD_COST: '2048' }).PASSWORD_COST).toBe(2048)
    expect([readConfig({ PASSWORD_COST: '1024' }).PASSWORD_COST, readConfig({ PASSWORD_COST: '65536' }).PASSWORD_COST]).toEqual([1024, 65536])
    expect(() => readConfig({ PASSWORD_COST: '1000' })).toThrow(/PASSWORD_COST: PASSWORD_COST must be a power of two/)
    for (const refused of ['512', '131072', 'cheap']) expect(() => readConfig({ PASSWORD_COST: refused }), refused).toThrow(/PASSWORD_COST:/)
  })

  it('verify whatever cost they were hashed at, so changing the setting locks nobody out', async () => {
    const cheap = new Passwords(1024)
    const dear = new Passwords(16384)
    const madeCheap = await cheap.hash('dix-huit caractères')
    const madeDear = await dear.hash('dix-huit caractères')
    expect(madeCheap).toMatch(/^scrypt\$1024\$/)
    expect([await dear.verify('dix-huit caractères', madeCheap), await cheap.verify('dix-huit caractères', madeDear)]).toEqual([true, true])
    expect([await dear.verify('dix-huit caracteres', madeCheap), await cheap.verify('Dix-huit caractères', madeDear)]).toEqual([false, false])
    // Composed and decomposed accents are one password.
    expect(await dear.verify('dix-huit caracte\u0300res', madeDear)).toBe(true)
  })

  it('refuses, without throwing, a stored hash this server would not have written', async () => {
    const passwords = new Passwords(1024)
    const [scheme, N, r, p, salt, key] = (await passwords.hash('secret')).split('$') as [string, string, string, string, string, string]
    const made = (parts: Partial<Record<'N' | 'r' | 'p' | 'salt' | 'key', string>>) => [scheme, parts.N ?? N, parts.r ?? r, parts.p ?? p, parts.salt ?? salt, parts.key ?? key].join('$')
    expect(await passwords.verify('secret', made({}))).toBe(true)
    for (const forged of [
      made({ key: '=' }), // an empty key: timingSafeEqual of two empty buffers would say yes to any password
      made({ key: key.slice(0, 4) }),
      made({ N: '1000' }),
      made({ N: '0' }),
      made({ N: '131072' }),
      made({ N: 'many' }),
      made({ r: '1024' }),
      made({ p: '64' }),
      made({ salt: '' }),
      `${made({})}$extra`,
      'plain:secret',
      '',
    ]) {
      expect(await passwords.verify('secret', forged), forged).toBe(false)
      expect(passwords.outdated(forged), forged).toBe(true)
    }
    expect(() => new Passwords(1000)).toThrow(/power of two/)
  })

  it('say which stored hashes were made at another cost than the configured one', async () => {
    const [cheap, dear] = [new Passwords(1024), new Passwords(2048)]
    const hash = await cheap.hash('secret')
    expect([cheap.outdated(hash), dear.outdated(hash)]).toEqual([false, true])
  })

  it('refuses a missing or malformed hash, checking one at its own cost all the same when none is stored', async () => {
    const passwords = new Passwords(65536)
    const stored = await passwords.hash('secret')
    expect(await passwords.verify('secret', null)).toBe(false)
    expect(await passwords.verify('', undefined)).toBe(false)
    expect(await passwords.verify('secret', 'plain:secret')).toBe(false)
    // Unknown usernames cost what known ones do (no timing tells which exist): at 65536, a check takes ~200 ms, a bare
    // refusal none. The best of three each, so one late timer cannot decide it.
    const best = async (work: () => Promise<unknown>) => {
      let least = Infinity
      for (let i = 0; i < 3; i++) {
        const started = performance.now()
        await work()
        least = Math.min(least, performance.now() - started)
      }
      return least
    }
    const known = await best(() => passwords.verify('wrong', stored))
    const unknown = await best(() => passwords.verify('wrong', null))
    expect(unknown).toBeGreaterThan(known / 2)
  })
})
