import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createClient } from 'redis';
import { createTestDpopKey, type TestDpopKey } from '@app/jwt-auth/testing';
import { BUILT, freePort, ROOT, ServiceProcess } from '../support/service-process.js';
import { resourceEnvFor } from './support/revocation.js';

const run = promisify(execFile);
const CLI = join(ROOT, 'dist/apps/auth-service/src/cli.js');
/** The URL every replica is reached at behind one load balancer: the `htu` proofs name, whichever replica gets them. */
const PUBLIC_URL = 'http://api.test';
const HTU = `${PUBLIC_URL}/resource/protected`;
/** The auth-service's default issuer: the `htu` of its token endpoint. */
const TOKEN_HTU = 'http://localhost:3000/oauth/token';
const REDIS_PASSWORD = 'fault-Pa55-word';

interface Captured {
  token: string;
  proof: string;
}

/**
 * docs/dpop.md "Replay" with the built services as processes: two resource-service replicas sharing
 * their DPoP replay records in Redis (DPOP_REPLAY_REDIS_URL) refuse at one a proof accepted at the
 * other; a replica with the default (its own memory) accepts it once more. A replica whose Redis
 * refuses connections starts, serves bearer tokens and refuses DPoP requests 503, and neither its
 * answers nor its logs show anything of the Redis URL.
 */
