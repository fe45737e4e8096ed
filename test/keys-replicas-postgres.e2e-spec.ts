import request from 'supertest';
import { DATABASE, type Database } from '../apps/auth-service/src/database/database.js';
import { startAuth, tempDir, type RunningAuth } from './support/auth-app.js';
import { createTestDatabase, type TestDatabase } from './support/postgres.js';
import { headerOf, HOUR, jwksKids, login, managedStore, ManualClock, MINUTE, startResource } from './support/stack.js';

const SECRET = 'test-only-secret-0123456789abcdefghijklmnop';
const SCHEDULE = { KEYS_SOURCE: 'managed', KEY_ROTATION_INTERVAL: '1h', KEY_ACTIVATION_DELAY: '5m', KEY_RETENTION: '2h', KEY_SYNC_INTERVAL: '10s' };

async function jwksOf(auth: RunningAuth): Promise<{ etag: string; body: string }> {
  const res = await request(auth.url).get('/.well-known/jwks.json').expect(200);
  return { etag: res.headers.etag, body: JSON.stringify(res.body) };
}

async function keyRows(auth: RunningAuth): Promise<number> {
  return (await auth.app.get<Database>(DATABASE).query('SELECT kid FROM signing_keys')).length;
}

/** Several auth-service replicas on one PostgreSQL (docs/key-rotation.md, invariant 3). */
describe('managed keys: replicas on PostgreSQL', () => {
  let db: TestDatabase;
  let dir: { dir: string; remove: () => Promise<void> };

  beforeEach(async () => {
    db = await createTestDatabase();
    dir = await tempDir();
  });
  afterEach(async () => {
    await db.drop();
    await dir.remove();
  });

  it('shared key set: concurrent first start, one JWKS, one rotation per interval, tokens verify across replicas', async () => {
    const clock = new ManualClock();
    const env = { ...SCHEDULE, DATABASE_URL: db.url, KEYS_ENCRYPTION_SECRET: SECRET };
    const replicas = await Promise.all([1, 2, 3].map(() => startAuth(env, { clock, dir: dir.dir })));
    const [a, b, c] = replicas;
    try {
      expect(await keyRows(a)).toBe(1);
      const first = await jwksOf(a);
      expect(await jwksOf(b)).toEqual(first);
      expect(await jwksOf(c)).toEqual(first);

      // A token of any replica verifies at a resource-service reading another replica's JWKS.
      const viaB = await startResource(`${b.url}/.well-known/jwks.json`, { clock });
      const viaA = await startResource(`${a.url}/.well-known/jwks.json`, { clock });
      try {
        await request(viaB.url)
          .get('/resource/protected')
          .auth(await login(a), { type: 'bearer' })
          .expect(200);
        await request(viaA.url)
          .get('/resource/protected')
          .auth(await login(c), { type: 'bearer' })
          .expect(200);

        // The rotation comes due on all replicas at once: exactly one successor is created.
        clock.advance(55 * MINUTE);
        await Promise.all(replicas.map((r) => managedStore(r).sync()));
        expect(await keyRows(a)).toBe(2);
        const rotated = await jwksOf(a);
        expect(await jwksOf(b)).toEqual(rotated);
        expect(await jwksOf(c)).toEqual(rotated);

        clock.advance(5 * MINUTE);
        await Promise.all(replicas.map((r) => managedStore(r).sync()));
        const kids = new Set(await Promise.all(replicas.map(async (r) => headerOf(await login(r)).kid)));
        expect(kids.size).toBe(1);
        await request(viaA.url)
          .get('/resource/protected')
          .auth(await login(b), { type: 'bearer' })
          .expect(200);

        // A second interval: still one new key for the cluster.
        clock.advance(HOUR);
        await Promise.all(replicas.map((r) => managedStore(r).sync()));
        expect(await keyRows(a)).toBe(3);
      } finally {
        await viaA.close();
        await viaB.close();
      }
    } finally {
      await Promise.all(replicas.map((r) => r.close()));
    }
  });

  it('a replica that dies before the rotation leaves it to the others; a restart keeps the shared key', async () => {
    const clock = new ManualClock();
    const env = { ...SCHEDULE, DATABASE_URL: db.url, KEYS_ENCRYPTION_SECRET: SECRET };
    const [a, b] = await Promise.all([startAuth(env, { clock, dir: dir.dir }), startAuth(env, { clock, dir: dir.dir })]);
    const [kid] = await jwksKids(a);
    await a.close();
    clock.advance(56 * MINUTE);
    await managedStore(b).sync();
    expect(await jwksKids(b)).toHaveLength(2);
    const again = await startAuth(env, { clock, dir: dir.dir });
    try {
      expect(await jwksOf(again)).toEqual(await jwksOf(b));
      expect(headerOf(await login(again)).kid).toBe(kid);
    } finally {
      await again.close();
      await b.close();
    }
  });

  it('per-replica keys: each replica signs with its own key, every replica publishes all of them', async () => {
    const clock = new ManualClock();
    const env = { ...SCHEDULE, DATABASE_URL: db.url };
    const a = await startAuth(env, { clock, dir: dir.dir });
    const b = await startAuth(env, { clock, dir: dir.dir });
    try {
      await managedStore(a).sync();
      expect(await jwksOf(a)).toEqual(await jwksOf(b));
      expect(await jwksKids(a)).toHaveLength(2);
      // b joined while a signs: its key is published for two sync intervals before it signs.
      await request(b.url).post('/auth/login').send({ username: 'testuser', password: 'password' }).expect(503);
      clock.advance(20_000);
      const fromB = await login(b);
      const viaA = await startResource(`${a.url}/.well-known/jwks.json`, { clock });
      try {
        await request(viaA.url).get('/resource/protected').auth(fromB, { type: 'bearer' }).expect(200);
        expect(headerOf(await login(a)).kid).not.toBe(headerOf(fromB).kid);
      } finally {
        await viaA.close();
      }
    } finally {
      await a.close();
      await b.close();
    }
  });
});
