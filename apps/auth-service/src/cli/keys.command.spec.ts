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
    expect(header.split(/\s+/)).toEqual(['KID', 'ALG', 'STATE', 'CREATED', 'ACTIVATES', 'DEPRECATES', 'EXPIRES', 'OWNER']);
    expect(row.split(/\s+/)).toEqual([
      store.signingKey()!.kid,
      'RS256',
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

  it('explains itself in pem mode and on unknown actions', async () => {
    expect(await keysCommand(undefined, ['list'], out)).toBe(2);
    expect(lines.at(-1)).toContain('KEYS_SOURCE=pem');
    expect(await keysCommand(admin, ['spin'], out)).toBe(2);
    expect(lines.at(-1)).toMatch(/^usage: keys list/);
  });
});
