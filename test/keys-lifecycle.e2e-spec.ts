import request from 'supertest';
import { DATABASE, type Database } from '../apps/auth-service/src/database/database.js';
import { KeyAdmin } from '../apps/auth-service/src/keys/managed/key-admin.js';
import { rotationPolicy } from '../apps/auth-service/src/keys/managed/managed-key.store.js';
import { startAuth, tempDir, type RunningAuth } from './support/auth-app.js';
import { headerOf, HOUR, jwksKids, login, managedStore, ManualClock, MINUTE, startResource, type RunningResource } from './support/stack.js';

/** A one-hour rotation, 5 minutes of pre-publication, 2 hours of retention; the sync timer never fires by itself. */
const MANAGED = {
  KEYS_SOURCE: 'managed',
  KEY_ROTATION_INTERVAL: '1h',
  KEY_ACTIVATION_DELAY: '5m',
  KEY_RETENTION: '2h',
  ACCESS_TOKEN_TTL: '15m',
  CLOCK_TOLERANCE: '30s',
  KEY_SYNC_INTERVAL: '10m',
};
const SECRET = 'test-only-secret-0123456789abcdefghijklmnop';

describe('managed keys: the lifecycle on an injected clock', () => {
  let clock: ManualClock;
  let dir: { dir: string; remove: () => Promise<void> };
  let auth: RunningAuth;
  let resource: RunningResource;
  let admin: KeyAdmin;

  const advanceTo = async (ms: number) => {
    clock.time = start + ms;
    await managedStore(auth).sync();
  };
  const start = Date.UTC(2026, 0, 1);

  beforeEach(async () => {
    clock = new ManualClock(start);
    dir = await tempDir();
    auth = await startAuth({ ...MANAGED, KEYS_ENCRYPTION_SECRET: SECRET }, { clock, dir: dir.dir });
    admin = new KeyAdmin(auth.app.get<Database>(DATABASE), clock, rotationPolicy(auth.config.keys, auth.config.tokens));
    resource = await startResource(`${auth.url}/.well-known/jwks.json`, { clock });
  });
  afterEach(async () => {
    await resource.close();
    await auth.close();
    await dir.remove();
  });

  it('walks pending -> active -> deprecated -> expired, publishing each key before it signs and long after', async () => {
    const [first] = await jwksKids(auth);
    expect(headerOf(await login(auth)).kid).toBe(first);

    await advanceTo(55 * MINUTE - 1);
    expect(await jwksKids(auth)).toEqual([first]);

    // Pre-publication: the successor is in the JWKS from 55m, yet the first key signs until 60m.
    await advanceTo(55 * MINUTE);
    const kids = await jwksKids(auth);
    expect(kids).toHaveLength(2);
    const second = kids.find((kid) => kid !== first)!;
    expect((await admin.list()).map((k) => [k.kid, k.state])).toEqual([
      [first, 'active'],
      [second, 'pending'],
    ]);
    expect(headerOf(await login(auth)).kid).toBe(first);

    await advanceTo(60 * MINUTE - 1);
    const lastOfFirst = await login(auth);
    expect(headerOf(lastOfFirst).kid).toBe(first);
    await advanceTo(60 * MINUTE);
    const firstOfSecond = await login(auth);
    expect(headerOf(firstOfSecond).kid).toBe(second);
    expect((await admin.list()).map((k) => k.state)).toEqual(['deprecated', 'active']);

    // Retention: the deprecated key stays while its last token can still be valid (60m + 15m + 30s) and beyond.
    await advanceTo(75 * MINUTE + 20_000);
    expect(await jwksKids(auth)).toContain(first);
    await request(resource.url).get('/resource/protected').auth(lastOfFirst, { type: 'bearer' }).expect(200);

    await advanceTo(2 * HOUR - 1);
    expect(await jwksKids(auth)).toContain(first);
    await advanceTo(2 * HOUR);
    expect(await jwksKids(auth)).not.toContain(first);
    expect((await admin.list()).find((k) => k.kid === first)?.state).toBe('expired');
  });

  it('revoke: the key leaves the JWKS at once, signing moves to the pre-published key, its tokens are refused', async () => {
    const [first] = await jwksKids(auth);
    const token = await login(auth);
    await request(resource.url).get('/resource/protected').auth(token, { type: 'bearer' }).expect(200);
    await advanceTo(56 * MINUTE);
    const second = (await jwksKids(auth)).find((kid) => kid !== first)!;

    expect(await admin.revoke(first)).toBe(true);
    expect(await admin.revoke(first)).toBe(false);
    await managedStore(auth).sync();
    expect(await jwksKids(auth)).toEqual([second]);
    expect(headerOf(await login(auth)).kid).toBe(second);

    // A fresh verifier (or one whose JWKS cache aged out) refuses the revoked key's tokens.
    const fresh = await startResource(`${auth.url}/.well-known/jwks.json`, { clock });
    try {
      const res = await request(fresh.url).get('/resource/protected').auth(token, { type: 'bearer' }).expect(401);
      expect(res.headers['www-authenticate']).toContain('invalid_token');
    } finally {
      await fresh.close();
    }
  });

  it('revoke-all: every key leaves the JWKS and a new one signs at once', async () => {
    await advanceTo(56 * MINUTE);
    const before = await jwksKids(auth);
    expect(await admin.revokeAll()).toBe(2);
    await managedStore(auth).sync();
    const after = await jwksKids(auth);
    expect(after).toHaveLength(1);
    expect(before).not.toContain(after[0]);
    expect(headerOf(await login(auth)).kid).toBe(after[0]);
    expect(await admin.purge()).toBe(2);
    expect((await admin.list()).map((k) => k.kid)).toEqual(after);
  });

  it('rotate: the signing key hands over after the activation delay, never sooner', async () => {
    const [first] = await jwksKids(auth);
    await advanceTo(10 * MINUTE);
    expect(await admin.rotate()).toEqual([expect.stringContaining(`${first} stops signing at`)]);
    await managedStore(auth).sync();
    const second = (await jwksKids(auth)).find((kid) => kid !== first)!;
    expect(second).toBeDefined();
    expect(await admin.rotate()).toEqual([expect.stringContaining('already rotating')]);
    await advanceTo(15 * MINUTE - 1);
    expect(headerOf(await login(auth)).kid).toBe(first);
    await advanceTo(15 * MINUTE);
    expect(headerOf(await login(auth)).kid).toBe(second);
  });

  it('a restart keeps the shared key set: the same key signs and the same JWKS is served', async () => {
    await advanceTo(56 * MINUTE);
    const before = await request(auth.url).get('/.well-known/jwks.json').expect(200);
    const token = await login(auth);
    await auth.close();

    auth = await startAuth({ ...MANAGED, KEYS_ENCRYPTION_SECRET: SECRET }, { clock, dir: dir.dir });
    const after = await request(auth.url).get('/.well-known/jwks.json').expect(200);
    expect(after.headers.etag).toBe(before.headers.etag);
    expect(headerOf(await login(auth)).kid).toBe(headerOf(token).kid);
  });

  it('a restart with another secret refuses to start, naming the variable and no key material', async () => {
    await auth.close();
    const attempt = startAuth({ ...MANAGED, KEYS_ENCRYPTION_SECRET: 'another-secret-0123456789abcdefghijklmnop' }, { clock, dir: dir.dir });
    await expect(attempt).rejects.toThrow(/cannot be decrypted with KEYS_ENCRYPTION_SECRET/);
    await attempt.catch((error: Error) => {
      expect(error.message).not.toContain(SECRET);
      expect(error.message).not.toContain('PRIVATE KEY');
    });
    auth = await startAuth({ ...MANAGED, KEYS_ENCRYPTION_SECRET: SECRET }, { clock, dir: dir.dir });
  });

  it('stores private keys only sealed, and publishes only public members', async () => {
    const rows = await auth.app.get<Database>(DATABASE).query<{ sealed_private_key: string; public_jwk: string }>('SELECT * FROM signing_keys');
    expect(rows).toHaveLength(1);
    expect(rows[0].sealed_private_key).toMatch(/^v1\.[\w-]+\.[\w-]+$/);
    const jwks = await request(auth.url).get('/.well-known/jwks.json').expect(200);
    for (const key of jwks.body.keys) for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi']) expect(key).not.toHaveProperty(member);
  });

  it('after downtime past the rotation, the old key signs on until its successor has been published', async () => {
    const [first] = await jwksKids(auth);
    await auth.close();
    clock.time = start + 3 * HOUR; // the first key was due to stop at 1h and to leave the JWKS at 2h
    auth = await startAuth({ ...MANAGED, KEYS_ENCRYPTION_SECRET: SECRET }, { clock, dir: dir.dir });
    const kids = await jwksKids(auth);
    // Nothing signed since 1h, so the expired key is not brought back: a new key signs at once.
    expect(kids).not.toContain(first);
    expect(headerOf(await login(auth)).kid).toBe(kids[0]);
  });
});

