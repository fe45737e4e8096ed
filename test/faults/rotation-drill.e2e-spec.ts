import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '../support/postgres.js';
import { headerOf } from '../support/stack.js';
import { BUILT, ServiceProcess, sleep } from '../support/service-process.js';

const ISSUER = 'http://auth.rotation-drill.test';
const ROTATION_S = 2;
const ROTATIONS = 3;
/** Long enough for ROTATIONS rotations after the first key, with one second to spare. */
const RUN_MS = (ROTATIONS * ROTATION_S + 1) * 1000;
const WORKERS = 3;

/** The compressed schedule: a key signs 2 s, tokens live 1 s, keys stay published 6 s from activation. */
const SCHEDULE = {
  KEYS_SOURCE: 'managed',
  AUTH_ISSUER: ISSUER,
  KEY_ROTATION_INTERVAL: `${ROTATION_S}s`,
  ACCESS_TOKEN_TTL: '1s',
  CLOCK_TOLERANCE: '1s',
  KEY_RETENTION: '6s',
};

interface Pair {
  /** Logs in here... */
  auth: ServiceProcess;
  /** ...and calls the protected route here (a resource-service reading the JWKS of another replica, or the same one)... */
  resource: ServiceProcess;
  /** ...the replica whose JWKS that resource-service reads. */
  peer: ServiceProcess;
}

interface Figures {
  requests: number;
  failures: string[];
  kids: string[];
  /** The ID-token keys seen signing (JWT_ALGORITHM other than RS256: a second chain of keys). */
  idTokenKids: string[];
}

/**
 * With a second key for ID tokens (JWT_ALGORITHM=ES256): every 100 ms, the key each replica signs ID
 * tokens with now (its readiness check names it) must be in its peer's JWKS, as RS256.
 */
async function watchIdTokenKeys(pairs: Pair[], figures: Figures, started: number): Promise<void> {
  while (Date.now() - started < RUN_MS) {
    for (const { auth, peer } of pairs) {
      const readiness = await fetch(`${auth.url}/health/ready`);
      const kid = ((await readiness.json()) as { info?: { signing_key?: { id_token_kid?: string } } }).info?.signing_key?.id_token_kid;
      if (readiness.status !== 200 || !kid) {
        figures.failures.push(`+${Date.now() - started}ms :${auth.port} names no ID-token key (${readiness.status})`);
        continue;
      }
      if (!figures.idTokenKids.includes(kid)) figures.idTokenKids.push(kid);
      const published = ((await (await fetch(`${peer.url}/.well-known/jwks.json`)).json()) as { keys: { kid: string; alg: string }[] }).keys;
      if (!published.some((key) => key.kid === kid && key.alg === 'RS256'))
        figures.failures.push(`+${Date.now() - started}ms ID-token key ${kid} of :${auth.port} is not in the JWKS of :${peer.port}`);
    }
    await sleep(100);
  }
}

