import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUILT, ServiceProcess, sleep } from '../support/service-process.js';
import { BOUND_MS, RevocationClient, resourceEnvFor } from './support/revocation.js';

interface Feed {
  cursor: string;
  full: boolean;
  entries: Array<{ type: string; value: string; revoked_at: number; expires_at: number }>;
}

const sidOf = (token: string) => (JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { sid: string }).sid;

/**
 * Entries expire: with ACCESS_TOKEN_TTL=2s and CLOCK_TOLERANCE=1s a logout's entry lives 3 s
 * (docs/revocation.md "Sizing"), and the feed shrinks back once it has expired. The pruner deletes rows
 * once a minute, but the feed never serves an expired entry (the query filters on `expires_at`): that
 * is what this asserts, on the built services and the real clock. The revoked token stays refused
 * after its entry is gone, because it has expired by then.
 */
describe('revocation feed entries expire', () => {
  let dir: string;
  let auth: ServiceProcess;
  let resource: ServiceProcess;
  const client = new RevocationClient(
    () => auth,
    () => resource,
  );
  const feed = async (): Promise<Feed> => (await (await fetch(`${auth.url}/oauth/revocations`)).json()) as Feed;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'revocation-expiry-'));
    const lifetimes = { ACCESS_TOKEN_TTL: '2s', CLOCK_TOLERANCE: '1s' };
    auth = await ServiceProcess.start(BUILT.auth, { ...lifetimes, KEYS_DIR: join(dir, 'keys'), DATA_DIR: join(dir, 'data') });
    resource = await ServiceProcess.start(BUILT.resource, resourceEnvFor(auth, { CLOCK_TOLERANCE: '1s' }));
  }, 60_000);
  afterAll(async () => {
    await resource?.stop();
    await auth?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('a logout entry is listed until its expires_at, then the full feed no longer holds it', async () => {
    const session = await client.login();
    const sid = sidOf(session.access);
    await client.logout(session);
    const before = await feed();
    const entry = before.entries.find((e) => e.type === 'sid' && e.value === sid);
    expect(entry).toBeDefined();
    expect(entry!.expires_at - entry!.revoked_at).toBeGreaterThanOrEqual(2);
    expect(entry!.expires_at - entry!.revoked_at).toBeLessThanOrEqual(4);
    expect(await client.refusedAfter(session.access)).toBeLessThanOrEqual(BOUND_MS);

    // Past expires_at (whole seconds, rounded up) by a margin; long before the pruner's first minute.
    const wait = entry!.expires_at * 1000 - Date.now() + 500;
    await sleep(Math.max(0, wait));
    const after = await feed();
    process.stderr.write(
      `revocation expiry: entry lived ${entry!.expires_at - entry!.revoked_at} s; full feed ${before.entries.length} -> ${after.entries.length} entries (waited ${Math.round(wait)} ms)\n`,
    );
    expect(after.full).toBe(true);
    expect(after.entries.filter((e) => e.value === sid)).toEqual([]);
    expect(Number(after.cursor)).toBeGreaterThanOrEqual(Number(before.cursor));
    expect(await client.status(session.access)).toBe(401);
  }, 30_000);
});
