import { Controller, Get } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { ErrorCode, type AuthenticatedUser } from '@app/contracts';
import { CurrentUser, Public, RequireScopes } from '@app/jwt-auth';
import { JwksFixture, createTestKey, signAccessToken, type TestKey } from './support/jwks-fixture.js';
import { startResourceApp } from './support/verifier-app.js';

@Controller('orders')
@RequireScopes('orders:read')
class OrdersController {
  @Get()
  list(@CurrentUser() user: AuthenticatedUser): AuthenticatedUser {
    return user;
  }

  @Get('export')
  @RequireScopes('orders:export', 'reports:write')
  export(@CurrentUser('userId') userId: string): { userId: string } {
    return { userId };
  }

  @Get('catalogue')
  @Public()
  catalogue(): { items: string[] } {
    return { items: [] };
  }
}

describe('verifier: @RequireScopes, @CurrentUser and @Public behind the global guard', () => {
  let jwks: JwksFixture;
  let app: NestFastifyApplication;
  let key: TestKey;

  beforeAll(async () => {
    key = await createTestKey('EdDSA');
    jwks = await JwksFixture.start(key);
    app = await startResourceApp(jwks, { controllers: [OrdersController] });
  });

  afterAll(async () => {
    await app.close();
    await jwks.stop();
  });

  async function get(path: string, scope: string): Promise<request.Response> {
    const token = await signAccessToken(key, { claims: { scope } });
    return request(app.getHttpServer()).get(path).set('Authorization', `Bearer ${token}`);
  }

  it('puts the whole AuthenticatedUser on the request', async () => {
    const exp = Math.floor(Date.now() / 1000) + 600; // within JWT_MAX_TOKEN_AGE of iat (now)
    const token = await signAccessToken(key, {
      claims: { sub: 'user-9', username: 'bob', scope: 'orders:read  profile', jti: 'token-1', exp },
    });

    const response = await request(app.getHttpServer()).get('/orders').set('Authorization', `Bearer ${token}`);

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      userId: 'user-9',
      username: 'bob',
      scopes: ['orders:read', 'profile'],
      tokenId: 'token-1',
      expiresAt: exp,
      issuedAt: expect.any(Number),
    });
  });

  it('answers 403 insufficient_scope naming the needed scope', async () => {
    const response = await get('/orders', 'profile');

    expect(response.status).toBe(403);
    expect(response.headers['www-authenticate']).toBe('Bearer error="insufficient_scope", scope="orders:read"');
    expect(response.body).toEqual({
      statusCode: 403,
      error: 'Forbidden',
      code: ErrorCode.InsufficientScope,
      message: 'The access token does not grant the required scope',
    });
  });

  it('requires every scope of the handler and of its controller', async () => {
    const partial = await get('/orders/export', 'orders:read orders:export');
    const complete = await get('/orders/export', 'orders:read orders:export reports:write');

    expect(partial.status).toBe(403);
    expect(partial.headers['www-authenticate']).toBe('Bearer error="insufficient_scope", scope="orders:export reports:write orders:read"');
    expect(complete.status).toBe(200);
    expect(complete.body).toEqual({ userId: 'user-42' });
  });

  it('does not take a scope prefix or a substring for the scope', async () => {
    expect((await get('/orders', 'orders:read-only orders')).status).toBe(403);
  });

  it('still answers 401, not 403, for a bad token on a scoped route', async () => {
    const response = await request(app.getHttpServer()).get('/orders').set('Authorization', 'Bearer a.b.c');

    expect(response.status).toBe(401);
  });

  it('lets @Public() on a handler override the scopes of its controller', async () => {
    expect((await request(app.getHttpServer()).get('/orders/catalogue')).status).toBe(200);
  });
});
