import { Controller, Get, Injectable, Module, UseGuards, type INestApplication } from '@nestjs/common';
import { APP_FILTER, NestFactory } from '@nestjs/core';
import { AuthGuard, PassportStrategy } from '@nestjs/passport';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Strategy } from 'passport-strategy';
import request from 'supertest';
import { ErrorCode, type AuthenticatedCaller } from '@app/contracts';
import { CurrentUser, JwtAuthExceptionFilter, JwtAuthGuard, JwtAuthModule, JwtAuthStrategy } from '@app/jwt-auth';
import { createTestKey, JwksFixture, signAccessToken, TEST_AUDIENCE, type TestKey } from './support/jwks-fixture.js';

const API_KEY = 'reporting-key-1';

/** A team's own passport strategy: an API key in `X-Api-Key`, handed to a verify callback (`validate`). */
class HeaderApiKeyStrategy extends Strategy {
  constructor(private readonly verify: (key: string, done: (error: unknown, user?: unknown) => void) => void) {
    super();
  }

  override authenticate(req: { headers: Record<string, unknown> }): void {
    const key = req.headers['x-api-key'];
    if (typeof key !== 'string') return this.fail('ApiKey', 401);
    this.verify(key, (error, user) => (error ? this.error(error as Error) : user ? this.success(user) : this.fail('ApiKey', 401)));
  }
}

@Injectable()
class ApiKeyStrategy extends PassportStrategy(HeaderApiKeyStrategy, 'api-key') {
  validate(key: string): AuthenticatedCaller | false {
    return key === API_KEY ? { clientId: 'reporting', scopes: ['reports:read'], tokenId: 'api-key', expiresAt: 0 } : false;
  }
}

/** Routes guarded the @nestjs/passport way, beside one guarded by the package's own guard. */
@Controller()
class ConsumerController {
  @UseGuards(AuthGuard('jwt'))
  @Get('jwt')
  jwt(@CurrentUser() caller: AuthenticatedCaller): AuthenticatedCaller {
    return caller;
  }

  @UseGuards(AuthGuard(['jwt', 'api-key']))
  @Get('jwt-or-api-key')
  either(@CurrentUser() caller: AuthenticatedCaller): AuthenticatedCaller {
    return caller;
  }

  @UseGuards(JwtAuthGuard)
  @Get('guard')
  guard(@CurrentUser() caller: AuthenticatedCaller): AuthenticatedCaller {
    return caller;
  }
}

/** What a team composing strategies writes: the module, the package's strategy and its own, the filter. */
function consumerModule(issuer: string): new () => unknown {
  @Module({
    imports: [JwtAuthModule.forRoot({ issuer, audience: TEST_AUDIENCE, jwksTimeout: '500ms' })],
    controllers: [ConsumerController],
    providers: [JwtAuthStrategy, ApiKeyStrategy, { provide: APP_FILTER, useClass: JwtAuthExceptionFilter }],
  })
  class ConsumerModule {}
  return ConsumerModule;
}

const adapters = [
  ['express', () => new ExpressAdapter()],
  ['fastify', () => new FastifyAdapter()],
] as const;

describe.each(adapters)("the passport strategy 'jwt' in a consumer app on platform-%s: AuthGuard('jwt') and composed guards", (_name, adapter) => {
  let key: TestKey;
  let jwks: JwksFixture;
  let issuer: string;
  let app: INestApplication;
  const sign = (claims: Record<string, unknown> = {}, signer: TestKey = key) => signAccessToken(signer, { claims: { iss: issuer, ...claims } });
  const get = (path: string, headers: Record<string, string> = {}) => request(app.getHttpServer()).get(path).set(headers);
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const forge = (token: string) => `${token.slice(0, -8)}AAAAAAAA`;

  beforeAll(async () => {
    key = await createTestKey('ES256');
    jwks = await JwksFixture.start(key);
    issuer = `http://127.0.0.1:${jwks.port}`;
    app = await NestFactory.create(consumerModule(issuer), adapter(), { logger: false });
    await app.listen(0, '127.0.0.1');
  });

  afterAll(async () => {
    await app.close();
    await jwks.stop();
  });

  it("AuthGuard('jwt') lets a valid token in with the caller the package's guard gives", async () => {
    const token = await sign({ sub: 'u-7', username: 'dora', jti: 'j-7' });

    const viaPassport = await get('/jwt', bearer(token));
    const viaGuard = await get('/guard', bearer(token));

    expect(viaPassport.status).toBe(200);
    expect(viaPassport.body).toMatchObject({ userId: 'u-7', username: 'dora', tokenId: 'j-7' });
    expect(viaGuard.body).toEqual(viaPassport.body);
  });

  it.each([
    ['no token', async () => ({})],
    ['a forged token', async () => bearer(forge(await sign()))],
    ['a token for another audience', async () => bearer(await sign({ aud: 'another-service' }))],
  ])("AuthGuard('jwt') refuses %s with 401 and the Bearer challenge", async (_case, headers) => {
    const response = await get('/jwt', await headers());

    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(response.body).toMatchObject({ statusCode: 401, code: ErrorCode.TokenInvalid });
  });

  it("AuthGuard(['jwt', 'api-key']) takes a valid token, or the API key alone, or the API key beside a forged token", async () => {
    const token = await sign({ sub: 'u-8' });

    const withToken = await get('/jwt-or-api-key', bearer(token));
    const withKey = await get('/jwt-or-api-key', { 'x-api-key': API_KEY });
    const withBoth = await get('/jwt-or-api-key', { ...bearer(forge(token)), 'x-api-key': API_KEY });

    expect(withToken.status).toBe(200);
    expect(withToken.body).toMatchObject({ userId: 'u-8' });
    expect(withKey.status).toBe(200);
    expect(withKey.body).toMatchObject({ clientId: 'reporting' });
    expect(withBoth.status).toBe(200);
    expect(withBoth.body).toMatchObject({ clientId: 'reporting' });
  });

  it("AuthGuard(['jwt', 'api-key']) refuses a forged token, or a wrong API key, with 401 and the Bearer challenge", async () => {
    const forged = await get('/jwt-or-api-key', bearer(forge(await sign())));
    const wrongKey = await get('/jwt-or-api-key', { 'x-api-key': 'not-the-key' });

    for (const response of [forged, wrongKey]) {
      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
    }
  });

  it("answers 503 through AuthGuard('jwt') too while the key of a token cannot be fetched", async () => {
    const unseen = await createTestKey('ES256');
    await jwks.stop();
    try {
      const response = await get('/jwt', bearer(await sign({}, unseen)));

      expect(response.status).toBe(503);
      expect(response.body.code).toBe(ErrorCode.JwksUnreachable);
    } finally {
      await jwks.restart();
    }
  });
});
