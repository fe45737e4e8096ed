import { HmacDpopNonces } from './dpop-nonces.js';

describe('HmacDpopNonces', () => {
  const secret = Buffer.alloc(32, 1);

  it('accepts the current and the previous step, not older ones, and not another secret', () => {
    let now = 1_000_000 * 60_000;
    const nonces = new HmacDpopNonces(secret, 60_000, () => now);
    const first = nonces.current();
    expect(nonces.accepts(first)).toBe(true);
    now += 60_000;
    expect(nonces.current()).not.toBe(first);
    expect(nonces.accepts(first)).toBe(true);
    now += 60_000;
    expect(nonces.accepts(first)).toBe(false);
    expect(new HmacDpopNonces(Buffer.alloc(32, 2), 60_000, () => now).accepts(nonces.current())).toBe(false);
  });

  it('gives the same nonce to every process with the same secret (replicas)', () => {
    const clock = () => 42 * 60_000;
    expect(new HmacDpopNonces(secret, 60_000, clock).current()).toBe(new HmacDpopNonces(Buffer.from(secret), 60_000, clock).current());
  });
});
