import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../../apps/auth-service/src/time/clock.js';
import { openDatabase } from '../../apps/auth-service/src/database/database.module.js';
import { hashRefreshToken } from '../../apps/auth-service/src/sessions/refresh-token.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres.js';
import { BUILT, ServiceProcess, sleep } from '../support/service-process.js';
import { loop, send } from './support/load.js';

const CLIENTS = 20;
const CREDENTIALS = { username: 'testuser', password: 'password' };

/** One client of the storm: the token it holds now, every token it got a 200 for, and its first token. */
interface Client {
  first: string;
  current: string;
  rotated: string[];
}

type Target = { env: Record<string, string>; database: { url?: string; dataDir: string } };

/**
 * N sessions refresh one at a time each, all at once; the auth-service is SIGKILLed at a random moment
 * and restarted on the same data. See docs/sessions.md "A refresh whose answer was lost".
 */
async function storm(target: Target, dir: string) {
  const env = { ...target.env, KEYS_DIR: join(dir, 'keys'), LOGIN_MAX_FAILURES: '1000', LOGIN_ADDRESS_MAX_FAILURES: '100000' };
  const statuses: number[] = [];
  let auth = await ServiceProcess.start(BUILT.auth, env, { stderr: 'collect' });
  const clients: Client[] = [];
  const logins = loop(5, 0, async () => {
    if (clients.length >= CLIENTS) return;
    const reply = await send(`${auth.url}/auth/login`, { body: CREDENTIALS });
    if (reply.status !== 200) throw new Error(`login answered ${reply.status}`);
    const token = reply.body.refresh_token as string;
    if (clients.length < CLIENTS) clients.push({ first: token, current: token, rotated: [] });
  });
  while (clients.length < CLIENTS) await sleep(20);
  await logins.stop();

  let rotations = 0;
  const lost = new Set<Client>();
  const refreshing = loop(CLIENTS, 0, async (i) => {
    const client = clients[i];
    if (lost.has(client)) return;
    const reply = await send(`${auth.url}/auth/refresh`, { body: { refresh_token: client.current } });
    if (reply.status === 0) {
      lost.add(client); // killed: this answer is lost, whether or not the server had committed it
      return;
    }
    statuses.push(reply.status);
    if (reply.status !== 200) throw new Error(`refresh answered ${reply.status} before the kill`);
    client.rotated.push(client.current);
    client.current = reply.body.refresh_token as string;
    rotations += 1;
  });
  // oxlint-disable-next-line no-unmodified-loop-condition -- the clients' callbacks above count `rotations` while this waits
  while (rotations < CLIENTS) await sleep(5);
  const killDelayMs = Math.round(Math.random() * 1_000);
  await sleep(killDelayMs);
  const rotationsAtKill = rotations;
  await auth.kill();
  while (lost.size < CLIENTS) await sleep(10);
  await refreshing.stop();

  auth = await ServiceProcess.start(BUILT.auth, env, { stderr: 'collect' });
  try {
    // The stored chain of every session, as the restarted service sees it, before anything is presented again.
    const db = await openDatabase(target.database, systemClock);
    let committedButLost = 0;
    try {
      for (const client of clients) {
        const [{ family_id: family }] = await db.query<{ family_id: string }>('SELECT family_id FROM refresh_tokens WHERE token_hash = $1', [
          hashRefreshToken(client.first),
        ]);
        const unused = await db.query<{ token_hash: string }>('SELECT token_hash FROM refresh_tokens WHERE family_id = $1 AND used_at IS NULL', [family]);
        expect(unused).toHaveLength(1); // one head per session: no fork, no lost chain
        for (const token of client.rotated) {
          const [row] = await db.query<{ used_at: number | null }>('SELECT used_at FROM refresh_tokens WHERE token_hash = $1', [hashRefreshToken(token)]);
          expect(row.used_at).not.toBeNull();
        }
        if (unused[0].token_hash !== hashRefreshToken(client.current)) committedButLost += 1;
      }
    } finally {
      await db.close();
    }

    // The newest token each client holds works exactly once, or (its rotation committed before the kill) revokes the session.
    const outcomes = { rotatedOnce: 0, sessionRevoked: 0 };
    for (const client of clients) {
      const retry = await send(`${auth.url}/auth/refresh`, { body: { refresh_token: client.current } });
      statuses.push(retry.status);
      expect([200, 400]).toContain(retry.status);
      if (retry.status === 200) {
        outcomes.rotatedOnce += 1;
        const again = await send(`${auth.url}/auth/refresh`, { body: { refresh_token: client.current } });
        const successor = await send(`${auth.url}/auth/refresh`, { body: { refresh_token: retry.body.refresh_token } });
        statuses.push(again.status, successor.status);
        expect([again.status, successor.status]).toEqual([400, 400]); // the reuse revoked the session
      } else {
        outcomes.sessionRevoked += 1;
      }
      for (const old of client.rotated.slice(-2)) {
        const reused = await send(`${auth.url}/auth/refresh`, { body: { refresh_token: old } });
        statuses.push(reused.status);
        expect(reused.status).toBe(400);
      }
    }
    expect(outcomes.sessionRevoked).toBe(committedButLost);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    return { clients: CLIENTS, killDelayMs, rotationsAtKill, requests: statuses.length, committedButLost, ...outcomes };
  } finally {
    await auth.stop();
  }
}

describe('SIGKILL during a concurrent refresh storm', () => {
  let dir: string;
  let pg: TestDatabase | undefined;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sigkill-refresh-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  afterAll(async () => {
    await pg?.drop();
  });

  it("SQLite: after the restart no token works twice and each client's newest token works once or its session is revoked", async () => {
    const dataDir = join(dir, 'data');
    const figures = await storm({ env: { DATA_DIR: dataDir }, database: { dataDir } }, dir);
    process.stdout.write(`sigkill-refresh sqlite: ${JSON.stringify(figures)}\n`);
  }, 90_000);

  it('PostgreSQL: the same after a SIGKILL mid-storm', async () => {
    pg = await createTestDatabase();
    const figures = await storm({ env: { DATABASE_URL: pg.url }, database: { url: pg.url, dataDir: 'unused' } }, dir);
    process.stdout.write(`sigkill-refresh postgres: ${JSON.stringify(figures)}\n`);
  }, 90_000);
});
