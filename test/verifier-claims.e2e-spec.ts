import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { ErrorCode } from '@app/contracts';
import { JwksFixture, createTestKey, signAccessToken, signRawClaims, type SignOptions, type TestKey } from './support/jwks-fixture.js';
import { startResourceApp } from './support/verifier-app.js';

describe('verifier: issuer, audience, type, lifetime and claim shapes are pinned', () => {
  let jwks: JwksFixture;
  let app: NestFastifyApplication;
  let key: TestKey;
  const now = () => Math.floor(Date.now() / 1000);

  beforeAll(async () => {
    key = await createTestKey('RS256');
    jwks = await JwksFixture.start(key);
    app = await startResourceApp(jwks, { env: { CLOCK_TOLERANCE: '30s' } });
  });

  afterAll(async () => {
    await app.close();
    await jwks.stop();
  });

  async function get(options: SignOptions): Promise<request.Response> {
    const token = await signAccessToken(key, options);
    return request(app.getHttpServer()).get('/resource/protected').set('Authorization', `Bearer ${token}`);
  }

  function expectRefused(response: request.Response, code: ErrorCode = ErrorCode.TokenInvalid): void {
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toMatch(/^Bearer error="invalid_token"/);
    expect(response.body.code).toBe(code);
  }

  it('refuses an expired token with ERR_TOKEN_EXPIRED and invalid_token', async () => {
    const response = await get({ claims: { iat: now() - 1000, nbf: now() - 1000, exp: now() - 120 } });

    expectRefused(response, ErrorCode.TokenExpired);
    expect(response.body.message).toBe('The access token has expired');
  });

  it('accepts a token expired less than the clock tolerance ago', async () => {
    expect((await get({ claims: { iat: now() - 1000, nbf: now() - 1000, exp: now() - 5 } })).status).toBe(200);
  });

  it('refuses a token that is not yet valid (nbf beyond the tolerance)', async () => {
    expectRefused(await get({ claims: { nbf: now() + 120 } }));
  });

  it('accepts a token whose nbf is within the clock tolerance', async () => {
    expect((await get({ claims: { nbf: now() + 5 } })).status).toBe(200);
  });

  it('refuses a wrong issuer', async () => {
    expectRefused(await get({ claims: { iss: 'http://evil.test' } }));
  });

  it('refuses a wrong audience', async () => {
    expectRefused(await get({ claims: { aud: 'another-service' } }));
  });

  it('accepts an audience list that names this service', async () => {
    expect((await get({ claims: { aud: ['another-service', 'resource-service'] } })).status).toBe(200);
  });

  it('refuses a token without typ', async () => {
    expectRefused(await get({ header: { typ: undefined } }));
  });

  it('refuses typ JWT', async () => {
    expectRefused(await get({ header: { typ: 'JWT' } }));
  });

  it.each(['iss', 'sub', 'aud', 'exp', 'iat', 'nbf', 'jti', 'username'])('refuses a token without %s', async (claim) => {
    expectRefused(await get({ omit: [claim] }));
  });

  it.each([
    ['username', 42],
    ['username', ''],
    ['sub', 42],
    ['jti', { id: 1 }],
    ['scope', ['resource:read']],
  ])('refuses %s = %p', async (claim, value) => {
    expectRefused(await get({ claims: { [claim]: value } }));
  });

  const bearer = (token: string) => request(app.getHttpServer()).get('/resource/protected').set('Authorization', `Bearer ${token}`);

  it('refuses a token issued in the future (iat beyond the tolerance), accepts iat within it', async () => {
    expectRefused(await get({ claims: { iat: now() + 3600, nbf: now() } }));
    expect((await get({ claims: { iat: now() + 5, nbf: now() } })).status).toBe(200);
  });

  it('refuses exp 1e400 (Infinity: a token that never expires), asked twice so a cached copy would show', async () => {
    const token = await signRawClaims(key, '"exp":1e400');

    expectRefused(await bearer(token));
    expectRefused(await bearer(token));
  });

  it.each(['"iat":-1', '"nbf":-1e400', '"iat":"1700000000"', '"exp":null'])('refuses the time claim %s', async (raw) => {
    expectRefused(await bearer(await signRawClaims(key, raw)));
  });

  it('refuses a lifetime exp - iat above JWT_MAX_TOKEN_AGE (default one day), accepts exactly one day', async () => {
    expectRefused(await get({ claims: { iat: now() - 10, nbf: now() - 10, exp: now() - 10 + 86_401 } }));
    expect((await get({ claims: { iat: now() - 10, nbf: now() - 10, exp: now() - 10 + 86_400 } })).status).toBe(200);
  });
});

describe('verifier: JWT_MAX_TOKEN_AGE', () => {
  it('refuses a token whose lifetime exceeds the configured maximum', async () => {
    const key = await createTestKey('ES256');
    const jwks = await JwksFixture.start(key);
    const app = await startResourceApp(jwks, { env: { JWT_MAX_TOKEN_AGE: '10m' } });
    const now = Math.floor(Date.now() / 1000);
    const call = async (lifetime: number) => {
      const token = await signAccessToken(key, { claims: { iat: now, nbf: now, exp: now + lifetime } });
      return (await request(app.getHttpServer()).get('/resource/protected').set('Authorization', `Bearer ${token}`)).status;
    };
    try {
      expect(await call(600)).toBe(200);
      expect(await call(601)).toBe(401);
    } finally {
      await app.close();
      await jwks.stop();
    }
  });
});
