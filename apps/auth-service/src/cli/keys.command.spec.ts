import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '../time/clock.js';
import { loadAuthConfig } from '../config/auth.config.js';
import type { Database } from '../database/database.js';
import { openDatabase } from '../database/database.module.js';
import { KeyAdmin } from '../keys/managed/key-admin.js';
import { ManagedKeyStore, rotationPolicy } from '../keys/managed/managed-key.store.js';
import { keysCommand } from './keys.command.js';

describe('keys command', () => {
  let dir: string;
  let db: Database;
  let store: ManagedKeyStore;
  let admin: KeyAdmin;
  let lines: string[];
  const clock = {
    time: Date.UTC(2026, 0, 1),
    now(): number {
      return this.time;
    },
  } satisfies Clock & { time: number };
  const out = (line: string) => lines.push(line);

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'keys-cli-'));
    const config = loadAuthConfig({ KEYS_SOURCE: 'managed', DATA_DIR: dir, KEYS_ENCRYPTION_SECRET: 'test-only-secret-0123456789abcdefghijklmnop' });
    db = await openDatabase(config.database, clock);
    store = await ManagedKeyStore.open(config.keys, config.tokens, db, clock);
    admin = new KeyAdmin(db, clock, rotationPolicy(config.keys, config.tokens));
    lines = [];
  });
  afterEach(async () => {
    await store.close();
    await db.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('lists the lifecycle as a table', async () => {
    expect(await keysCommand(admin, ['list'], out)).toBe(0);
    const [header, row] = lines[0].split('\n');
    expect(header.split(/\s+/)).toEqual(['KID', 'ALG', 'PURPOSE', 'STATE', 'CREATED', 'ACTIVATES', 'DEPRECATES', 'EXPIRES', 'OWNER']);
    expect(row.split(/\s+/)).toEqual([
      store.signingKey()!.kid,
      'RS256',
      'access',
      'active',
      '2026-01-01T00:00:00Z',
      '2026-01-01T00:00:00Z',
      '2026-01-08T00:00:00Z',
      '2026-01-29T00:00:00Z',
      'cluster',
    ]);
  });

  it('revokes one key, and the running store drops it at its next sync', async () => {
    const kid = store.signingKey()!.kid;
    expect(await keysCommand(admin, ['revoke', kid], out)).toBe(0);
    expect(await keysCommand(admin, ['revoke', kid], out)).toBe(1);
    await store.sync();
    expect(store.jwks().document.keys.map((k) => k.kid)).not.toContain(kid);
    expect(store.signingKey()?.kid).not.toBe(kid);
  });

  it('asks for --yes before revoke-all, then revokes everything', async () => {
    expect(await keysCommand(admin, ['revoke-all'], out)).toBe(2);
    expect((await admin.list()).map((k) => k.state)).toEqual(['active']);
    expect(await keysCommand(admin, ['revoke-all', '--yes'], out)).toBe(0);
    expect((await admin.list()).map((k) => k.state)).toEqual(['revoked']);
    expect(await keysCommand(admin, ['purge'], out)).toBe(0);
    expect(lines.at(-1)).toBe('deleted 1 expired or revoked key(s)');
  });

  describe('with JWT_ALGORITHM=ES256: the RS256 ID-token key beside the signing key', () => {
    let es: ManagedKeyStore;
    beforeEach(async () => {
      await store.close();
      await db.close();
      await rm(dir, { recursive: true, force: true });
      dir = await mkdtemp(join(tmpdir(), 'keys-cli-'));
      const config = loadAuthConfig({
        KEYS_SOURCE: 'managed',
        DATA_DIR: dir,
        JWT_ALGORITHM: 'ES256',
        KEYS_ENCRYPTION_SECRET: 'test-only-secret-0123456789abcdefghijklmnop',
      });
      db = await openDatabase(config.database, clock);
      store = es = await ManagedKeyStore.open(config.keys, config.tokens, db, clock);
      admin = new KeyAdmin(db, clock, rotationPolicy(config.keys, config.tokens));
    });

    it('lists both keys with their purpose, and rotate hands both over on the same schedule', async () => {
      await keysCommand(admin, ['list'], out);
      const rows = lines[0]
        .split('\n')
        .slice(1)
        .map((line) => line.split(/\s+/).slice(0, 4));
      expect(rows.sort((a, b) => a[2].localeCompare(b[2]))).toEqual([
        [es.signingKey()!.kid, 'ES256', 'access', 'active'],
        [es.idTokenKey()!.kid, 'RS256', 'id_token', 'active'],
      ]);
      lines = [];
      expect(await keysCommand(admin, ['rotate'], out)).toBe(0);
      expect(lines.map((line) => line.replace(/:.*/, '')).sort()).toEqual(['cluster', 'cluster (ID tokens)']);
      const [before, idBefore] = [es.signingKey()!.kid, es.idTokenKey()!.kid];
      await es.sync(); // the successors are pre-published, the current keys still sign
      expect(
        es
          .jwks()
          .document.keys.map((k) => k.alg)
          .sort(),
      ).toEqual(['ES256', 'ES256', 'RS256', 'RS256']);
      clock.time += 10 * 60_000;
      await es.sync();
      expect(es.signingKey()!.kid).not.toBe(before);
      expect(es.idTokenKey()).toMatchObject({ alg: 'RS256' });
      expect(es.idTokenKey()!.kid).not.toBe(idBefore);
    });

    it('revoke <the ID-token kid>: it leaves the JWKS, and a new RS256 key signs ID tokens while the access-token key stays', async () => {
      const [kid, idKid] = [es.signingKey()!.kid, es.idTokenKey()!.kid];
      expect(await keysCommand(admin, ['revoke', idKid], out)).toBe(0);
      await es.sync();
      expect(es.jwks().document.keys.map((k) => k.kid)).not.toContain(idKid);
      expect(es.idTokenKey()).toMatchObject({ alg: 'RS256' });
      expect(es.idTokenKey()!.kid).not.toBe(idKid);
      expect(es.signingKey()!.kid).toBe(kid);
    });
  });

  it('explains itself in pem mode and on unknown actions', async () => {
    expect(await keysCommand(undefined, ['list'], out)).toBe(2);
    expect(lines.at(-1)).toContain('KEYS_SOURCE=pem');
    expect(await keysCommand(admin, ['spin'], out)).toBe(2);
    expect(lines.at(-1)).toMatch(/^usage: keys list/);
  });
});
