import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

/**
 * Every code the server refuses with is worded in the interface, in each of
 * its languages: the interface never shows the server's English sentence,
 * and a code it does not know reads "The server refused (code text_behind)"
 * — to a chair whose decision was not taken, no reason and no next step.
 * The codes are read from the server's source (each refusal names its code
 * as a literal), so a new refusal without its words fails here.
 */

/** The server, and the pure rules whose refusals it passes on as they are. */
const SOURCES = [join(import.meta.dirname, '../src'), join(import.meta.dirname, '../../../packages/rules/src')]
const LOCALES = join(import.meta.dirname, '../../web/src/i18n/locales')

function sourceFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name)
    if (statSync(path).isDirectory()) return sourceFiles(path)
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [path] : []
  })
}

/** The codes of `new ApiError(status, 'code', …)`, of the helpers that take the code first (conflict, unprocessable…), and the rules' `refusal(status, 'code', …)`. */
const REFUSAL = /new ApiError\(\s*\d+,\s*'([a-z_]+)'|\b(?:badRequest|conflict|unprocessable)\(\s*'([a-z_]+)'|\brefusal\(\s*\d+,\s*'([a-z_]+)'/g

function refusalCodes(): Set<string> {
  const codes = new Set<string>()
  for (const file of SOURCES.flatMap(sourceFiles)) for (const [, ...found] of readFileSync(file, 'utf8').matchAll(REFUSAL)) codes.add(found.find((code) => code !== undefined)!)
  return codes
}

describe('the server’s refusals', () => {
  it('are found in its source (the scan itself reads what it should)', () => {
    const codes = refusalCodes()
    for (const known of ['conflict', 'obsolete', 'text_behind', 'saving_delayed', 'export_busy', 'deadline_passed', 'council_full']) expect(codes).toContain(known)
    expect(codes.size).toBeGreaterThan(60)
  })

  it('are each worded in English, French and Spanish', () => {
    const codes = [...refusalCodes()].sort()
    for (const language of ['en', 'fr', 'es']) {
      const errors = (JSON.parse(readFileSync(join(LOCALES, `${language}.json`), 'utf8')) as { errors: Record<string, string> }).errors
      expect(
        codes.filter((code) => !errors[code]),
        `${language}.json has no words for these refusals`,
      ).toEqual([])
    }
  })
})
