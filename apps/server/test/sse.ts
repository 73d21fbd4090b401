import { LiveEvent } from '@hemicycle/protocol'

/** Listens to server-sent events as a browser would (a resolution's, unless told how to read them), collecting them as they come. */
export async function listen<Event = LiveEvent>(
  url: string,
  token: string,
  parse: (data: unknown) => Event = (data) => LiveEvent.parse(data) as Event,
): Promise<{ events: Event[]; close(): void; ended: Promise<void> }> {
  const controller = new AbortController()
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' }, signal: controller.signal })
  if (!response.ok || !response.body) throw new Error(`events: HTTP ${response.status}`)
  const events: Event[] = []
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
          if (data) events.push(parse(JSON.parse(data)))
        }
      }
    } catch {
      // Closed.
    }
  })()
  return { events, close: () => controller.abort(), ended }
}
