import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/postgres.js';
import { AuthorizationCodeRepository } from '../codes/authorization-code.repository.js';
import type { Database } from './database.js';
import { migrate, MIGRATIONS } from './migrations.js';
import { PostgresDatabase } from './postgres.database.js';
import { SqliteDatabase } from './sqlite.database.js';

const T = Date.UTC(2026, 0, 1);

/**
 * A fresh, unmigrated database of `driver` for each test of the calling block (a temporary folder for
 * SQLite, a database of its own on the shared PostgreSQL), closed and dropped after it. Read it
 * inside a test (`.current`).
 */
function emptyDatabase(driver: 'sqlite' | 'postgres'): { current: Database } {
  const handle = {} as { current: Database };
  let dir: string;
  let pgDb: TestDatabase | undefined;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'migrations-'));
    pgDb = driver === 'postgres' ? await createTestDatabase() : undefined;
    handle.current = pgDb ? new PostgresDatabase(pgDb.url) : new SqliteDatabase(dir);
  });
  afterEach(async () => {
    await handle.current.close();
    await pgDb?.drop();
    await rm(dir, { recursive: true, force: true });
  });
  return handle;
}

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

/** Migration 10 on a key table and a client written before it, on both drivers. */
describe.each(['sqlite', 'postgres'] as const)('migration 10: ID-token keys and --id-token-alg (%s)', (driver) => {
  const database = emptyDatabase(driver);

  it('every key written before is an access-token key, every client before signs RS256 (NULL); new rows take both', async () => {
    const db = database.current;
    await migrate(
      db,
      T,
      MIGRATIONS.filter((m) => m.version <= 9),
    );
    const jwk = JSON.stringify({ kty: 'EC', kid: 'old', alg: 'ES256' });
    await db.run(
      `INSERT INTO signing_keys (kid, alg, public_jwk, created_at, activates_at, deprecates_at, expires_at) VALUES ('old', 'ES256', $1, $2, $2, $3, $3)`,
      [jwk, T, T + 1000],
    );
    await db.run(
      `INSERT INTO clients (id, grant_types, scopes, audiences, public, disabled, created_at, updated_at) VALUES ('web', 'authorization_code', '', '', 0, 0, $1, $1)`,
      [T],
    );
    expect(
      await migrate(
        db,
        T,
        MIGRATIONS.filter((m) => m.version <= 10),
      ),
    ).toEqual([10]);
    expect(await db.query('SELECT kid, purpose FROM signing_keys')).toEqual([{ kid: 'old', purpose: 'access' }]);
    expect(await db.query('SELECT id, id_token_alg FROM clients')).toEqual([{ id: 'web', id_token_alg: null }]);
    await db.run(`UPDATE clients SET id_token_alg = 'ES256' WHERE id = 'web'`);
    expect(await db.query('SELECT id_token_alg FROM clients')).toEqual([{ id_token_alg: 'ES256' }]);
  });
});

/**
 * Migration 11 on a database holding codes issued before it, on both drivers: those stay unbound and
 * redeemable, and the repository's conditional claim honours a new code's `dpop_jkt` on each dialect.
 */
describe.each(['sqlite', 'postgres'] as const)('migration 11: authorization codes bound to a DPoP key (%s)', (driver) => {
  const database = emptyDatabase(driver);
  const jkt = 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs';

  it('adds a nullable dpop_jkt: an older code stays unbound; a bound one is claimed only with its key', async () => {
    const db = database.current;
    await migrate(
      db,
      T,
      MIGRATIONS.filter((m) => m.version < 11),
    );
    await db.run("INSERT INTO users (id, username, password_hash, scopes, created_at, updated_at) VALUES ('u1', 'ann', 'x', '', 0, 0)");
    const older = `INSERT INTO authorization_codes (code_hash, client_id, redirect_uri, code_challenge, scope, user_id, sso_session_id, auth_time, expires_at)
      VALUES ('old', 'web', 'https://app.example/cb', 'c', 'openid', 'u1', 'sso', $1, $2)`;
    await db.run(older, [T, T + 60_000]);
    expect(
      await migrate(
        db,
        T,
        MIGRATIONS.filter((m) => m.version <= 11),
      ),
    ).toEqual([11]);

    const codes = new AuthorizationCodeRepository(db);
    expect(await codes.find('old')).toMatchObject({ clientId: 'web', dpopJkt: undefined });
    expect(await codes.claim('old', 'app-0', T + 1, jkt)).toMatchObject({ clientId: 'web', appSessionId: 'app-0' });

    const grant = {
      clientId: 'web',
      redirectUri: 'https://app.example/cb',
      codeChallenge: 'c',
      scope: ['openid'],
      userId: 'u1',
      ssoSessionId: 'sso',
      authTime: T,
    };
    await codes.insert('bound', { ...grant, dpopJkt: jkt }, T + 60_000);
    expect(await codes.claim('bound', 'app-1', T + 1)).toBeUndefined();
    expect(await codes.claim('bound', 'app-1', T + 1, 'cbaZgHZazjgQq0Q2-Hy_o2-OCDpPu02S30lNhTsNU1Q')).toBeUndefined();
    expect(await codes.claim('bound', 'app-2', T + 1, jkt)).toMatchObject({ dpopJkt: jkt, appSessionId: 'app-2' });
  });
});
