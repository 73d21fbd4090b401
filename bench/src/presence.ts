import { sleep } from './body.ts'
import { startLoadClients } from './loadClients.ts'
import type { ServerUnderTest } from './servers.ts'

/** y-protocols renews each client's state every 15 s. */
const RENEWAL_PERIOD_MS = 15_000
/** The part of a renewal period measured (each client renews in it with that probability), to keep the benchmark short. */
const WINDOW_MS = 5000
/** The window also takes in what a server holds back for up to a second (Hemicycle's renewals) and what is sent back for it. */
const TAIL_MS = 1500

/**
 * Presence at rest: `count` stock clients in one document show their name,
 * nobody types. Every client renews its state every 15 s, and a stock
 * y-websocket client sends back every presence it hears, so even at rest a
 * busy document carries steady traffic. Here the renewals come at that
 * rate, at random moments, as from people who joined at different times:
 * for 5 s, each client renews with probability one third. The figure is
 * the server's CPU time over those 5 s and 1.5 s more.
 */
export async function presenceAtRest(server: ServerUnderTest, count: number): Promise<{ cpuSeconds: number }> {
  const room = await server.demo()
  const load = await startLoadClients({ protocol: server.protocol, room, from: 0, to: count, batch: 50, presence: true })
  try {
    await load.present()
    await sleep(1000)
    const before = server.cpuSeconds()
    await load.renew(WINDOW_MS, WINDOW_MS / RENEWAL_PERIOD_MS)
    await sleep(WINDOW_MS + TAIL_MS)
    return { cpuSeconds: server.cpuSeconds() - before }
  } finally {
    await load.destroy()
  }
}
