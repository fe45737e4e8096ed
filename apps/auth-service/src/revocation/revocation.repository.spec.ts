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
import { RevocationRecorder } from './revocation-recorder.js';
import { CLIENT_TOKEN_BUDGET, type RevocableToken, RevocationService, SESSION_TOKEN_BUDGET } from './revocation.service.js';

const T = Date.UTC(2026, 0, 1);

describe.each(['sqlite', 'postgres'] as const)('revocation feed cursor (%s)', (driver) => {
  let dir: string;
  let pgDb: TestDatabase | undefined;
  let db: Database;
  let repository: RevocationRepository;
  let service: RevocationService;
  let recorder: RevocationRecorder;
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
    recorder = new RevocationRecorder(repository, config.tokens);
    service = new RevocationService(repository, recorder, clock, config.tokens);
  });
  afterEach(async () => {
    await db.close();
    await pgDb?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  const sids = (...values: string[]) => repository.add(recorder.sessionEntries(values, clock.now()));

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
    await service.revokeToken({ jti: 'j1', exp: T / 1000 + 60, iat: T / 1000, sid: 's1', clientId: 'default' });
    const [entry] = (await service.page(undefined)).entries;
    expect(entry).toMatchObject({ type: 'jti', value: 'j1', revokedAt: T, expiresAt: T + 60_000 + 30_000 });
    expect(await service.revokeToken({ jti: 'j2', exp: T / 1000 - 3_600, iat: T / 1000 - 4_500, sid: 's1', clientId: 'default' })).toBe('expired');
    expect((await service.page(undefined)).entries).toHaveLength(1);
  });

  it('a reader never sees a cursor before every lower entry is committed (concurrent writers)', async () => {
    // Writer 1 inserts and holds its transaction open; writer 2 inserts after it and commits at once.
    const slow = db.transaction(async (tx) => {
      await repository.record(tx, recorder.sessionEntries(['slow'], T));
      await sleep(400);
    });
    await sleep(100);
    const fast = repository.add(recorder.sessionEntries(['fast'], T));
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

  /** An access token of ours, issued now, 15 minutes long: of session `sid` (a user token) or of none (client credentials). */
  const token = (jti: string, owner: { sid: string } | { clientId: string }): RevocableToken => ({
    jti,
    iat: Math.floor(clock.now() / 1000),
    exp: Math.floor(clock.now() / 1000) + 900,
    ...('sid' in owner ? { sid: owner.sid, clientId: 'default' } : { clientId: owner.clientId }),
  });
  const rows = () => db.query<{ type: string; value: string }>('SELECT type, value FROM revocations ORDER BY id');

  it('revoking one token 200 times, one after another and concurrently, leaves one entry and the cursor where the first put it', async () => {
    const t = token('j-flood', { sid: 's-flood' });
    expect(await service.revokeToken(t)).toBe('listed');
    const cursor = await repository.latest();
    for (let i = 0; i < 100; i++) expect(await service.revokeToken(t)).toBe('covered');
    await Promise.all(Array.from({ length: 100 }, () => service.revokeToken(t)));
    expect(await rows()).toEqual([{ type: 'jti', value: 'j-flood' }]);
    await sleep(300); // past the memo: the database's own latest id
    expect(await repository.latest()).toBe(cursor);
  });

  it('concurrent first revocations of one token write one entry (the unique index and ON CONFLICT DO NOTHING)', async () => {
    const t = token('j-race', { clientId: 'svc' });
    const outcomes = await Promise.all(Array.from({ length: 50 }, () => service.revokeToken(t)));
    expect(outcomes.filter((o) => o === 'listed')).toHaveLength(1);
    expect(await rows()).toEqual([{ type: 'jti', value: 'j-race' }]);
    // Below the service too: a second insert of the same pair inserts nothing.
    expect(await repository.add([{ type: 'jti', value: 'j-race', revokedAt: T, expiresAt: T + 60_000 }])).toBe(0);
  });

  it(`a session's access tokens add at most ${SESSION_TOKEN_BUDGET} entries; the next one is over budget and writes nothing`, async () => {
    for (let i = 0; i < SESSION_TOKEN_BUDGET; i++) expect(await service.revokeToken(token(`j${i}`, { sid: 's' }))).toBe('listed');
    const concurrent = await Promise.all(Array.from({ length: 10 }, (_, i) => service.revokeToken(token(`k${i}`, { sid: 's' }))));
    expect(new Set(concurrent)).toEqual(new Set(['session_over_budget']));
    expect(await rows()).toHaveLength(SESSION_TOKEN_BUDGET);
    // The caller ends the session (SessionsService.endSession): its sid entry replaces its jti entries.
    await repository.add(recorder.sessionEntries(['s'], clock.now()));
    expect(await rows()).toEqual([{ type: 'sid', value: 's' }]);
    // A token of a revoked session adds nothing.
    expect(await service.revokeToken(token('j-later', { sid: 's' }))).toBe('covered');
    expect(await rows()).toHaveLength(1);
  });

  it("concurrent revocations of distinct tokens of one session cannot pass its budget together (counted under the writers' lock)", async () => {
    const outcomes = await Promise.all(Array.from({ length: 12 }, (_, i) => service.revokeToken(token(`p${i}`, { sid: 'busy' }))));
    expect(outcomes.filter((o) => o === 'listed')).toHaveLength(SESSION_TOKEN_BUDGET);
    expect(await rows()).toHaveLength(SESSION_TOKEN_BUDGET);
  });

  it(`a client's client-credentials tokens add at most ${CLIENT_TOKEN_BUDGET} entries; beyond, one client_id entry cuts its earlier tokens`, async () => {
    const early = token('before-cut', { clientId: 'svc' });
    for (let i = 0; i < CLIENT_TOKEN_BUDGET; i++) expect(await service.revokeToken(token(`c${i}`, { clientId: 'svc' }))).toBe('listed');
    expect(await service.revokeToken(token('other', { clientId: 'other-svc' }))).toBe('listed');
    clock.time += 2_000;
    expect(await service.revokeToken(token(`c${CLIENT_TOKEN_BUDGET}`, { clientId: 'svc' }))).toBe('client_cut');
    expect(await rows()).toEqual([
      { type: 'jti', value: 'other' },
      { type: 'client_id', value: 'svc' },
    ]);
    // Covered: a token issued before the cut adds nothing; the revoked ones stay refused.
    expect(await service.revokeToken(early)).toBe('covered');
    expect(await service.isTokenRevoked({ ...token('c3', { clientId: 'svc' }), iat: T / 1000 })).toBe(true);
    // A token issued after the cut (a later second) is not covered: it is listed on its own.
    clock.time += 1_000;
    const after = token('after-cut', { clientId: 'svc' });
    expect(await service.isTokenRevoked(after)).toBe(false);
    expect(await service.revokeToken(after)).toBe('listed');
    // Another cut replaces the client's entry (a later revoked_at, a new cursor), never adds a second one.
    for (let i = 1; i < CLIENT_TOKEN_BUDGET; i++) expect(await service.revokeToken(token(`d${i}`, { clientId: 'svc' }))).toBe('listed'); // after-cut is the first
    clock.time += 2_000;
    expect(await service.revokeToken(token('d-last', { clientId: 'svc' }))).toBe('client_cut');
    expect((await rows()).filter((r) => r.value === 'svc' || r.value.startsWith('d') || r.value === 'after-cut')).toEqual([
      { type: 'client_id', value: 'svc' },
    ]);
  });

  it('the full answer is built once per cursor: the same bytes until an entry is written or one in it expires', async () => {
    await sids('a');
    const latest = await repository.latest();
    const first = await service.fullDocument(latest);
    expect(JSON.parse(first.toString())).toMatchObject({ full: true, entries: [{ type: 'sid', value: 'a' }] });
    expect(await service.fullDocument(latest)).toBe(first);
    await sids('b');
    const second = await service.fullDocument(await repository.latest());
    expect(second).not.toBe(first);
    expect(JSON.parse(second.toString()).entries).toHaveLength(2);
    expect(await service.fullDocument(await repository.latest())).toBe(second);
    clock.time += 15 * 60_000 + 30_000;
    const expired = await service.fullDocument(await repository.latest());
    expect(expired).not.toBe(second);
    expect(JSON.parse(expired.toString()).entries).toEqual([]);
  });
});