describe('DPoP replay records shared by built resource-service replicas through Redis', () => {
  const prefix = `test:dpop-replicas:${randomUUID()}:`;
  let dir: string;
  let auth: ServiceProcess;
  /** A and B share Redis; B also has DPOP_REQUIRED, so its readiness includes Redis. */
  let a: ServiceProcess;
  let b: ServiceProcess;
  /** The default: records in its own memory. */
  let memory: ServiceProcess;
  /** Its Redis refuses connections (a closed port on another loopback address). */
  let unreachable: ServiceProcess;
  let unreachableUrl: string;
  let secret: string;
  let key: TestDpopKey;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dpop-replicas-'));
    const authEnv = { KEYS_DIR: join(dir, 'keys'), DATA_DIR: join(dir, 'data'), DPOP_NONCES: 'false' };
    // Everything at once: the client is registered (the built CLI, on the auth-service's database) and
    // the auth-service started on a port chosen first, while the replicas, told its JWKS URL, start.
    const authPort = await freePort();
    unreachableUrl = `redis://dpop-fault:${REDIS_PASSWORD}@127.0.0.2:${await freePort()}/0`;
    const shared = { DPOP_REPLAY_REDIS_URL: 'redis://127.0.0.1:6379', DPOP_REPLAY_REDIS_PREFIX: prefix };
    const replica = (extra: Record<string, string>) =>
      ServiceProcess.start(BUILT.resource, resourceEnvFor({ url: `http://127.0.0.1:${authPort}` }, { PUBLIC_URL, LOG_LEVEL: 'debug', ...extra }));
    const registered = run(process.execPath, [CLI, 'clients', 'add', 'replicas-svc', '--grant', 'client_credentials', '--json'], {
      cwd: ROOT,
      env: { ...process.env, NODE_OPTIONS: '', NODE_ENV: 'development', ...authEnv },
    });
    const started = await Promise.allSettled([
      registered.then(() => ServiceProcess.start(BUILT.auth, { ...authEnv, PORT: String(authPort) })),
      replica(shared),
      replica({ ...shared, DPOP_REQUIRED: 'true' }),
      replica({}),
      replica({ DPOP_REPLAY_REDIS_URL: unreachableUrl }),
    ]);
    // Those that started are stopped by afterAll even when another did not.
    [auth, a, b, memory, unreachable] = started.map((result) => (result.status === 'fulfilled' ? result.value : undefined!));
    const failure = started.find((result) => result.status === 'rejected');
    if (failure) throw failure.reason;
    secret = (JSON.parse((await registered).stdout.trim()) as { client_secret: string }).client_secret;
    key = await createTestDpopKey();
  }, 60_000);

  afterAll(async () => {
    await Promise.all([a, b, memory, unreachable, auth].map((service) => service?.stop()));
    const admin = createClient({ url: 'redis://127.0.0.1:6379' });
    await admin.connect();
    const keys = await admin.keys(`${prefix}*`);
    if (keys.length > 0) await admin.del(keys);
    admin.destroy();
    await rm(dir, { recursive: true, force: true });
  });

  /** A client-credentials token from the auth-service: DPoP-bound to `key` when a proof goes with the request. */
  async function token(dpop: boolean): Promise<string> {
    const res = await fetch(`${auth.url}/oauth/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`replicas-svc:${secret}`).toString('base64')}`,
        ...(dpop ? { dpop: await key.proof('POST', TOKEN_HTU) } : {}),
      },
      body: new URLSearchParams({ grant_type: 'client_credentials' }),
    });
    const body = (await res.json()) as { access_token: string; token_type: string };
    expect([res.status, body.token_type]).toEqual([200, dpop ? 'DPoP' : 'Bearer']);
    return body.access_token;
  }

  /** One request as a client sends it, to be captured and sent again: the bound token and its proof of `GET /resource/protected`. */
  async function capture(): Promise<Captured> {
    const access = await token(true);
    return { token: access, proof: await key.proof('GET', HTU, { accessToken: access }) };
  }

  const send = (service: ServiceProcess, { token: access, proof }: Captured) =>
    fetch(`${service.url}/resource/protected`, { headers: { authorization: `DPoP ${access}`, dpop: proof } });

  it('with DPOP_REPLAY_REDIS_URL on both: a proof accepted by A and replayed to B is refused 401 invalid_dpop_proof; its record is in Redis under the prefix', async () => {
    const captured = await capture();

    expect((await send(a, captured)).status).toBe(200);
    const replayed = await send(b, captured);

    expect(replayed.status).toBe(401);
    expect(replayed.headers.get('www-authenticate')).toMatch(
      /^DPoP error="invalid_dpop_proof", error_description="Invalid DPoP proof: the proof was used before \(jti\)"/,
    );
    expect((await send(a, captured)).status).toBe(401);
    // A fresh proof of the same token is a new request: accepted by either.
    expect((await send(b, { token: captured.token, proof: await key.proof('GET', HTU, { accessToken: captured.token }) })).status).toBe(200);
    const admin = createClient({ url: 'redis://127.0.0.1:6379' });
    await admin.connect();
    const records = await admin.keys(`${prefix}*`);
    admin.destroy();
    expect(records).toHaveLength(2);
    expect(a.records.some((r) => r.msg === `DPoP replay records: shared in Redis under the key prefix ${prefix}`)).toBe(true);
    expect(b.records.some((r) => r.msg === 'Redis of the DPoP replay records: connected')).toBe(true);
    // B has DPOP_REQUIRED: its readiness includes Redis (down when it does not answer: dpop-replay.readiness.spec.ts).
    const ready = await fetch(`${b.url}/health/ready`);
    expect([ready.status, ((await ready.json()) as { info: Record<string, unknown> }).info]).toEqual([
      200,
      expect.objectContaining({ dpop_replay_store: { status: 'up' } }),
    ]);
  });

  it('the default, records in each instance memory: the proof accepted by A is accepted once more by another replica', async () => {
    const captured = await capture();

    expect((await send(a, captured)).status).toBe(200);
    expect((await send(b, captured)).status).toBe(401);
    expect((await send(memory, captured)).status).toBe(200);
    expect((await send(memory, captured)).status).toBe(401);
  });

  it('Redis refusing connections: the replica started and is ready (no DPOP_REQUIRED), serves bearer tokens, refuses DPoP requests 503; nothing of the URL in answers or logs', async () => {
    const ready = await fetch(`${unreachable.url}/health/ready`);
    expect([ready.status, JSON.stringify(await ready.json())]).toEqual([200, expect.not.stringContaining('dpop_replay_store')]);
    const bearer = await fetch(`${unreachable.url}/resource/protected`, { headers: { authorization: `Bearer ${await token(false)}` } });
    expect(bearer.status).toBe(200);

    const refused = await send(unreachable, await capture());

    expect(refused.status).toBe(503);
    const body = await refused.text();
    expect(JSON.parse(body)).toEqual({
      statusCode: 503,
      error: 'Service Unavailable',
      code: 'ERR_SERVICE_UNAVAILABLE',
      message: 'DPoP proofs cannot be checked right now; try again later',
    });
    expect(refused.headers.get('www-authenticate')).toBeNull();
    const port = new URL(unreachableUrl).port;
    // Every line but its pid (a number that could equal the port).
    const logs = JSON.stringify(unreachable.records.map(({ pid: _pid, ...line }) => line));
    for (const text of [JSON.stringify([...refused.headers]) + body, logs]) {
      for (const leak of [REDIS_PASSWORD, 'dpop-fault', '127.0.0.2', `:${port}`, unreachableUrl]) expect(text).not.toContain(leak);
    }
    // The client retries every ~2 s at most: one warning however many attempts failed since the start.
    expect(unreachable.records.filter((r) => String(r.msg).startsWith('Redis of the DPoP replay records: connect ECONNREFUSED'))).toHaveLength(1);
    expect(unreachable.records).toContainEqual(
      expect.objectContaining({ level: 'warn', msg: '503 ERR_SERVICE_UNAVAILABLE: DPoP replay store: Error: The client is offline' }),
    );
  });

  it('SIGTERM: replicas with a Redis client, connected or still retrying, close it and exit 0 at once (nothing waits for Redis)', async () => {
    const started = Date.now();
    expect(await Promise.all([a.stop(), unreachable.stop()])).toEqual([0, 0]);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
