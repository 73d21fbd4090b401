import { isIPv4, isIPv6 } from 'node:net'

/**
 * The addresses the login throttle counts as one client. An IPv4 address is
 * itself, however it reached us: `::ffff:203.0.113.9` (a dual-stack socket)
 * is `203.0.113.9` (a proxy's header). An IPv6 address stands for its /64:
 * a host picks the rest itself (privacy addresses change it at will), so
 * counting each address apart gave every guess a fresh count. Anything else
 * (a header that is no address) is counted as it is written.
 */
export function addressGroup(address: string): string {
  const bare = address.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '')
  if (isIPv4(bare)) return bare
  if (!isIPv6(bare)) return address
  const words = ipv6Words(bare)
  const mapped = words.slice(0, 5).every((word) => word === 0) && words[5] === 0xffff
  if (mapped) return [words[6]! >> 8, words[6]! & 0xff, words[7]! >> 8, words[7]! & 0xff].join('.')
  return `${words.slice(0, 4).map((word) => word.toString(16)).join(':')}::/64`
}

/** The eight 16-bit words of a valid IPv6 address, its `::` filled and a dotted IPv4 tail read as two words. */
function ipv6Words(address: string): number[] {
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(address)
  const hex = dotted ? `${address.slice(0, dotted.index)}${((+dotted[1]! << 8) | +dotted[2]!).toString(16)}:${((+dotted[3]! << 8) | +dotted[4]!).toString(16)}` : address
  const [head = '', tail] = hex.split('::')
  const read = (part: string) => (part === '' ? [] : part.split(':').map((word) => parseInt(word, 16)))
  const before = read(head)
  const after = tail === undefined ? [] : read(tail)
  return [...before, ...Array<number>(8 - before.length - after.length).fill(0), ...after]
}
