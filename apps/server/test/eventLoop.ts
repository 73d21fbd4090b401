import { expect } from 'vitest'
import type { TestServer } from './harness.ts'

/**
 * How late a 10 ms timer fired at worst while `run` ran, in ms: how long the
 * event loop was held (everyone's typing waits as long). Measured one tick
 * past the end, so a loop held to the very end is counted.
 */
export async function lateness(run: () => Promise<unknown>): Promise<number> {
  let longest = 0
  let last = performance.now()
  const timer = setInterval(() => {
    const now = performance.now()
    longest = Math.max(longest, now - last - 10)
    last = now
  }, 10)
  try {
    await run()
    await new Promise((resolve) => setTimeout(resolve, 30))
  } finally {
    clearInterval(timer)
  }
  return longest
}

/** A long resolution imported from Markdown by `token` (the secretariat's): `count` paragraphs with some bold and italic. */
export async function longResolution(server: TestServer, token: string, count: number): Promise<string> {
  const markdown = `---\ntitle: Longue résolution\nlanguage: fr\n---\n\n${Array.from({ length: count }, (_, index) => `Le Conseil décide, au paragraphe ${index + 1}, **de renforcer** la *cohésion* sociale et le progrès commun des peuples.`).join('\n\n')}\n`
  const form = new FormData()
  form.set('file', new File([markdown], 'long.md'))
  const response = await server.api('/api/resolutions/import', { method: 'POST', body: form, token })
  expect(response.status).toBe(201)
  return ((await response.json()) as { id: string }).id
}
