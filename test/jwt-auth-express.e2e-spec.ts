import { Controller, Get, Module, type INestApplication } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import request from 'supertest';
import { ErrorCode, isAuthenticatedClient, type AuthenticatedCaller } from '@app/contracts';
import { CurrentUser, JwtAuthExceptionFilter, JwtAuthGuard, JwtAuthModule, Public, RequireScopes } from '@app/jwt-auth';
import { createTestDpopKey } from '@app/jwt-auth/testing';
import { createTestKey, JwksFixture, signAccessToken, TEST_AUDIENCE, type TestKey } from './support/jwks-fixture.js';

@Controller()
class ConsumerController {
  @Public()
  @Get('open')
  open(): { open: true } {
    return { open: true };
  }

  @Get('me')
  me(@CurrentUser() user: AuthenticatedCaller, @CurrentUser('username') username: string): { userId: string | undefined; username: string } {
    return { userId: isAuthenticatedClient(user) ? undefined : user.userId, username };
  }

  @RequireScopes('reports:write')
  @Get('reports')
  reports(): { written: true } {
    return { written: true };
  }
}

/** What a team's own service writes: the three lines of setup, nothing of the resource-service. */
function consumerModule(issuer: string): new () => unknown {
  @Module({
    imports: [JwtAuthModule.forRoot({ issuer, audience: TEST_AUDIENCE, jwksTimeout: 500 })],
    controllers: [ConsumerController],
    providers: [
      { provide: APP_GUARD, useClass: JwtAuthGuard },
      { provide: APP_FILTER, useClass: JwtAuthExceptionFilter },
    ],
  })
  class ConsumerModule {}
  return ConsumerModule;
}

const adapters = [
  ['express', () => new ExpressAdapter()],
  ['fastify', () => new FastifyAdapter()],
] as const;

describe.each(adapters)('JwtAuthModule.forRoot({ issuer, audience }) in a Nest app on platform-%s', (_name, adapter) => {
  let key: TestKey;
  let jwks: JwksFixture;
  let issuer: string;
  let app: INestApplication;
  const sign = (claims: Record<string, unknown> = {}, signer: TestKey = key) => signAccessToken(signer, { claims: { iss: issuer, ...claims } });
  const get = (path: string, token?: string) => {
    const call = request(app.getHttpServer()).get(path);
    return token === undefined ? call : call.set('Authorization', `Bearer ${token}`);
  };

  beforeAll(async () => {
    key = await createTestKey('ES256');
    jwks = await JwksFixture.start(key);
    issuer = `http://127.0.0.1:${jwks.port}`;
    app = await NestFactory.create(consumerModule(issuer), adapter(), { logger: false });
    await app.listen(0, '127.0.0.1');
  });

  afterEach(() => jwks.restart());

  afterAll(async () => {
    await app.close();
    await jwks.stop();
  });

  it('checks DPoP with the URL the request came to (scheme, Host, path; query ignored)', async () => {
    const client = await createTestDpopKey('EdDSA');
    const token = await sign({ cnf: { jkt: client.jkt } });
    const url = `${await app.getUrl()}/me`.replace('[::1]', '127.0.0.1');
    const call = (proofUrl: string, path = '/me?x=1') =>
      client
        .proof('GET', proofUrl, { accessToken: token })
        .then((proof) => request(app.getHttpServer()).get(path).set('Host', new URL(url).host).set('Authorization', `DPoP ${token}`).set('DPoP', proof));

    expect((await call(url)).status).toBe(200);
    const wrong = await call(url.replace('/me', '/open'));
    expect(wrong.status).toBe(401);
    expect(wrong.headers['www-authenticate']).toMatch(/^DPoP error="invalid_dpop_proof", error_description="Invalid DPoP proof: the proof htu does not match/);
    expect((await get('/me', token)).status).toBe(401);
  });

  it('opens a @Public() route without a token', async () => {
    const response = await get('/open');

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ open: true });
  });

  it('hands a valid token to @CurrentUser(), reading the JWKS at the issuer by default', async () => {
    const response = await get('/me', await sign());

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ userId: 'user-42', username: 'testuser' });
  });

  it('answers a missing token with 401 and the bare Bearer challenge', async () => {
    const response = await get('/me');

    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer');
    expect(response.body).toMatchObject({ statusCode: 401, code: ErrorCode.TokenMissing });
  });

  it('answers a token for another audience with 401 invalid_token', async () => {
    const response = await get('/me', await sign({ aud: 'another-service' }));

    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer error="invalid_token", error_description="The access token is invalid"');
    expect(response.body).toMatchObject({ statusCode: 401, code: ErrorCode.TokenInvalid });
  });

  it('answers a token without the scope of a @RequireScopes() route with 403 insufficient_scope, and with it 200', async () => {
    const refused = await get('/reports', await sign());
    const granted = await get('/reports', await sign({ scope: 'resource:read reports:write' }));

    expect(refused.status).toBe(403);
    expect(refused.headers['www-authenticate']).toBe('Bearer error="insufficient_scope", scope="reports:write"');
    expect(refused.body).toMatchObject({ statusCode: 403, code: ErrorCode.InsufficientScope });
    expect(granted.status).toBe(200);
  });

  it('answers 503 without a challenge while the JWKS is unreachable for a key never seen', async () => {
    const unseen = await createTestKey('ES256');
    await jwks.stop();

    const response = await get('/me', await sign({}, unseen));

    expect(response.status).toBe(503);
    expect(response.headers['www-authenticate']).toBeUndefined();
    expect(response.body).toMatchObject({ statusCode: 503, code: ErrorCode.JwksUnreachable });
  });
});
