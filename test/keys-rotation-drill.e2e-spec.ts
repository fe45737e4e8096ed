import request from 'supertest';
import { startAuth, type RunningAuth } from './support/auth-app.js';
import { headerOf, HOUR, login, managedStore, ManualClock, MINUTE, startResource, type RunningResource } from './support/stack.js';

const ROTATIONS = 6;
const STEP = 5 * MINUTE;

/**
 * The rotation drill: logins and protected calls in a loop across several rotations, with the key
 * sync running concurrently with the requests, on one clock for issuer and verifier. Zero failures.
 */
describe('rotation drill', () => {
  let clock: ManualClock;
  let auth: RunningAuth;
  let resource: RunningResource;

  beforeAll(async () => {
    clock = new ManualClock();
    auth = await startAuth(
      {
        KEYS_SOURCE: 'managed',
        KEYS_ENCRYPTION_SECRET: 'test-only-secret-0123456789abcdefghijklmnop',
        JWT_ALGORITHM: 'ES256',
        KEY_ROTATION_INTERVAL: '1h',
        KEY_ACTIVATION_DELAY: '10m',
        KEY_RETENTION: '90m',
        ACCESS_TOKEN_TTL: '15m',
        CLOCK_TOLERANCE: '30s',
        KEY_SYNC_INTERVAL: '10m',
      },
      { clock },
    );
    resource = await startResource(`${auth.url}/.well-known/jwks.json`, { clock });
  });
  afterAll(async () => {
    await resource.close();
    await auth.close();
  });

  it(`keeps every login and every verification working across ${ROTATIONS} rotations`, async () => {
    const live: { token: string; exp: number }[] = [];
    const kids = new Set<string>();
    let requests = 0;
    const failures: string[] = [];

    for (let elapsed = 0; elapsed <= ROTATIONS * HOUR; elapsed += STEP) {
      clock.advance(STEP);
      const sync = managedStore(auth).sync();
      const logins = Array.from({ length: 3 }, () => login(auth));
      const now = clock.now();
      const valid = live.filter((entry) => entry.exp * 1000 > now);
      const calls = valid.map(async ({ token }) => {
        const res = await request(resource.url).get('/resource/protected').auth(token, { type: 'bearer' });
        if (res.status !== 200)
          failures.push(`${new Date(now).toISOString()} kid ${headerOf(token).kid}: ${res.status} ${res.headers['www-authenticate'] ?? ''}`);
      });
      const issued = await Promise.all(logins);
      await Promise.all([sync, ...calls]);
      requests += logins.length + calls.length;
      live.splice(0, live.length, ...valid);
      for (const token of issued) {
        const payload = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { exp: number };
        live.push({ token, exp: payload.exp });
        kids.add(headerOf(token).kid);
      }
    }

    expect(failures).toEqual([]);
    expect(kids.size).toBeGreaterThanOrEqual(ROTATIONS);
    expect(requests).toBeGreaterThan(500);
    process.stdout.write(`rotation drill: ${kids.size} signing keys, ${requests} requests, ${failures.length} failures\n`);
  });
});
