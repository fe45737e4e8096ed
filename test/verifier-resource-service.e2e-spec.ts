import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { ErrorCode } from '@app/contracts';
import { JwksFixture, createTestKey, signAccessToken, type TestKey } from './support/jwks-fixture.js';
import { CollectingLogger, startResourceApp } from './support/verifier-app.js';

describe('resource-service: the happy paths and the bare challenge', () => {
  let jwks: JwksFixture;
  let app: NestFastifyApplication;
  let rsa: TestKey;
  let ec: TestKey;
  let ed: TestKey;
  const logger = new CollectingLogger();

  beforeAll(async () => {
    [rsa, ec, ed] = await Promise.all([createTestKey('RS256'), createTestKey('ES256'), createTestKey('EdDSA')]);
    jwks = await JwksFixture.start(rsa, ec, ed);
    app = await startResourceApp(jwks, { logger });
  });

  afterAll(async () => {
    await app.close();
    await jwks.stop();
  });

  it.each([
    ['RS256', () => rsa],
    ['ES256', () => ec],
    ['EdDSA (Ed25519)', () => ed],
  ])('answers 200 with the user for a valid %s token', async (_alg, key) => {
    const token = await signAccessToken(key(), { claims: { sub: 'user-7', username: 'alice' } });

    const response = await request(app.getHttpServer()).get('/resource/protected').set('Authorization', `Bearer ${token}`);

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      message: 'This is a protected resource',
      user: { userId: 'user-7', username: 'alice' },
    });
  });

  it('serves the public route without a token', async () => {
    const response = await request(app.getHttpServer()).get('/resource/public');

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ message: 'This is a public resource' });
  });

  it('answers a missing token with 401 and a bare Bearer challenge', async () => {
    const response = await request(app.getHttpServer()).get('/resource/protected');

    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer');
    expect(response.body).toEqual({
      statusCode: 401,
      error: 'Unauthorized',
      code: ErrorCode.TokenMissing,
      message: 'Authentication required',
    });
  });

  it.each(['Basic dXNlcjpwYXNz', 'Bearer', 'Bearer    ', 'token abc.def.ghi'])('treats Authorization %p as no bearer token', async (authorization) => {
    const response = await request(app.getHttpServer()).get('/resource/protected').set('Authorization', authorization);

    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer');
    expect(response.body.code).toBe(ErrorCode.TokenMissing);
  });

  it('answers a bad token with 401 invalid_token, without echoing the token, and logs why at debug', async () => {
    const token = await signAccessToken(rsa, { claims: { aud: 'another-service' } });

    const response = await request(app.getHttpServer()).get('/resource/protected').set('Authorization', `Bearer ${token}`);

    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toMatch(/^Bearer error="invalid_token"/);
    expect(response.body).toEqual({
      statusCode: 401,
      error: 'Unauthorized',
      code: ErrorCode.TokenInvalid,
      message: 'The access token is invalid',
    });
    expect(JSON.stringify(response.headers) + response.text).not.toContain(token.split('.')[1]);
    expect(logger.lines.some((line) => line.startsWith('debug 401 ERR_TOKEN_INVALID') && line.includes('"aud"'))).toBe(true);
    expect(logger.lines.join('\n')).not.toContain(token.split('.')[1]);
  });

  it('answers an unknown route with 404 in the ErrorResponse shape', async () => {
    const response = await request(app.getHttpServer()).get('/resource/nothing-here').set('Authorization', 'Bearer x');

    expect(response.status).toBe(404);
    expect(response.body).toEqual({
      statusCode: 404,
      error: 'Not Found',
      code: ErrorCode.NotFound,
      message: 'Cannot GET /resource/nothing-here',
    });
  });
});
