import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { ErrorCode } from '@app/contracts';
import { JwksFixture, createTestKey, signAccessToken, type TestKey } from './support/jwks-fixture.js';
import { startResourceApp } from './support/verifier-app.js';

/**
 * The verified-token cache and key revocation. The key set's age (JWKS_CACHE_MAX_AGE, 1 ms here) and
 * the cache's decisions both run on the verifier's injected clock, held still and moved by the test;
 * `realTimePasses` only lets the fixture's answers settle.
 */
const realTimePasses = () => new Promise((resolve) => setTimeout(resolve, 10));

function call(app: NestFastifyApplication, token: string): Promise<request.Response> {
  return request(app.getHttpServer()).get('/resource/protected').set('Authorization', `Bearer ${token}`);
}

describe('verifier: a cached token and its key leaving the JWKS', () => {
  let jwks: JwksFixture;
  let app: NestFastifyApplication;
  let key: TestKey;
  /** Set after signing, so the token's nbf (whole seconds of real time) has passed on this clock. */
  let nowMs = Date.now();

  beforeEach(async () => {
    key = await createTestKey('RS256');
    jwks = await JwksFixture.start(key);
    app = await startResourceApp(jwks, {
      env: { JWKS_CACHE_MAX_AGE: '1ms', JWKS_REQUESTS_PER_MINUTE: '1000' },
      clock: () => nowMs,
    });
  });

  afterEach(async () => {
    await app.close();
    await jwks.stop();
  });

  it('answers a token seen before without asking the JWKS again while the key is confirmed', async () => {
    const token = await signAccessToken(key);
    nowMs = Date.now();
    // Verified twice: the second verification stores it in the verified-token cache.
    expect([(await call(app, token)).status, (await call(app, token)).status]).toEqual([200, 200]);
    const fetches = jwks.requests;
    await realTimePasses();

    const again = await call(app, token);

    expect(again.status).toBe(200);
    expect(again.body.user).toEqual({ userId: 'user-42', username: 'testuser' });
    expect(jwks.requests).toBe(fetches);
  });

  it('refuses the cached token once the cache age has passed after its kid left the JWKS', async () => {
    const token = await signAccessToken(key);
    nowMs = Date.now();
    // Verified twice: the second verification stores it in the verified-token cache.
    expect([(await call(app, token)).status, (await call(app, token)).status]).toEqual([200, 200]);
    jwks.publish(await createTestKey('RS256'));
    await realTimePasses();

    nowMs += 1;
    const afterCacheAge = await call(app, token);

    expect(afterCacheAge.status).toBe(401);
    expect(afterCacheAge.body.code).toBe(ErrorCode.TokenInvalid);
    expect(afterCacheAge.headers['www-authenticate']).toMatch(/^Bearer error="invalid_token"/);
  });

  it('refuses the cached token at once when another read of the JWKS no longer lists its kid', async () => {
    const token = await signAccessToken(key);
    nowMs = Date.now();
    // Verified twice: the second verification stores it in the verified-token cache.
    expect([(await call(app, token)).status, (await call(app, token)).status]).toEqual([200, 200]);
    const successor = await createTestKey('RS256');
    jwks.publish(successor);

    expect((await call(app, await signAccessToken(successor))).status).toBe(200);
    const afterReread = await call(app, token);

    expect(afterReread.status).toBe(401);
    expect(afterReread.body.code).toBe(ErrorCode.TokenInvalid);
  });
});
