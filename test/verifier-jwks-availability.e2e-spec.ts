import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { ErrorCode } from '@app/contracts';
import { JwksFixture, createTestKey, signAccessToken, type TestKey } from './support/jwks-fixture.js';
import { startResourceApp } from './support/verifier-app.js';

/** Long enough for a JWKS_CACHE_MAX_AGE of 1ms to have passed. */
const pastCacheAge = () => new Promise((resolve) => setTimeout(resolve, 10));

function call(app: NestFastifyApplication, token: string): Promise<request.Response> {
  return request(app.getHttpServer()).get('/resource/protected').set('Authorization', `Bearer ${token}`);
}

function expectUnreachable(response: request.Response): void {
  expect(response.status).toBe(503);
  expect(response.body).toEqual({
    statusCode: 503,
    error: 'Service Unavailable',
    code: ErrorCode.JwksUnreachable,
    message: expect.any(String),
  });
  expect(response.headers['www-authenticate']).toBeUndefined();
}

describe('verifier: a key the verifier has never seen', () => {
  let jwks: JwksFixture;
  let app: NestFastifyApplication;
  let known: TestKey;

  beforeAll(async () => {
    known = await createTestKey('RS256');
    jwks = await JwksFixture.start(known);
    app = await startResourceApp(jwks, { env: { JWKS_TIMEOUT: '200ms', JWKS_REQUESTS_PER_MINUTE: '100' } });
  });

  afterEach(async () => {
    jwks.recover();
    await jwks.restart();
  });

  afterAll(async () => {
    await app.close();
    await jwks.stop();
  });

  it('answers 503 ERR_JWKS_UNREACHABLE while the JWKS endpoint refuses connections', async () => {
    const unseen = await createTestKey('RS256');
    await jwks.stop();

    expectUnreachable(await call(app, await signAccessToken(unseen)));
  });

  it.each(['http-500', 'bad-json', 'not-a-key-set', 'hang'] as const)('answers 503 while the JWKS endpoint fails with %s', async (failure) => {
    const unseen = await createTestKey('ES256');
    jwks.failWith(failure);

    expectUnreachable(await call(app, await signAccessToken(unseen)));
  });

  it('answers 401 when the JWKS answers without the kid', async () => {
    const stranger = await createTestKey('RS256');
    const before = jwks.requests;

    const response = await call(app, await signAccessToken(stranger));

    expect(response.status).toBe(401);
    expect(response.body.code).toBe(ErrorCode.TokenInvalid);
    expect(jwks.requests).toBe(before + 1);
  });

  it('answers 401 when the JWKS answers an empty key set', async () => {
    jwks.publish();

    const response = await call(app, await signAccessToken(await createTestKey('RS256')));

    expect(response.status).toBe(401);
    expect(response.body.code).toBe(ErrorCode.TokenInvalid);
    jwks.publish(known);
  });

  it('picks up a key added to the JWKS after the first fetch', async () => {
    expect((await call(app, await signAccessToken(known))).status).toBe(200);
    const added = await createTestKey('EdDSA');
    jwks.add(added);

    expect((await call(app, await signAccessToken(added))).status).toBe(200);
  });

  it('verifies a new key once the JWKS endpoint is back', async () => {
    const later = await createTestKey('ES384');
    const token = await signAccessToken(later);
    await jwks.stop();
    expectUnreachable(await call(app, token));

    await jwks.restart();
    jwks.add(later);

    expect((await call(app, token)).status).toBe(200);
  });
});

describe('verifier: keys fetched before keep working while the JWKS is down (cache age 1ms)', () => {
  let jwks: JwksFixture;
  let app: NestFastifyApplication;
  let key: TestKey;

  beforeEach(async () => {
    key = await createTestKey('RS256');
    jwks = await JwksFixture.start(key);
    app = await startResourceApp(jwks, { env: { JWKS_CACHE_MAX_AGE: '1ms', JWKS_REQUESTS_PER_MINUTE: '1000' } });
    expect((await call(app, await signAccessToken(key))).status).toBe(200);
  });

  afterEach(async () => {
    await app.close();
    await jwks.stop();
  });

  it('verifies with the last known key when the refetch gets a 500', async () => {
    jwks.failWith('http-500');
    await pastCacheAge();
    const before = jwks.requests;

    expect((await call(app, await signAccessToken(key))).status).toBe(200);
    expect(jwks.requests).toBeGreaterThan(before);
  });

  it('verifies with the last known key when the JWKS endpoint refuses connections', async () => {
    await jwks.stop();
    await pastCacheAge();

    expect((await call(app, await signAccessToken(key))).status).toBe(200);
  });

  it('forgets a key the JWKS no longer lists, and does not revive it when the JWKS goes down', async () => {
    const successor = await createTestKey('RS256');
    jwks.publish(successor);
    await pastCacheAge();
    const token = await signAccessToken(key);

    const afterRemoval = await call(app, token);
    await jwks.stop();
    await pastCacheAge();
    const duringOutage = await call(app, token);

    expect(afterRemoval.status).toBe(401);
    expect(afterRemoval.body.code).toBe(ErrorCode.TokenInvalid);
    expectUnreachable(duringOutage);
  });

  it('uses the new key when the same kid is republished with another key', async () => {
    const replacement = await createTestKey('RS256', { kid: key.kid });
    const oldToken = await signAccessToken(key);
    jwks.publish(replacement);
    await pastCacheAge();

    expect((await call(app, oldToken)).status).toBe(401);
    expect((await call(app, await signAccessToken(replacement))).status).toBe(200);
  });
});