/** Logins and protected calls in a loop for RUN_MS, alternating between the pairs; with `idTokenKeys`, watchIdTokenKeys beside them. */
async function drive(pairs: Pair[], idTokenKeys = false): Promise<Figures> {
  const figures: Figures = { requests: 0, failures: [], kids: [], idTokenKids: [] };
  const started = Date.now();
  let turn = 0;
  const fail = (what: string, status: number, body: string) => figures.failures.push(`+${Date.now() - started}ms ${what}: ${status} ${body.slice(0, 120)}`);
  const worker = async () => {
    while (Date.now() - started < RUN_MS) {
      const { auth, resource } = pairs[turn++ % pairs.length];
      figures.requests += 1;
      const login = await fetch(`${auth.url}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'testuser', password: 'password' }),
      });
      const body = await login.text();
      if (login.status !== 200) {
        fail(`login at :${auth.port}`, login.status, body);
        continue;
      }
      const token = (JSON.parse(body) as { access_token: string }).access_token;
      const kid = headerOf(token).kid;
      if (!figures.kids.includes(kid)) figures.kids.push(kid);
      figures.requests += 1;
      const call = await fetch(`${resource.url}/resource/protected`, { headers: { authorization: `Bearer ${token}` } });
      const answer = await call.text();
      if (call.status !== 200)
        fail(`protected call at :${resource.port} with kid ${kid}`, call.status, `${call.headers.get('www-authenticate') ?? ''} ${answer}`);
    }
  };
  await Promise.all([...Array.from({ length: WORKERS }, worker), ...(idTokenKeys ? [watchIdTokenKeys(pairs, figures, started)] : [])]);
  return figures;
}

function resourceFor(jwksFrom: ServiceProcess): Promise<ServiceProcess> {
  return ServiceProcess.start(BUILT.resource, {
    AUTH_ISSUER: ISSUER,
    JWKS_URI: `${jwksFrom.url}/.well-known/jwks.json`,
    JWKS_CACHE_MAX_AGE: '1s',
    JWKS_REQUESTS_PER_MINUTE: '600',
    CLOCK_TOLERANCE: '1s',
  });
}

async function ready(auth: ServiceProcess): Promise<void> {
  const deadline = Date.now() + 15_000;
  while ((await fetch(`${auth.url}/health/ready`)).status !== 200) {
    if (Date.now() > deadline) throw new Error(`auth-service :${auth.port} never became ready`);
    await sleep(100);
  }
}

function report(setting: string, figures: Figures): string {
  const idKeys = figures.idTokenKids.length > 0 ? `, ${figures.idTokenKids.length} ID-token keys` : '';
  const line = `rotation drill [${setting}]: ${figures.kids.length - 1} rotations observed (${figures.kids.length} signing keys${idKeys}), ${figures.requests} requests, ${figures.failures.length} failures`;
  process.stdout.write(`${line}\n`);
  return line;
}

function expectClean(setting: string, figures: Figures): void {
  const line = report(setting, figures);
  expect({ line, failures: figures.failures.slice(0, 20) }).toEqual({ line, failures: [] });
  expect(figures.kids.length).toBeGreaterThanOrEqual(ROTATIONS);
}

/**
 * The rotation drill on real processes and the real clock (docs/key-rotation.md, invariant 4): logins
 * and protected calls in a loop across several rotations on a schedule compressed to seconds; every
 * request must succeed, for settings where the sync tick is longer than the activation delay too, and
 * with two replicas in either model (shared key set, per-replica keys).
 */
describe('rotation drill: real processes, real clock', () => {
  const processes: ServiceProcess[] = [];
  let dir: string;
  let database: TestDatabase | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rotation-drill-'));
  });
  afterEach(async () => {
    await Promise.all(processes.splice(0).map((p) => p.stop()));
    await database?.drop();
    database = undefined;
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** Every process started is stopped after its test. */
  async function track(starting: Promise<ServiceProcess>): Promise<ServiceProcess> {
    const service = await starting;
    processes.push(service);
    return service;
  }

  async function sqliteSetting(name: string, env: Record<string, string>): Promise<Figures> {
    const auth = await track(ServiceProcess.start(BUILT.auth, { ...SCHEDULE, ...env, DATA_DIR: join(dir, name, 'data'), KEYS_DIR: join(dir, name, 'keys') }));
    const resource = await track(resourceFor(auth));
    return drive([{ auth, resource, peer: auth }]);
  }

  it('one replica on SQLite, KEY_SYNC_INTERVAL (10s) longer than KEY_ACTIVATION_DELAY (1.5s)', async () => {
    expectClean('sqlite, sync 10s > activation 1.5s', await sqliteSetting('slow-sync', { KEY_SYNC_INTERVAL: '10s', KEY_ACTIVATION_DELAY: '1.5s' }));
  }, 40_000);

  it('one replica on SQLite, KEY_SYNC_INTERVAL (500ms) shorter than KEY_ACTIVATION_DELAY (1.5s)', async () => {
    expectClean('sqlite, sync 500ms < activation 1.5s', await sqliteSetting('fast-sync', { KEY_SYNC_INTERVAL: '500ms', KEY_ACTIVATION_DELAY: '1.5s' }));
  }, 40_000);

  // On PostgreSQL with JWT_ALGORITHM=ES256: the RS256 ID-token keys rotate beside the signing keys, and
  // each replica's ID-token key must be in the other replica's JWKS at every sample.
  it('two replicas on PostgreSQL sharing a key set (ES256, and RS256 ID-token keys), each token verified against the other replica', async () => {
    database = await createTestDatabase();
    const env = {
      ...SCHEDULE,
      JWT_ALGORITHM: 'ES256',
      DATABASE_URL: database.url,
      KEYS_ENCRYPTION_SECRET: 'rotation-drill-only-secret-0123456789abcdef',
      KEY_SYNC_INTERVAL: '10s',
      KEY_ACTIVATION_DELAY: '1.5s',
    };
    const [a, b] = await Promise.all([track(ServiceProcess.start(BUILT.auth, env)), track(ServiceProcess.start(BUILT.auth, env))]);
    const [readsB, readsA] = await Promise.all([track(resourceFor(b)), track(resourceFor(a))]);
    const figures = await drive(
      [
        { auth: a, resource: readsB, peer: b },
        { auth: b, resource: readsA, peer: a },
      ],
      true,
    );
    expectClean('postgres, 2 shared replicas, sync 10s > activation 1.5s', figures);
    expect(figures.idTokenKids.length).toBeGreaterThanOrEqual(ROTATIONS);
  }, 50_000);

  it("two replicas on PostgreSQL with per-replica keys (ES256, and RS256 ID-token keys), each token verified against the other replica's JWKS", async () => {
    database = await createTestDatabase();
    const env = { ...SCHEDULE, JWT_ALGORITHM: 'ES256', DATABASE_URL: database.url, KEY_SYNC_INTERVAL: '2s', KEY_ACTIVATION_DELAY: '1.5s' };
    const a = await track(ServiceProcess.start(BUILT.auth, env));
    const b = await track(ServiceProcess.start(BUILT.auth, env));
    // A replica joining signs after two sync intervals, once the others publish its key.
    const [readsB, readsA] = await Promise.all([track(resourceFor(b)), track(resourceFor(a)), ready(b)]);
    const figures = await drive(
      [
        { auth: a, resource: readsB, peer: b },
        { auth: b, resource: readsA, peer: a },
      ],
      true,
    );
    expectClean('postgres, 2 per-replica replicas, sync 2s > activation 1.5s', figures);
    // Each replica has its own ID-token keys: at least ROTATIONS per replica.
    expect(figures.idTokenKids.length).toBeGreaterThanOrEqual(2 * ROTATIONS);
  }, 50_000);
});
