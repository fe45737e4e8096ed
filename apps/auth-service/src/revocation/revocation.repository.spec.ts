import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/postgres.js';
import type { Clock } from '../time/clock.js';
import { loadAuthConfig } from '../config/auth.config.js';
import type { Database } from '../database/database.js';
import { openDatabase } from '../database/database.module.js';
import { RevocationRepository } from './revocation.repository.js';
import { RevocationService } from './revocation.service.js';

const T = Date.UTC(2026, 0, 1);

describe.each(['sqlite', 'postgres'] as const)('revocation feed cursor (%s)', (driver) => {
  let dir: string;
  let pgDb: TestDatabase | undefined;
  let db: Database;
  let repository: RevocationRepository;
  let service: RevocationService;
  const clock: Clock & { time: number } = {
    time: T,
    now(): number {
      return this.time;
    },
  };

  beforeEach(async () => {
    clock.time = T;
    dir = await mkdtemp(join(tmpdir(), 'revocations-'));
    pgDb = driver === 'postgres' ? await createTestDatabase() : undefined;
    const config = loadAuthConfig({ DATA_DIR: dir, ...(pgDb ? { DATABASE_URL: pgDb.url } : {}) });
    db = await openDatabase(config.database, clock);
    repository = new RevocationRepository(db);
    service = new RevocationService(repository, clock, config.tokens);
  });
  afterEach(async () => {
    await db.close();
    await pgDb?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  const sids = (...values: string[]) => repository.add(service.sessions(values, clock.now()));

  it('without since: every live entry and full; with since: only newer ones and the same cursor when nothing is new', async () => {
    expect(await service.page(undefined)).toEqual({ cursor: 0, full: true, entries: [] });
    await sids('a', 'b');
    const first = await service.page(undefined);
    expect(first.full).toBe(true);
    expect(first.entries.map((e) => e.value)).toEqual(['a', 'b']);
    await sids('c');
    await sleep(300); // past the 250 ms memo of the latest cursor
    const next = await service.page(first.cursor);
    expect(next).toMatchObject({ full: false, entries: [{ type: 'sid', value: 'c' }] });
    expect(next.cursor).toBeGreaterThan(first.cursor);
    expect(await service.page(next.cursor)).toEqual({ cursor: next.cursor, full: false, entries: [] });
  });

  it('a cursor beyond the latest (another or a restored database) gets a full answer', async () => {
    await sids('a');
    expect(await service.page(1_000)).toMatchObject({ full: true, entries: [{ value: 'a' }] });
  });

  it('expired entries are neither served nor kept, and pruning never lets an id come back', async () => {
    await sids('old');
    const { cursor } = await service.page(undefined);
    clock.time += 15 * 60_000 + 30_000;
    expect((await service.page(undefined)).entries).toEqual([]);
    expect(await service.prune()).toBe(1);
    await sids('new');
    const after = await service.page(cursor);
    expect(after.entries.map((e) => [e.value, e.id > cursor])).toEqual([['new', true]]);
  });

  it('a jti entry lives until the token expires (plus tolerance), not a whole token lifetime', async () => {
    await service.revokeToken('j1', T / 1000 + 60);
    const [entry] = (await service.page(undefined)).entries;
    expect(entry).toMatchObject({ type: 'jti', value: 'j1', revokedAt: T, expiresAt: T + 60_000 + 30_000 });
    await service.revokeToken('j2', T / 1000 - 3_600);
    expect((await service.page(undefined)).entries).toHaveLength(1);
  });

  it('a reader never sees a cursor before every lower entry is committed (concurrent writers)', async () => {
    // Writer 1 inserts and holds its transaction open; writer 2 inserts after it and commits at once.
    const slow = db.transaction(async (tx) => {
      await repository.record(tx, service.sessions(['slow'], T));
      await sleep(400);
    });
    await sleep(100);
    const fast = repository.add(service.sessions(['fast'], T));
    await sleep(150);
    // Whatever a reader sees now, every entry up to its cursor must be there when served.
    const seen = await service.page(undefined);
    await Promise.all([slow, fast]);
    await sleep(300);
    const all = await service.page(undefined);
    const missed = all.entries.filter((e) => e.id <= seen.cursor && !seen.entries.some((s) => s.id === e.id));
    expect(missed).toEqual([]);
    expect(all.entries.map((e) => e.value)).toEqual(['slow', 'fast']);
  });
});
