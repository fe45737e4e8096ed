import request from 'supertest';
import { systemClock } from '../apps/auth-service/src/time/clock.js';
import { openDatabase } from '../apps/auth-service/src/database/database.module.js';
import { MIGRATIONS } from '../apps/auth-service/src/database/migrations.js';
import { startAuth, tempDir } from './support/auth-app.js';
import { createTestDatabase, type TestDatabase } from './support/postgres.js';
import { TcpProxy } from './support/tcp-proxy.js';

describe('auth-service on PostgreSQL', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it('applies each migration once when several processes start at once', async () => {
    const opened = await Promise.all([1, 2, 3, 4].map(() => openDatabase({ url: db.url, dataDir: 'unused' }, systemClock)));
    const rows = await opened[0].query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    expect(rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
    await Promise.all(opened.map((d) => d.close()));
  });

  it('serves the walk-through with users in PostgreSQL, shared by two replicas', async () => {
    const { dir, remove } = await tempDir();
    const [a, b] = await Promise.all([startAuth({ DATABASE_URL: db.url }, { dir }), startAuth({ DATABASE_URL: db.url }, { dir })]);
    await request(a.url).post('/auth/login').send({ username: 'testuser', password: 'password' }).expect(200);
    await request(b.url).post('/auth/login').send({ username: 'testuser', password: 'password' }).expect(200);
    const users = await openDatabase({ url: db.url, dataDir: 'unused' }, systemClock);
    expect(await users.query('SELECT username FROM users')).toEqual([{ username: 'testuser' }]);
    await users.close();
    await Promise.all([a.app.close(), b.app.close()]);
    await remove();
  });

  it('answers 503 on login while the database is down, keeps serving the JWKS, and recovers', async () => {
    const proxy = new TcpProxy(5432);
    const port = await proxy.start();
    const url = new URL(db.url);
    url.port = String(port);
    const auth = await startAuth({ DATABASE_URL: url.toString() });
    await request(auth.url).post('/auth/login').send({ username: 'testuser', password: 'password' }).expect(200);

    await proxy.stop();
    const down = await request(auth.url).post('/auth/login').send({ username: 'testuser', password: 'password' }).expect(503);
    expect(down.body.code).toBe('ERR_SERVICE_UNAVAILABLE');
    expect(JSON.stringify(down.body)).not.toMatch(/postgres|5432|ECONN/i);
    await request(auth.url).get('/.well-known/jwks.json').expect(200);

    await proxy.start(port);
    await request(auth.url).post('/auth/login').send({ username: 'testuser', password: 'password' }).expect(200);
    await auth.close();
    await proxy.stop();
  });
});
