import { LiveEvent } from '@hemicycle/protocol'

/** Listens to a resolution's server-sent events as a browser would, collecting them as they come. */
export async function listen(url: string, token: string): Promise<{ events: LiveEvent[]; close(): void; ended: Promise<void> }> {
  const controller = new AbortController()
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' }, signal: controller.signal })
  if (!response.ok || !response.body) throw new Error(`events: HTTP ${response.status}`)
  const events: LiveEvent[] = []
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader()
  const ended = (async () => {
    let buffer = ''
    try {
      for (;;) {
        const { value, done } = await reader.read()
        if (done) return
        buffer += value
        let end: number
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end)
          buffer = buffer.slice(end + 2)
          const data = block.split('\n').filter((line) => line.startsWith('data:')).map((line) => line.slice(5).trim()).join('\n')
          if (data) events.push(LiveEvent.parse(JSON.parse(data)))
        }
      }
    } catch {
      // Closed.
    }
  })()
  return { events, close: () => controller.abort(), ended }
}
