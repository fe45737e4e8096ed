import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { BUILT, ServiceProcess, sleep } from '../support/service-process.js';
import { slowConnection, spread, type SlowKind, type SlowOutcome } from '../support/slow-client.js';

/** Short timeouts, so that the test sees the server cut slow clients in seconds (docs/operations.md "HTTP timeouts"). */
const TIMEOUTS = { HTTP_HEADERS_TIMEOUT: '2s', HTTP_REQUEST_TIMEOUT: '3s', HTTP_KEEP_ALIVE_TIMEOUT: '2s', HTTP_CONNECTION_TIMEOUT: '10s' };
/** Each limit as measured here: the timeout, node's once-a-second check (keep-alive: node's 1 s buffer), and slack for a busy machine. */
const SLACK_MS = 5_000;
const LIMIT_MS: Record<SlowKind, number> = {
  'request-line': 2_000 + 1_000 + SLACK_MS,
  headers: 2_000 + 1_000 + SLACK_MS,
  body: 3_000 + 1_000 + SLACK_MS,
  'idle-keep-alive': 2_000 + 1_000 + SLACK_MS,
};
const KINDS: SlowKind[] = ['request-line', 'headers', 'body', 'idle-keep-alive'];
const CONNECTIONS = 200;
/** A client still open after this long hangs up itself: the server did not cut it (node's defaults take 60-90 s). */
const GIVE_UP_MS = 20_000;

interface Siege {
  outcomes: SlowOutcome[];
  served: number;
  failed: string[];
  tookMs: number;
}

/** Opens CONNECTIONS slow connections (the four kinds in turn) while a normal client keeps calling `normal`. */
async function siege(port: number, paths: { keepAlivePath: string; bodyPath: string }, normal: () => PromiseLike<{ status: number }>): Promise<Siege> {
  const started = Date.now();
  const slow = Promise.all(Array.from({ length: CONNECTIONS }, (_, i) => slowConnection(port, KINDS[i % KINDS.length], { ...paths, giveUpMs: GIVE_UP_MS })));
  const progress = { done: false };
  void slow.then(() => (progress.done = true));
  let served = 0;
  const failed: string[] = [];
  while (!progress.done) {
    try {
      const { status } = await normal();
      if (status === 200) served += 1;
      else failed.push(`status ${status}`);
    } catch (error: unknown) {
      failed.push(error instanceof Error ? error.message : String(error));
    }
    await sleep(10); // a paced client; and the loop always yields to timers, even if a call fails at once
  }
  return { outcomes: await slow, served, failed, tookMs: Date.now() - started };
}

function report(service: string, result: Siege): string {
  const byKind = KINDS.map((kind) => {
    const held = spread(result.outcomes.filter((o) => o.kind === kind).map((o) => o.heldMs));
    return `${kind} ${held.min}/${held.median}/${held.max} ms`;
  });
  return `slow clients, ${service}: ${result.outcomes.length} connections ended within ${result.tookMs} ms, ${result.outcomes.filter((o) => o.closedByServer).length} closed by the server (min/median/max held: ${byKind.join(', ')}); ${result.served} normal requests served, ${result.failed.length} failed\n`;
}

function expectAllCut(result: Siege): void {
  for (const outcome of result.outcomes) {
    expect({ kind: outcome.kind, closedByServer: outcome.closedByServer, withinLimit: outcome.heldMs <= LIMIT_MS[outcome.kind] }).toEqual({
      kind: outcome.kind,
      closedByServer: true,
      withinLimit: true,
    });
    // A slow request is answered 408; an idle keep-alive connection got its 200 and then the close.
    expect(outcome.statusLines).toEqual([outcome.kind === 'idle-keep-alive' ? 'HTTP/1.1 200 OK' : 'HTTP/1.1 408 Request Timeout']);
  }
  expect(result.failed).toEqual([]);
  expect(result.served).toBeGreaterThan(0);
}

describe('fault: slowloris and idle clients against the built services', () => {
  let dir: string;
  let auth: ServiceProcess;
  let resource: ServiceProcess;
  let token: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'slow-clients-'));
    auth = await ServiceProcess.start(BUILT.auth, { KEYS_DIR: join(dir, 'keys'), DATA_DIR: join(dir, 'data'), ...TIMEOUTS });
    resource = await ServiceProcess.start(BUILT.resource, { JWKS_URI: `${auth.url}/.well-known/jwks.json`, ...TIMEOUTS });
    const login = await request(auth.url).post('/auth/login').send({ username: 'testuser', password: 'password' }).expect(200);
    token = (login.body as { access_token: string }).access_token;
  }, 60_000);

  afterAll(async () => {
    await resource?.stop();
    await auth?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('auth-service: cuts 200 slow connections within the timeouts while serving a normal client', async () => {
    const result = await siege(auth.port, { keepAlivePath: '/.well-known/jwks.json', bodyPath: '/auth/login' }, () =>
      request(auth.url).get('/.well-known/jwks.json'),
    );
    process.stdout.write(report('auth-service', result));

    expectAllCut(result);
    expect(auth.running).toBe(true);
  }, 60_000);

  it('resource-service: cuts 200 slow connections within the timeouts while serving a normal client', async () => {
    const protectedCall = () => request(resource.url).get('/resource/protected').set('Authorization', `Bearer ${token}`);
    const result = await siege(resource.port, { keepAlivePath: '/resource/public', bodyPath: '/resource/public' }, protectedCall);
    process.stdout.write(report('resource-service', result));

    expectAllCut(result);
    expect(resource.running).toBe(true);
  }, 60_000);
});
