import { describe, expect, it } from 'vitest'
import { addressGroup } from './addressGroup.ts'

describe('the address group a login attempt is counted under', () => {
  it('is an IPv4 address itself, whether it came mapped into IPv6 (dotted or in hex) or not', () => {
    expect(addressGroup('203.0.113.9')).toBe('203.0.113.9')
    expect(addressGroup('::ffff:203.0.113.9')).toBe('203.0.113.9')
    expect(addressGroup('::FFFF:cb00:7109')).toBe('203.0.113.9')
  })

  it('is the /64 of an IPv6 address, however the address is spelt', () => {
    const group = '2001:db8:1:2::/64'
    for (const address of ['2001:db8:1:2::1', '2001:0DB8:0001:0002:aaaa:bbbb:cccc:dddd', '[2001:db8:1:2::77]', '2001:db8:1:2:0:0:0:9%eth0', '2001:db8:1:2::192.0.2.1']) {
      expect(addressGroup(address), address).toBe(group)
    }
    expect(addressGroup('2001:db8:1:3::1')).not.toBe(group)
    expect(addressGroup('2001:db8::')).toBe('2001:db8:0:0::/64')
  })

  it('leaves what is no address as it is written', () => {
    expect(addressGroup('unknown')).toBe('unknown')
    expect(addressGroup('203.0.113.9:4711')).toBe('203.0.113.9:4711')
  })
})
