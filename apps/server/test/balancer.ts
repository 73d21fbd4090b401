import { connect, createServer, type Socket } from 'node:net'

/**
 * A load balancer on loopback, as people would put in front of several
 * instances: each new connection goes to the first backend that accepts
 * it, so while the first is up everyone lands there, and when it dies its
 * clients' reconnections land on the next.
 */
export interface Balancer {
  url: string
  close(): Promise<void>
}

export async function startBalancer(ports: readonly number[]): Promise<Balancer> {
  const open = new Set<Socket>()
  const forward = (client: Socket, index: number) => {
    if (index >= ports.length) return client.destroy()
    const upstream = connect(ports[index]!, '127.0.0.1')
    let connected = false
    upstream.once('error', () => {
      if (!connected) forward(client, index + 1)
    })
    upstream.once('connect', () => {
      connected = true
      open.add(upstream)
      upstream.on('error', () => client.destroy())
      upstream.on('close', () => {
        open.delete(upstream)
        client.destroy()
      })
      client.on('close', () => upstream.destroy())
      client.pipe(upstream)
      upstream.pipe(client)
      client.resume()
    })
  }
  const server = createServer((client) => {
    client.pause()
    open.add(client)
    client.on('error', () => client.destroy())
    client.on('close', () => open.delete(client))
    forward(client, 0)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy()
        server.close(() => resolve())
      }),
  }
}
