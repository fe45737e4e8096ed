import request from 'supertest';
import { DATABASE, type Database } from '../apps/auth-service/src/database/database.js';
import { KeyAdmin } from '../apps/auth-service/src/keys/managed/key-admin.js';
import { rotationPolicy } from '../apps/auth-service/src/keys/managed/managed-key.store.js';
import { startAuth, type RunningAuth } from './support/auth-app.js';
import { headerOf, login, managedStore, ManualClock, MINUTE, startResource, type RunningResource } from './support/stack.js';

/**
 * The verifier's side of the key lifecycle (@app/jwt-auth against a managed auth-service, one clock):
 * a pre-published key is already in the verifier's cached key set when its first token arrives, and a
 * revoked key is refused once the verifier's last JWKS read is older than JWKS_CACHE_MAX_AGE.
 */
describe('managed keys seen from the verifier', () => {
  let clock: ManualClock;
  let auth: RunningAuth;
  let resource: RunningResource;

  const at = async (ms: number) => {
    clock.time = start + ms;
    await managedStore(auth).sync();
  };
  const start = Date.UTC(2026, 0, 1);
  const protectedCall = (token: string) => request(resource.url).get('/resource/protected').auth(token, { type: 'bearer' });
  const jwksReads = async () => {
    const text = (await request(resource.url).get('/metrics').expect(200)).text;
    return Number(/^jwks_fetches_total\{result="ok"\} (\d+)/m.exec(text)?.[1] ?? 'NaN');
  };

  beforeAll(async () => {
    clock = new ManualClock(start);
    auth = await startAuth(
      {
        KEYS_SOURCE: 'managed',
        KEYS_ENCRYPTION_SECRET: 'test-only-secret-0123456789abcdefghijklmnop',
        KEY_ROTATION_INTERVAL: '1h',
        KEY_ACTIVATION_DELAY: '10m',
        KEY_RETENTION: '3h',
        ACCESS_TOKEN_TTL: '1h',
        KEY_SYNC_INTERVAL: '10m',
      },
      { clock },
    );
    resource = await startResource(`${auth.url}/.well-known/jwks.json`, { clock, env: { JWKS_CACHE_MAX_AGE: '10m', JWT_VERIFIED_CACHE_SIZE: '100' } });
  });
  afterAll(async () => {
    await resource.close();
    await auth.close();
  });

  it('verifies the first token of a pre-published key without reading the JWKS again', async () => {
    const first = await login(auth);
    await protectedCall(first).expect(200);
    expect(await jwksReads()).toBe(1);

    await at(50 * MINUTE); // the successor is published (pending) from 50m, signs from 60m
    await at(52 * MINUTE);
    await protectedCall(first).expect(200); // the set read at 0 is stale: read again, now with the successor
    expect(await jwksReads()).toBe(2);

    await at(60 * MINUTE);
    const second = await login(auth);
    expect(headerOf(second).kid).not.toBe(headerOf(first).kid);
    await protectedCall(second).expect(200);
    expect(await jwksReads()).toBe(2);
  });

  it('refuses a revoked key once its last JWKS read is older than JWKS_CACHE_MAX_AGE', async () => {
    const admin = new KeyAdmin(auth.app.get<Database>(DATABASE), clock, rotationPolicy(auth.config.keys, auth.config.tokens));
    const token = await login(auth);
    const kid = headerOf(token).kid;
    expect(await admin.revoke(kid)).toBe(true);
    await at(61 * MINUTE);
    const replacement = await login(auth);
    expect(headerOf(replacement).kid).not.toBe(kid);

    await protectedCall(token).expect(200); // the verifier's set (read at 52m) still lists the key
    await protectedCall(replacement).expect(200); // an unknown kid: read now (61m), without the revoked key
    const refused = await protectedCall(token).expect(401);
    expect(refused.headers['www-authenticate']).toContain('invalid_token');
  });

  it('refuses it without any new kid to trigger a read: at the latest JWKS_CACHE_MAX_AGE after the last read', async () => {
    const admin = new KeyAdmin(auth.app.get<Database>(DATABASE), clock, rotationPolicy(auth.config.keys, auth.config.tokens));
    const token = await login(auth);
    await protectedCall(token).expect(200);
    const readsBefore = await jwksReads();
    await admin.revoke(headerOf(token).kid);
    await at(61 * MINUTE + 9 * MINUTE);
    await protectedCall(token).expect(200); // cached token, its key confirmed by a read 9 minutes old
    await at(61 * MINUTE + 10 * MINUTE);
    await protectedCall(token).expect(401);
    expect(await jwksReads()).toBe(readsBefore + 1);
  });
});
