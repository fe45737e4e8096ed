import { Controller, Get, type INestApplication, Param, Req } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { TOKEN_EXCHANGE_GRANT_TYPE } from '@app/contracts';
import { type AuthenticatedRequest, DownstreamTokens, JWT_AUTH_CLOCK, JwtAuthExceptionFilter, JwtAuthGuard, JwtAuthModule } from '@app/jwt-auth';
import { ScriptedServer } from './support/scripted-server.js';
import { startAuth, tempDir, type RunningAuth } from './support/auth-app.js';
import { claimsOf, registerClient, TEST_ISSUER } from './support/oauth.js';
import { createTestDatabase, type TestDatabase } from './support/postgres.js';

/** `orders`, a consumer service: it calls `billing` for its user, and for itself. */
@Controller()
class OrdersController {
  constructor(private readonly downstream: DownstreamTokens) {}

  @Get('billing/:audience')
  async forUser(@Req() incoming: AuthenticatedRequest, @Param('audience') audience: string): Promise<{ token: string }> {
    return { token: await this.downstream.forUser(incoming, audience) };
  }

  @Get('fan-out/:calls')
  async fanOut(@Req() incoming: AuthenticatedRequest, @Param('calls') calls: string): Promise<{ tokens: string[] }> {
    return { tokens: await Promise.all(Array.from({ length: Number(calls) }, () => this.downstream.forUser(incoming, 'billing'))) };
  }

  @Get('service')
  async forService(): Promise<{ token: string }> {
    return { token: await this.downstream.forService('billing') };
  }
}

/**
 * The package's caller side (`DownstreamTokens`, docs/service-chains.md) in a consumer Nest app
 * against the real auth-service: each token request the app makes is counted where it reaches the
 * issuer (a forwarder in front of `/oauth/token`), so cache hits, the sharing of one exchange by 50
 * concurrent calls, the refresh shortly before expiry (an injected clock) and `invalidate` are seen
 * from the issuer's side; on the embedded database and PostgreSQL.
 */
