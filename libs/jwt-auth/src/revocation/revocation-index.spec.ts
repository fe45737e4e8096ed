import type { AuthenticatedCaller } from '@app/contracts';
import { type RevocationEntry, RevocationIndex } from './revocation-index.js';

const user = (over: Partial<{ sessionId: string; tokenId: string; clientId: string; issuedAt: number }> = {}): AuthenticatedCaller => ({
  userId: 'u1',
  username: 'ann',
  clientId: 'default',
  sessionId: 's1',
  scopes: [],
  tokenId: 'j1',
  expiresAt: 2_000,
  issuedAt: 1_000,
  ...over,
});
const entry = (type: RevocationEntry['type'], value: string, revokedAt = 1_000, expiresAt = 1_930): RevocationEntry => ({
  type,
  value,
  revoked_at: revokedAt,
  expires_at: expiresAt,
});

describe('RevocationIndex', () => {
  it('refuses a token whose sid or jti is listed, and no other', () => {
    const index = new RevocationIndex();
    index.add([entry('sid', 's1'), entry('jti', 'j9')]);
    expect(index.reasonFor(user())).toBe('its session (sid) is listed');
    expect(index.reasonFor(user({ sessionId: 's2', tokenId: 'j9' }))).toBe('its jti is listed');
    expect(index.reasonFor(user({ sessionId: 's2', tokenId: 'j2' }))).toBeUndefined();
  });

  it('refuses a client token issued before the client revocation, not one issued at or after it', () => {
    const index = new RevocationIndex();
    index.add([entry('client_id', 'svc', 1_000)]);
    const client = (issuedAt?: number): AuthenticatedCaller => ({ clientId: 'svc', scopes: [], tokenId: 'j', expiresAt: 3_000, issuedAt });
    expect(index.reasonFor(client(999))).toBe('its client was revoked after it was issued');
    expect(index.reasonFor(client(1_000))).toBeUndefined();
    expect(index.reasonFor(client(undefined))).toBe('its client was revoked after it was issued');
    // A second revocation of the same client moves the line.
    index.add([entry('client_id', 'svc', 1_200)]);
    expect(index.reasonFor(client(1_100))).toBeDefined();
    index.add([entry('client_id', 'svc', 900)]);
    expect(index.reasonFor(client(1_100))).toBeDefined();
  });

  it('a full answer replaces the list; an incremental one adds to it', () => {
    const index = new RevocationIndex();
    index.add([entry('sid', 's1')]);
    index.add([entry('jti', 'j1')]);
    expect(index.size).toBe(2);
    index.replace([entry('sid', 's2')]);
    expect(index.size).toBe(1);
    expect(index.reasonFor(user())).toBeUndefined();
    expect(index.reasonFor(user({ sessionId: 's2' }))).toBeDefined();
  });

  it('drops entries once past expires_at, so memory follows the live revocations', () => {
    const index = new RevocationIndex();
    index.add([entry('sid', 's1', 1_000, 1_500), entry('jti', 'j1', 1_000, 1_600), entry('client_id', 'c', 1_000, 1_700)]);
    index.prune(1_500);
    expect(index.size).toBe(2);
    index.prune(1_700);
    expect(index.size).toBe(0);
  });

  it('holds 100,000 entries in bounded memory with O(1) lookups', () => {
    const index = new RevocationIndex();
    const before = process.memoryUsage().heapUsed;
    index.add(Array.from({ length: 100_000 }, (_, i) => entry('sid', `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`)));
    const bytes = process.memoryUsage().heapUsed - before;
    expect(index.size).toBe(100_000);
    expect(bytes).toBeLessThan(64 * 1024 * 1024);
    const start = process.hrtime.bigint();
    for (let i = 0; i < 100_000; i++) index.reasonFor(user({ sessionId: `x${i}`, tokenId: `y${i}` }));
    const perLookupNs = Number(process.hrtime.bigint() - start) / 100_000;
    expect(perLookupNs).toBeLessThan(10_000);
  });
});
