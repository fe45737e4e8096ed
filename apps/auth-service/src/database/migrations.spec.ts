import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/postgres.js';
import type { Database } from './database.js';
import { migrate, MIGRATIONS } from './migrations.js';
import { PostgresDatabase } from './postgres.database.js';
import { SqliteDatabase } from './sqlite.database.js';

const T = Date.UTC(2026, 0, 1);

/**
 * Migration 6 on a feed written before it (duplicates of one id, as `/auth/revoke` used to write
 * them), applied by two replicas starting at once, on both drivers.
 */
describe.each(['sqlite', 'postgres'] as const)('migration 6: one revocation entry per id (%s)', (driver) => {
  let dir: string;
  let pgDb: TestDatabase | undefined;
  let replicas: Database[];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'migrations-'));
    pgDb = driver === 'postgres' ? await createTestDatabase() : undefined;
    const open = (): Database => (pgDb ? new PostgresDatabase(pgDb.url) : new SqliteDatabase(dir));
    replicas = [open(), open()];
  });
  afterEach(async () => {
    await Promise.all(replicas.map((db) => db.close()));
    await pgDb?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('collapses duplicates into the newest row of each id, kept until the latest expiry, then inserts no duplicate; applied once by two replicas', async () => {
    const [a, b] = replicas;
    expect(
      await migrate(
        a,
        T,
        MIGRATIONS.filter((m) => m.version <= 5),
      ),
    ).toEqual([1, 2, 3, 4, 5]);
    const insert = (type: string, value: string, revokedAt: number, expiresAt: number) =>
      a.run('INSERT INTO revocations (type, value, revoked_at, expires_at) VALUES ($1, $2, $3, $4)', [type, value, revokedAt, expiresAt]);
    await insert('jti', 'j', T, T + 90_000);
    await insert('jti', 'j', T + 1_000, T + 60_000);
    await insert('jti', 'j', T + 2_000, T + 80_000);
    await insert('client_id', 'svc', T, T + 930_000);
    await insert('client_id', 'svc', T + 5_000, T + 935_000);
    await insert('sid', 's', T, T + 930_000);
    await insert('sid', 'j', T, T + 930_000); // the same value under another type is another entry

    const applied = await Promise.all([migrate(a, T), migrate(b, T)]);
    expect(applied.map((versions) => versions.includes(6)).sort()).toEqual([false, true]);
    expect(await a.query('SELECT id, type, value, revoked_at, expires_at FROM revocations ORDER BY id')).toEqual([
      { id: 3, type: 'jti', value: 'j', revoked_at: T + 2_000, expires_at: T + 90_000 },
      { id: 5, type: 'client_id', value: 'svc', revoked_at: T + 5_000, expires_at: T + 935_000 },
      { id: 6, type: 'sid', value: 's', revoked_at: T, expires_at: T + 930_000 },
      { id: 7, type: 'sid', value: 'j', revoked_at: T, expires_at: T + 930_000 },
    ]);
    // The unique index is there: an ON CONFLICT (type, value) insert needs it, and inserts nothing.
    const again = 'INSERT INTO revocations (type, value, revoked_at, expires_at) VALUES ($1, $2, $3, $4) ON CONFLICT (type, value) DO NOTHING';
    expect(await a.run(again, ['jti', 'j', T, T + 90_000])).toBe(0);
    expect(await b.run(again, ['jti', 'j', T, T + 90_000])).toBe(0);
    expect(await migrate(b, T)).toEqual([]);
  });
});