describe.each(['sqlite', 'postgres'] as const)('DownstreamTokens in a consumer app (%s)', (driver) => {
  let db: TestDatabase | undefined;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let auth: RunningAuth;
  let issuerSide: ScriptedServer;
  let app: INestApplication;
  /** The consumer's clock runs `offset` ms ahead of the real one. */
  let offset = 0;
  const grants: string[] = [];

  beforeAll(async () => {
    dir = await tempDir();
    db = driver === 'postgres' ? await createTestDatabase() : undefined;
    auth = await startAuth({ AUTH_AUDIENCE: 'orders', ...(db ? { DATABASE_URL: db.url } : {}) }, { dir: dir.dir });
    const secret = await registerClient(auth, {
      id: 'orders',
      grantTypes: [TOKEN_EXCHANGE_GRANT_TYPE, 'client_credentials'],
      scopes: ['resource:read'],
      audiences: ['billing'],
    });
    issuerSide = await ScriptedServer.start();
    issuerSide.handler = (incoming, outgoing) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () => {
        const body = Buffer.concat(chunks).toString();
        grants.push(new URLSearchParams(body).get('grant_type') ?? '');
        void fetch(`${auth.url}/oauth/token`, {
          method: 'POST',
          headers: { authorization: incoming.headers.authorization ?? '', 'content-type': incoming.headers['content-type'] ?? '' },
          body,
        }).then(async (answer) => outgoing.writeHead(answer.status, { 'content-type': 'application/json' }).end(await answer.text()));
      });
    };
    const moduleRef = await Test.createTestingModule({
      imports: [
        JwtAuthModule.forRoot({
          issuer: TEST_ISSUER,
          audience: 'orders',
          jwksUri: `${auth.url}/.well-known/jwks.json`,
          revocationFeedUri: `${auth.url}/oauth/revocations`,
          client: { id: 'orders', secret, tokenEndpoint: `${issuerSide.url}/oauth/token` },
        }),
      ],
      controllers: [OrdersController],
      providers: [
        { provide: APP_GUARD, useClass: JwtAuthGuard },
        { provide: APP_FILTER, useClass: JwtAuthExceptionFilter },
      ],
    })
      .overrideProvider(JWT_AUTH_CLOCK)
      .useValue(() => Date.now() + offset)
      .compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.listen(0, '127.0.0.1');
  });
  afterAll(async () => {
    await app?.close();
    await issuerSide?.stop();
    await auth?.close();
    await db?.drop();
    await dir?.remove();
  });

  const login = async () =>
    (await request(auth.url).post('/auth/login').send({ username: 'testuser', password: 'password' }).expect(200)).body.access_token as string;
  const get = (path: string, token?: string) => {
    const call = request(app.getHttpServer()).get(path);
    return token === undefined ? call : call.set('Authorization', `Bearer ${token}`);
  };
  const exchanges = () => grants.filter((grant) => grant === TOKEN_EXCHANGE_GRANT_TYPE).length;

  it('forUser exchanges once per user token and audience, then serves the kept token', async () => {
    const user = await login();
    const before = exchanges();
    const first = (await get('/billing/billing', user).expect(200)).body.token as string;
    expect(claimsOf(first)).toMatchObject({ aud: 'billing', client_id: 'orders', act: { sub: 'orders' }, sub: claimsOf(user).sub });
    for (let i = 0; i < 20; i++) expect((await get('/billing/billing', user).expect(200)).body.token).toBe(first);
    expect(exchanges() - before).toBe(1);
    // Another user token is another key.
    await get('/billing/billing', await login()).expect(200);
    expect(exchanges() - before).toBe(2);
  });

  it('50 concurrent calls share ONE exchange (hit ratio 49/50), and 100 calls after it none', async () => {
    const user = await login();
    const before = exchanges();
    const { tokens } = (await get('/fan-out/50', user).expect(200)).body as { tokens: string[] };
    expect(new Set(tokens).size).toBe(1);
    expect(exchanges() - before).toBe(1);
    await Promise.all(Array.from({ length: 100 }, () => get('/billing/billing', user).expect(200)));
    // 150 calls, one exchange: a hit ratio of 149/150.
    expect(exchanges() - before).toBe(1);
  });

  it('a kept token is replaced shortly before it expires (injected clock), and invalidate drops it at once', async () => {
    const user = await login();
    const before = exchanges();
    const first = (await get('/billing/billing', user).expect(200)).body.token as string;
    const exp = claimsOf(first).exp as number;
    // expires_in counts whole seconds from iat: the kept token's end is within a second after exp.
    offset = exp * 1000 - 32_000 - Date.now(); // before the refresh point (30 s before the end)
    try {
      expect((await get('/billing/billing', user).expect(200)).body.token).toBe(first);
      expect(exchanges() - before).toBe(1);
      offset = exp * 1000 - 28_000 - Date.now(); // past it, the subject token still valid
      const second = (await get('/billing/billing', user).expect(200)).body.token as string;
      expect(exchanges() - before).toBe(2);
      expect(second).not.toBe(first);
      expect(app.get(DownstreamTokens).invalidate(second)).toBe(true);
      expect((await get('/billing/billing', user).expect(200)).body.token).not.toBe(second);
      expect(exchanges() - before).toBe(3);
    } finally {
      offset = 0;
    }
  });

  it('forService gets a client-credentials token once and keeps it', async () => {
    const before = grants.filter((grant) => grant === 'client_credentials').length;
    const user = await login();
    const first = (await get('/service', user).expect(200)).body.token as string;
    expect(claimsOf(first)).toMatchObject({ sub: 'orders', client_id: 'orders', aud: 'billing' });
    expect(claimsOf(first).username).toBeUndefined();
    for (let i = 0; i < 10; i++) expect((await get('/service', user).expect(200)).body.token).toBe(first);
    expect(grants.filter((grant) => grant === 'client_credentials').length - before).toBe(1);
  });

  it('an audience the client may not ask for: 502 ERR_DOWNSTREAM_TOKEN, nothing kept, the token never in the answer', async () => {
    const user = await login();
    const before = exchanges();
    for (let i = 0; i < 2; i++) {
      const { body } = await get('/billing/payroll', user).expect(502);
      expect(body).toMatchObject({ statusCode: 502, code: 'ERR_DOWNSTREAM_TOKEN' });
      expect(JSON.stringify(body)).not.toContain(user);
    }
    expect(exchanges() - before).toBe(2);
  });
});
