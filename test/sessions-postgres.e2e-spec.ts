import { UsersService } from '../apps/auth-service/src/users/users.service.js';
import { startAuth, tempDir, type RunningAuth } from './support/auth-app.js';
import { createTestDatabase, type TestDatabase } from './support/postgres.js';
import { TcpProxy } from './support/tcp-proxy.js';
import { INVALID_GRANT, login, logout, ManualClock, MINUTE, refresh } from './support/sessions.js';

/** The sessions and the brute-force defence on PostgreSQL, with two replicas sharing one database. */
describe('sessions on PostgreSQL', () => {
  let db: TestDatabase;
  let dir: { dir: string; remove: () => Promise<void> };
  let a: RunningAuth;
  let b: RunningAuth;
  const clock = new ManualClock();
  const env = () => ({ DATABASE_URL: db.url, LOGIN_ADDRESS_MAX_FAILURES: '1000' });

  beforeAll(async () => {
    db = await createTestDatabase();
    dir = await tempDir();
    [a, b] = await Promise.all([startAuth(env(), { dir: dir.dir, clock }), startAuth(env(), { dir: dir.dir, clock })]);
    const users = a.app.get(UsersService);
    for (const name of ['rita', 'lock1', 'lock2']) await users.create(name, 'correct horse');
  });
  afterAll(async () => {
    await Promise.all([a.app.close(), b.app.close()]);
    await dir.remove();
    await db.drop();
  });

  it('rotates on one replica and the new token works on the other', async () => {
    const first = (await login(a.url).expect(200)).body.refresh_token;
    const second = (await refresh(b.url, first).expect(200)).body.refresh_token;
    const third = (await refresh(a.url, second).expect(200)).body.refresh_token;
    expect(new Set([first, second, third]).size).toBe(3);
  });

  it('detects reuse across replicas and revokes the whole family', async () => {
    const first = (await login(a.url).expect(200)).body.refresh_token;
    const second = (await refresh(a.url, first).expect(200)).body.refresh_token;
    expect((await refresh(b.url, first).expect(400)).body).toEqual(INVALID_GRANT);
    expect((await refresh(a.url, second).expect(400)).body).toEqual(INVALID_GRANT);
  });

  it('lets exactly one of five concurrent refreshes with one token succeed (one replica)', async () => {
    const token = (await login(a.url).expect(200)).body.refresh_token;
    const answers = await Promise.all(Array.from({ length: 5 }, () => refresh(a.url, token)));
    expect(answers.map((r) => r.status).sort()).toEqual([200, 400, 400, 400, 400]);
  });

  it('lets exactly one of five concurrent refreshes with one token succeed (spread over two replicas)', async () => {
    for (let round = 0; round < 3; round++) {
      const token = (await login(a.url).expect(200)).body.refresh_token;
      const answers = await Promise.all([a, b, a, b, a].map((replica) => refresh(replica.url, token)));
      expect(answers.map((r) => r.status).sort()).toEqual([200, 400, 400, 400, 400]);
    }
  });

  it('ends a session everywhere on logout', async () => {
    const token = (await login(b.url).expect(200)).body.refresh_token;
    await logout(a.url, token).expect(204);
    await refresh(b.url, token).expect(400);
  });

  it('shares the lockout counter: failures on either replica lock the account on both, and it unlocks by itself', async () => {
    for (let i = 0; i < 5; i++) await login((i % 2 ? a : b).url, 'lock1', 'wrong-password').expect(401);
    const locked = await login(a.url, 'lock1', 'correct horse').expect(429);
    expect(locked.headers['retry-after']).toBe('300');
    await login(b.url, 'lock1', 'correct horse').expect(429);
    clock.advance(5 * MINUTE);
    await login(b.url, 'lock1', 'correct horse').expect(200);
  });

  it('counts a parallel burst over both replicas exactly: 5 of 10 guesses are checked', async () => {
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => login((i % 2 ? a : b).url, 'lock2', 'wrong-password')));
    expect(answers.map((r) => r.status).sort()).toEqual([401, 401, 401, 401, 401, 429, 429, 429, 429, 429]);
  });

  it('answers 503 to a refresh while the database is down, and the same token works once it is back', async () => {
    const proxy = new TcpProxy(5432);
    const port = await proxy.start();
    const url = new URL(db.url);
    url.port = String(port);
    const c = await startAuth({ ...env(), DATABASE_URL: url.toString() }, { dir: dir.dir, clock });
    const token = (await login(c.url, 'rita', 'correct horse').expect(200)).body.refresh_token;
    await proxy.stop();
    const down = await refresh(c.url, token).expect(503);
    expect(down.headers['retry-after']).toBe('5');
    expect(JSON.stringify(down.body)).not.toContain(token);
    await proxy.start(port);
    await refresh(c.url, token).expect(200);
    await c.app.close();
    await proxy.stop();
  });

  it('keeps sessions across a restart of every replica', async () => {
    const token = (await login(a.url, 'rita', 'correct horse').expect(200)).body.refresh_token;
    await Promise.all([a.app.close(), b.app.close()]);
    [a, b] = await Promise.all([startAuth(env(), { dir: dir.dir, clock }), startAuth(env(), { dir: dir.dir, clock })]);
    const next = (await refresh(b.url, token).expect(200)).body.refresh_token;
    await refresh(a.url, next).expect(200);
  });
});
