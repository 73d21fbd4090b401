import { describe, expect, it } from 'vitest'
import { readConfig } from './config.ts'

describe('durations in the configuration', () => {
  // Node runs a timer longer than 2^31 - 1 ms after 1 ms: a heartbeat "turned off" with a huge period ended every socket at once.
  it.each(['HEARTBEAT_MS', 'UNLOAD_AFTER_MS', 'COMPACT_EVERY_MS', 'SHUTDOWN_TIMEOUT_MS', 'RELEASE_MEMORY_AFTER_MS', 'FENCE_TIMEOUT_MS', 'TAKE_OVER_AFTER_MS'])(
    'refuses %s longer than a timer can wait, at start, naming it',
    (name) => {
      expect(() => readConfig({ [name]: String(2 ** 31) })).toThrow(new RegExp(`${name}: .*2147483647`))
      expect(readConfig({ [name]: String(2 ** 31 - 1) })[name as 'HEARTBEAT_MS']).toBe(2 ** 31 - 1)
    },
  )
})

describe('the embedded database template', () => {
  it('is none when unset or empty, and a relative path is taken from the repository, as DATA_DIR', () => {
    expect(readConfig({}).PGLITE_TEMPLATE).toBeUndefined()
    expect(readConfig({ PGLITE_TEMPLATE: '' }).PGLITE_TEMPLATE).toBeUndefined()
    expect(readConfig({ PGLITE_TEMPLATE: '/srv/template.tar.gz' }).PGLITE_TEMPLATE).toBe('/srv/template.tar.gz')
    const relative = readConfig({ PGLITE_TEMPLATE: 'data/template.tar.gz', DATA_DIR: 'data' })
    expect(relative.PGLITE_TEMPLATE).toBe(`${relative.DATA_DIR}/template.tar.gz`)
  })
})