describe('managed keys, per-replica mode (no secret)', () => {
  it('keeps private keys in memory only; a restart starts a new key and keeps the old one published', async () => {
    const clock = new ManualClock();
    const { dir, remove } = await tempDir();
    try {
      let auth = await startAuth(MANAGED, { clock, dir });
      const [first] = await jwksKids(auth);
      const token = await login(auth);
      const rows = await auth.app.get<Database>(DATABASE).query<{ sealed_private_key: string | null; owner: string | null }>('SELECT * FROM signing_keys');
      expect(rows).toEqual([expect.objectContaining({ sealed_private_key: null, owner: expect.any(String) })]);
      await auth.close();

      auth = await startAuth(MANAGED, { clock, dir });
      const kids = await jwksKids(auth);
      expect(kids).toHaveLength(2);
      expect(kids).toContain(first);
      const second = headerOf(await login(auth)).kid;
      expect(second).not.toBe(first);
      const resource = await startResource(`${auth.url}/.well-known/jwks.json`, { clock });
      await request(resource.url).get('/resource/protected').auth(token, { type: 'bearer' }).expect(200);
      await resource.close();

      // The retired key leaves once its last token can no longer be valid (TTL + tolerance + one sync).
      clock.advance(15 * MINUTE + 30_000 + 10 * MINUTE);
      await managedStore(auth).sync();
      expect(await jwksKids(auth)).toEqual([second]);
      await auth.close();
    } finally {
      await remove();
    }
  });
});
