import { readFileSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { expect } from 'vitest'

const catalogue = (language: string) => JSON.parse(readFileSync(new URL(`../apps/web/src/i18n/locales/${language}.json`, import.meta.url), 'utf8')) as unknown
const leaves = (value: unknown): string[] => (typeof value === 'string' ? [value] : typeof value === 'object' && value ? Object.values(value).flatMap(leaves) : [])
const french = leaves(catalogue('fr')).join('\n')
/** The English catalogue's sentences (the parts between placeholders long enough to be words of a sentence) that French does not share. */
const english = [
  ...new Set(
    leaves(catalogue('en'))
      .flatMap((text) => text.split(/\{\{[^}]+\}\}/))
      .map((part) => part.trim())
      .filter((part) => part.length >= 12 && !french.includes(part)),
  ),
]

/** Text as read, with French's no-break spaces as plain ones. */
export const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ')

/** Fails if the page shows a sentence of the English catalogue: a French page must be French throughout. */
export async function noEnglish(page: Page): Promise<void> {
  const visible = await page.locator('body').innerText()
  expect(english.filter((sentence) => visible.includes(sentence))).toEqual([])
}
