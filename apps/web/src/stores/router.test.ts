import { describe, expect, it } from 'vitest'
import { hrefOf, parseRoute } from './router.ts'

describe('routes', () => {
  it('read the address bar and write it back', () => {
    expect(parseRoute('/')).toEqual({ page: 'resolutions' })
    expect(parseRoute('/resolutions/abc%20d')).toEqual({ page: 'resolution', id: 'abc d' })
    expect(parseRoute('/elsewhere')).toEqual({ page: 'notFound' })
    expect(hrefOf({ page: 'resolution', id: 'abc d' })).toBe('/resolutions/abc%20d')
    expect(parseRoute(hrefOf({ page: 'resolution', id: 'x/y' }))).toEqual({ page: 'resolution', id: 'x/y' })
    expect(parseRoute('/resolutions/abc/print')).toEqual({ page: 'print', id: 'abc', what: 'text' })
    expect(parseRoute(hrefOf({ page: 'print', id: 'abc', what: 'booklet' }))).toEqual({ page: 'print', id: 'abc', what: 'booklet' })
    expect(parseRoute('/resolutions/abc/desk/')).toEqual({ page: 'desk', id: 'abc' })
    expect(parseRoute(hrefOf({ page: 'desk', id: 'r 1' }))).toEqual({ page: 'desk', id: 'r 1' })
    expect(parseRoute(hrefOf({ page: 'translation', id: 'r 1', language: 'es' }))).toEqual({ page: 'translation', id: 'r 1', language: 'es' })
    expect(parseRoute('/resolutions/r/languages/de')).toEqual({ page: 'notFound' })
    expect(parseRoute('/meetings')).toEqual({ page: 'meetings' })
    expect(parseRoute(hrefOf({ page: 'people' }))).toEqual({ page: 'people' })
    expect(parseRoute('/people/')).toEqual({ page: 'people' })
    expect(parseRoute(hrefOf({ page: 'meeting', id: 'kl 2019' }))).toEqual({ page: 'meeting', id: 'kl 2019' })
    expect(parseRoute(hrefOf({ page: 'newResolution' }))).toEqual({ page: 'newResolution' })
    expect(parseRoute(hrefOf({ page: 'audit', id: 'r 1' }))).toEqual({ page: 'audit', id: 'r 1' })
  })
})
