import pg from 'pg';
import { headerOf } from '../support/stack.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres.js';
import { BUILT, ServiceProcess } from '../support/service-process.js';

const ISSUER = 'http://auth.late-rotation.test';
/** The database-wide lock every rotation takes (apps/auth-service/src/database/postgres.database.ts). */
const MAINTENANCE_LOCK_ID = 7_462_001;
/**
 * A key signs 5 s and stays published 12 s from activation; tokens live 1 s (+1 s tolerance): a key
 * whose successor is late may sign on for up to 12 - 5 - 1 - 1 = 5 s (docs/key-rotation.md).
 */
const SCHEDULE = {
  KEYS_SOURCE: 'managed',
  AUTH_ISSUER: ISSUER,
  KEY_ROTATION_INTERVAL: '5s',
  KEY_ACTIVATION_DELAY: '1s',
  KEY_RETENTION: '12s',
  KEY_SYNC_INTERVAL: '10s',
  ACCESS_TOKEN_TTL: '1s',
  CLOCK_TOLERANCE: '1s',
};
/** How long past the end of the first key's interval the rotation lock is held. */
const LATE_MS = 2_500;

interface Outcome {
  at: number;
  login: number;
  kid?: string;
  call?: number;
}

/** One login at the auth-service and, with its token, one protected call at the resource-service. */
async function loginAndCall(auth: ServiceProcess, resource: ServiceProcess): Promise<Outcome> {
  const at = Date.now();
  const login = await fetch(`${auth.url}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'testuser', password: 'password' }),
  });
  const body = (await login.json()) as { access_token?: string };
  if (login.status !== 200 || !body.access_token) return { at, login: login.status };
  const call = await fetch(`${resource.url}/resource/protected`, { headers: { authorization: `Bearer ${body.access_token}` } });
  await call.arrayBuffer();
  return { at, login: login.status, kid: headerOf(body.access_token).kid, call: call.status };
}

/**
 * A rotation that comes late on real processes, the real clock and a real PostgreSQL: the lock every
 * rotation takes is held from before the successor is due until past the end of the signing key's
 * interval, so the successor cannot be written. Every login must still be answered, signed by the key
 * whose interval ended, and verified by a resource-service; once the lock is free the late-rotation
 * schedule takes over and a successor signs.
 */
describe('a late rotation (the rotation lock held past the end of the interval)', () => {
  let database: TestDatabase;
  let locker: pg.Client;
  const processes: ServiceProcess[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await locker?.end().catch(() => undefined);
    await database.drop();
  });

  it('keeps signing with the overdue key, every token verifying, then rotates once the lock is free', async () => {
    const auth = await ServiceProcess.start(BUILT.auth, { ...SCHEDULE, DATABASE_URL: database.url });
    processes.push(auth);
    const resource = await ServiceProcess.start(BUILT.resource, {
      AUTH_ISSUER: ISSUER,
      JWKS_URI: `${auth.url}/.well-known/jwks.json`,
      JWKS_REQUESTS_PER_MINUTE: '600',
      CLOCK_TOLERANCE: '1s',
    });
    processes.push(resource);

    locker = new pg.Client({ connectionString: database.url });
    await locker.connect();
    await locker.query('SELECT pg_advisory_lock($1)', [MAINTENANCE_LOCK_ID]);
    const { rows } = await locker.query<{ kid: string; deprecates_at: string }>('SELECT kid, deprecates_at FROM signing_keys');
    // The lock is held before the successor was due (1 s before the end of the interval): no successor exists.
    expect(rows).toHaveLength(1);
    const first = rows[0].kid;
    const intervalEnds = Number(rows[0].deprecates_at);
    expect(Date.now()).toBeLessThan(intervalEnds - 1_000);

    const held: Outcome[] = [];
    while (Date.now() < intervalEnds + LATE_MS) held.push(await loginAndCall(auth, resource));
    await locker.query('SELECT pg_advisory_unlock($1)', [MAINTENANCE_LOCK_ID]);

    const after: Outcome[] = [];
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && !after.some((o) => o.kid !== undefined && o.kid !== first)) after.push(await loginAndCall(auth, resource));

    const failed = [...held, ...after].filter((o) => o.login !== 200 || o.call !== 200);
    expect(failed.map((o) => `+${o.at - intervalEnds}ms login ${o.login} call ${o.call}`)).toEqual([]);
    const overdue = held.filter((o) => o.at >= intervalEnds);
    expect(overdue.length).toBeGreaterThan(0);
    expect(new Set(held.map((o) => o.kid))).toEqual(new Set([first]));
    expect(after.at(-1)?.kid).not.toBe(first);
    await auth.waitForLog((r) => /signs past the end of its interval/.test(String(r.msg)), 1_000);
    process.stdout.write(
      `late rotation: ${held.length} logins while the lock was held (${overdue.length} after the interval ended), ${after.length} after, 0 failures\n`,
    );
  }, 60_000);
});
