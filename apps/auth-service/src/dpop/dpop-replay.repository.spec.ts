import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/postgres.js';
import type { Database } from '../database/database.js';
import { migrate } from '../database/migrations.js';
import { PostgresDatabase } from '../database/postgres.database.js';
import { SqliteDatabase } from '../database/sqlite.database.js';
import { DpopReplayRepository } from './dpop-replay.repository.js';
import { ServerSecretsRepository } from './server-secrets.repository.js';

describe.each(['sqlite', 'postgres'] as const)('DPoP records in the database (%s)', (driver) => {
  let dir: string;
  let pgDb: TestDatabase | undefined;
  let db: Database;
  const clock = { time: 1000, now: () => clock.time };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dpop-'));
    pgDb = driver === 'postgres' ? await createTestDatabase() : undefined;
    db = pgDb ? new PostgresDatabase(pgDb.url) : new SqliteDatabase(dir);
    await migrate(db, 0);
    clock.time = 1000;
  });
  afterEach(async () => {
    await db.close();
    await pgDb?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('claims a jti record once while it lives (concurrent claims: one wins), takes over an expired one, and prunes it', async () => {
    const replays = new DpopReplayRepository(db, clock);
    expect(await Promise.all([replays.claim('k', 5000), replays.claim('k', 5000)])).toEqual(expect.arrayContaining([true, false]));
    expect(await replays.claim('k', 5000)).toBe(false);
    clock.time = 5000;
    expect(await replays.claim('k', 9000)).toBe(true);
    expect(await replays.claim('k', 9000)).toBe(false);
    expect(await replays.prune(9000)).toBe(1);
    expect(await replays.claim('k', 9000)).toBe(true);
  });

  it('creates a shared secret once: every reader gets the same 32 bytes', async () => {
    const secrets = new ServerSecretsRepository(db, clock);
    const [first, second] = await Promise.all([secrets.secret('dpop_nonce'), secrets.secret('dpop_nonce')]);
    expect(first).toHaveLength(32);
    expect(second.equals(first)).toBe(true);
    expect((await secrets.secret('dpop_nonce')).equals(first)).toBe(true);
  });
});
