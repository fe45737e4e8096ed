import { addressKey, ClientAddressResolver, normalizeAddress } from './client-address.js';

const resolver = (trustedProxies: string[]) => new ClientAddressResolver({ trustedProxies, registrationEnabled: false });

describe('client address', () => {
  it.each([
    ['::ffff:192.0.2.1', '192.0.2.1'],
    ['192.0.2.1:4711', '192.0.2.1'],
    ['[2001:db8::1]:443', '2001:db8::1'],
    ['  FE80::1%eth0 ', 'fe80::1'],
  ])('normalises %p to %p', (text, address) => {
    expect(normalizeAddress(text)).toBe(address);
  });

  it.each([
    ['192.0.2.1', '192.0.2.1'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::ffff', '2001:db8:1:2::/64'],
    ['2001:db8::', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['64:ff9b::192.0.2.1', '64:ff9b:0:0::/64'],
  ])('keys %p as %p (IPv6 by /64)', (address, key) => {
    expect(addressKey(address)).toBe(key);
  });

  it('uses the peer and ignores X-Forwarded-For when no proxy is trusted', () => {
    expect(resolver([]).resolve('::ffff:192.0.2.1', '203.0.113.9')).toBe('192.0.2.1');
  });

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', () => {
    expect(resolver(['10.0.0.0/8']).resolve('192.0.2.1', '203.0.113.9')).toBe('192.0.2.1');
  });

  it('takes the rightmost untrusted hop behind trusted proxies; the spoofable left part does not matter', () => {
    const r = resolver(['10.0.0.0/8', '192.0.2.1']);
    expect(r.resolve('192.0.2.1', '1.1.1.1, 203.0.113.9, 10.0.0.7')).toBe('203.0.113.9');
    expect(r.resolve('192.0.2.1', ['6.6.6.6, 203.0.113.9', '10.0.0.7'])).toBe('203.0.113.9');
    expect(r.resolve('10.1.1.1', '203.0.113.9')).toBe('203.0.113.9');
  });

  it('falls back to the leftmost hop when every hop is trusted, and to the last trusted hop at a hop that is no address', () => {
    const r = resolver(['10.0.0.0/8']);
    expect(r.resolve('10.0.0.1', '10.0.0.3, 10.0.0.2')).toBe('10.0.0.3');
    expect(r.resolve('10.0.0.1', 'garbage, 10.0.0.2')).toBe('10.0.0.2');
    expect(r.resolve('10.0.0.1', 'unknown')).toBe('10.0.0.1');
  });

  it('groups IPv6 clients by /64 and trusts IPv6 proxies by prefix', () => {
    const r = resolver(['fd00::/8']);
    expect(r.resolve('fd00::5', '2001:db8:aa:bb:1::1')).toBe('2001:db8:aa:bb::/64');
    expect(r.resolve('2001:db8:aa:bb::7', undefined)).toBe('2001:db8:aa:bb::/64');
  });
});
