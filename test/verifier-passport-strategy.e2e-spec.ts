import { Controller, Get, UseGuards } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { ErrorCode, type AuthenticatedUser } from '@app/contracts';
import { CurrentUser, JWT_AUTH_STRATEGY, Public } from '@app/jwt-auth';
import { JwksFixture, createTestKey, signAccessToken, type TestKey } from './support/jwks-fixture.js';
import { startResourceApp } from './support/verifier-app.js';

/**
 * JwtAuthGuard runs the strategy's check without passport's per-request wrapping; the strategy stays
 * registered with passport, so a route guarded by `AuthGuard('jwt-auth')` from @nestjs/passport gets
 * the same verification and the same answers.
 */
@Controller('via-passport')
@Public()
@UseGuards(AuthGuard(JWT_AUTH_STRATEGY))
class ViaPassportController {
  @Get()
  me(@CurrentUser() user: AuthenticatedUser): AuthenticatedUser {
    return user;
  }
}

describe('verifier: the passport strategy and the guard agree', () => {
  let jwks: JwksFixture;
  let app: NestFastifyApplication;
  let key: TestKey;

  beforeAll(async () => {
    key = await createTestKey('ES256');
    jwks = await JwksFixture.start(key);
    app = await startResourceApp(jwks, { controllers: [ViaPassportController] });
  });

  afterAll(async () => {
    await app.close();
    await jwks.stop();
  });

  const get = (path: string, token?: string) => {
    const call = request(app.getHttpServer()).get(path);
    return token === undefined ? call : call.set('Authorization', `Bearer ${token}`);
  };

  it('authenticates the same user through passport as through JwtAuthGuard', async () => {
    const token = await signAccessToken(key, { claims: { sub: 'u-7', username: 'dora', jti: 'j-7' } });

    const viaPassport = await get('/via-passport', token);
    const viaGuard = await get('/resource/protected', token);

    expect(viaPassport.status).toBe(200);
    expect(viaPassport.body).toMatchObject({ userId: 'u-7', username: 'dora', tokenId: 'j-7' });
    expect(viaGuard.body.user).toEqual({ userId: 'u-7', username: 'dora' });
  });

  it.each([
    ['no token', undefined],
    ['a forged token', 'eyJhbGciOiJFUzI1NiJ9.e30.c2ln'],
  ])('refuses %s through passport with 401 and a Bearer challenge', async (_case, token) => {
    const viaPassport = await get('/via-passport', token);
    const viaGuard = await get('/resource/protected', token);

    expect(viaPassport.status).toBe(401);
    expect(viaPassport.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(viaGuard.status).toBe(401);
  });

  it('answers 503 through passport too when the key cannot be fetched', async () => {
    const unseen = await createTestKey('ES256');
    await jwks.stop();
    try {
      const response = await get('/via-passport', await signAccessToken(unseen));

      expect(response.status).toBe(503);
      expect(response.body.code).toBe(ErrorCode.JwksUnreachable);
    } finally {
      await jwks.restart();
    }
  });
});