describe('verifier: the JWKS refetch rate limit (on an injected clock)', () => {
  const CACHE_AGE_MS = 60_000;
  let jwks: JwksFixture;
  let app: NestFastifyApplication;
  let key: TestKey;
  let now = Date.UTC(2026, 0, 1);
  const sign = (signer: TestKey) => {
    const at = Math.floor(now / 1000);
    return signAccessToken(signer, { claims: { iat: at, nbf: at, exp: at + 3600 } });
  };

  beforeAll(async () => {
    key = await createTestKey('ES256');
    jwks = await JwksFixture.start(key);
    app = await startResourceApp(jwks, { env: { JWKS_CACHE_MAX_AGE: '60s', JWKS_REQUESTS_PER_MINUTE: '2', JWT_VERIFIED_CACHE_SIZE: '0' }, clock: () => now });
  });

  afterAll(async () => {
    await app.close();
    await jwks.stop();
  });

  it('bounds fetches caused by unknown kids, answers 401 past the limit (the set is fresh), and keeps known keys working', async () => {
    expect((await call(app, await sign(key))).status).toBe(200);
    expect((await call(app, await sign(await createTestKey('ES256')))).status).toBe(401);
    expect((await call(app, await sign(await createTestKey('ES256')))).status).toBe(401);
    expect(jwks.requests).toBe(3);

    const pastLimit = await call(app, await sign(await createTestKey('ES256')));
    expect(pastLimit.status).toBe(401);
    expect(pastLimit.body.code).toBe(ErrorCode.TokenInvalid);
    expect((await call(app, await sign(key))).status).toBe(200);
    expect(jwks.requests).toBe(3);
  });

  it('finds a key published after the limit was reached at the next permitted refetch (60 s / limit later)', async () => {
    const published = await createTestKey('ES256');
    jwks.add(published);
    expect((await call(app, await sign(published))).status).toBe(401);
    expect(jwks.requests).toBe(3);

    now += 30_000;
    expect((await call(app, await sign(published))).status).toBe(200);
    expect(jwks.requests).toBe(4);
  });

  it('re-reads a key set older than the cache age whatever the limit, so a removed key is refused', async () => {
    now += CACHE_AGE_MS;
    expect((await call(app, await sign(key))).status).toBe(200);
    expect(jwks.requests).toBe(5);

    jwks.publish(await createTestKey('ES256'));
    const token = await sign(key);
    expect((await call(app, token)).status).toBe(200);
    now += CACHE_AGE_MS;
    expect((await call(app, token)).status).toBe(401);
    expect(jwks.requests).toBe(6);
  });
});

describe('verifier: a flood of made-up kids (on an injected clock)', () => {
  let jwks: JwksFixture;
  let app: NestFastifyApplication;
  let key: TestKey;
  const now = Date.UTC(2026, 0, 1);
  const sign = (signer: TestKey, kid = signer.kid) => {
    const at = Math.floor(now / 1000);
    return signAccessToken(signer, { claims: { iat: at, nbf: at, exp: at + 3600 }, header: { kid } });
  };

  beforeAll(async () => {
    key = await createTestKey('ES256');
    jwks = await JwksFixture.start(key);
    app = await startResourceApp(jwks, { env: { JWKS_CACHE_MAX_AGE: '60s', JWKS_REQUESTS_PER_MINUTE: '2', JWT_VERIFIED_CACHE_SIZE: '0' }, clock: () => now });
  });

  afterAll(async () => {
    await app.close();
    await jwks.stop();
  });

  it('answers ten concurrent junk kids 401 with one shared fetch, so a key published right after is found', async () => {
    expect((await call(app, await sign(key))).status).toBe(200);
    const tokens = await Promise.all([...Array(10).keys()].map((index) => sign(key, `made-up-${index}`)));
    jwks.delayMs = 300;
    const junk = await Promise.all(tokens.map((token) => call(app, token)));
    jwks.delayMs = 0;

    expect(junk.map((response) => response.status)).toEqual(Array(10).fill(401));
    expect(jwks.requests).toBe(2);

    const published = await createTestKey('ES256');
    jwks.add(published);
    expect((await call(app, await sign(published))).status).toBe(200);
    expect(jwks.requests).toBe(3);
  });
});
