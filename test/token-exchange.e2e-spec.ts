import { ACCESS_TOKEN_TYPE_URN, TOKEN_EXCHANGE_GRANT_TYPE } from '@app/contracts';
import { createTestIssuer } from '@app/jwt-auth/testing';
import * as oidc from 'openid-client';
import request from 'supertest';
import { ClientsService } from '../apps/auth-service/src/clients/clients.service.js';
import { SESSION_TOKEN_BUDGET } from '../apps/auth-service/src/revocation/revocation.service.js';
import { startAuth, tempDir, type RunningAuth } from './support/auth-app.js';
import { claimsOf, discover, oauthError, registerClient, TEST_ISSUER } from './support/oauth.js';
import { createTestDatabase, type TestDatabase } from './support/postgres.js';
import { startResource, type RunningResource } from './support/stack.js';

const POLL_MS = 200;
const BOUND_MS = POLL_MS + 1000;
const REFRESH_TOKEN_TYPE_URN = 'urn:ietf:params:oauth:token-type:refresh_token';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * RFC 8693 token exchange for service chains (docs/service-chains.md), with openid-client's
 * `genericGrantRequest` as each service and the resource-service as the last hop: user → orders →
 * billing → resource-service, every deny-by-default rule, forged and revoked subject tokens, and the
 * user's logout reaching every hop through the revocation feed; on the embedded database and PostgreSQL.
 */
describe.each(['sqlite', 'postgres'] as const)('token exchange (%s)', (driver) => {
  let db: TestDatabase | undefined;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let auth: RunningAuth;
  let resource: RunningResource;
  const secrets: Record<string, string> = {};

  beforeAll(async () => {
    dir = await tempDir();
    db = driver === 'postgres' ? await createTestDatabase() : undefined;
    auth = await startAuth({ AUTH_AUDIENCE: 'orders', ...(db ? { DATABASE_URL: db.url } : {}) }, { dir: dir.dir });
    resource = await startResource(`${auth.url}/.well-known/jwks.json`, {
      env: { AUTH_AUDIENCE: 'resource-service', REVOCATION_FEED_URI: `${auth.url}/oauth/revocations`, REVOCATION_POLL_INTERVAL: `${POLL_MS}ms` },
    });
    const grant = [TOKEN_EXCHANGE_GRANT_TYPE] as const;
    secrets.orders = await registerClient(auth, {
      id: 'orders',
      grantTypes: [...grant],
      scopes: ['profile', 'resource:read'],
      audiences: ['billing', 'resource-service'],
    });
    secrets.billing = await registerClient(auth, {
      id: 'billing',
      grantTypes: [...grant],
      scopes: ['resource:read'],
      audiences: ['resource-service'],
      introspect: true,
    });
    // Serves another audience: a token meant for orders is not its to exchange.
    secrets.stranger = await registerClient(auth, { id: 'stranger', grantTypes: [...grant], scopes: ['resource:read'], audiences: ['billing'] });
    secrets.plain = await registerClient(auth, {
      id: 'plain',
      grantTypes: ['client_credentials'],
      scopes: ['resource:read'],
      audiences: ['billing'],
      serves: ['orders'],
    });
    // A chain of six services for the depth limit, each serving its own id and asking for the next.
    for (let i = 1; i <= 6; i++) {
      secrets[`hop${i}`] = await registerClient(auth, { id: `hop${i}`, grantTypes: [...grant], scopes: ['resource:read'], audiences: [`hop${i + 1}`] });
    }
    secrets.web = await registerClient(auth, {
      id: 'web',
      grantTypes: ['password', 'refresh_token'],
      scopes: ['profile', 'resource:read'],
      audiences: ['hop1'],
    });
  });
  afterAll(async () => {
    await resource?.close();
    await auth?.close();
    await db?.drop();
    await dir?.remove();
  });

  const as = (id: string) => discover(auth, id, oidc.ClientSecretBasic(secrets[id]));
  const exchangeAs = async (id: string, subject: string, parameters: Record<string, string> = {}) =>
    oidc.genericGrantRequest(await as(id), TOKEN_EXCHANGE_GRANT_TYPE, { subject_token: subject, subject_token_type: ACCESS_TOKEN_TYPE_URN, ...parameters });
  const login = async () => {
    const { body } = await request(auth.url).post('/auth/login').send({ username: 'testuser', password: 'password' }).expect(200);
    return { access: body.access_token as string, refresh: body.refresh_token as string };
  };
  const protectedWith = (token: string) => request(resource.url).get('/resource/protected').auth(token, { type: 'bearer' });

  it('the metadata lists the grant, and openid-client finds it', async () => {
    expect((await as('orders')).serverMetadata().grant_types_supported).toContain(TOKEN_EXCHANGE_GRANT_TYPE);
  });

  it('two hops: orders exchanges the user token for the resource-service, which sees the user and orders acting', async () => {
    const user = await login();
    const hop = await exchangeAs('orders', user.access, { audience: 'resource-service' });
    expect(hop).toMatchObject({ issued_token_type: ACCESS_TOKEN_TYPE_URN, token_type: 'bearer', scope: 'profile resource:read' });
    expect(hop.refresh_token).toBeUndefined();
    const subject = claimsOf(user.access);
    const claims = claimsOf(hop.access_token);
    expect(claims).toMatchObject({
      sub: subject.sub,
      username: 'testuser',
      sid: subject.sid,
      aud: 'resource-service',
      client_id: 'orders',
      act: { sub: 'orders' },
      scope: 'profile resource:read',
    });
    expect(claims.exp as number).toBeLessThanOrEqual(subject.exp as number);
    const { body } = await protectedWith(hop.access_token).expect(200);
    expect(body.user).toEqual({ userId: subject.sub, username: 'testuser', actors: ['orders'] });
    // The user's own token is not for the resource-service: forwarding it is refused.
    await protectedWith(user.access).expect(401);
  });

  it('three hops: orders → billing → resource-service nests act, and the scope narrows to what billing may have', async () => {
    const user = await login();
    const toBilling = await exchangeAs('orders', user.access, { audience: 'billing' });
    expect(claimsOf(toBilling.access_token)).toMatchObject({ aud: 'billing', client_id: 'orders', act: { sub: 'orders' } });
    const toResource = await exchangeAs('billing', toBilling.access_token, { resource: 'resource-service' });
    expect(toResource.scope).toBe('resource:read');
    expect(claimsOf(toResource.access_token)).toMatchObject({
      sub: claimsOf(user.access).sub,
      sid: claimsOf(user.access).sid,
      aud: 'resource-service',
      client_id: 'billing',
      act: { sub: 'billing', act: { sub: 'orders' } },
    });
    const { body } = await protectedWith(toResource.access_token).expect(200);
    expect(body.user.actors).toEqual(['billing', 'orders']);
  });

  it('the exchanged token never outlives the subject token', async () => {
    const user = await login();
    await sleep(1100); // a later iat: a full ACCESS_TOKEN_TTL from now would end after the subject token
    const hop = await exchangeAs('orders', user.access, { audience: 'billing' });
    expect(claimsOf(hop.access_token).exp).toBe(claimsOf(user.access).exp);
    expect(hop.expires_in).toBeLessThan(900);
  });

  describe('deny by default', () => {
    it('a subject token meant for a service the client does not serve: invalid_grant', async () => {
      const user = await login();
      expect(await oauthError(exchangeAs('stranger', user.access, { audience: 'billing' }))).toMatchObject({ status: 400, error: 'invalid_grant' });
    });

    it("a next hop that is not one of the client's audiences (the default one included): invalid_target; none: invalid_request", async () => {
      const user = await login();
      for (const audience of ['payroll', 'orders']) {
        expect(await oauthError(exchangeAs('orders', user.access, { audience }))).toMatchObject({ status: 400, error: 'invalid_target' });
      }
      expect(await oauthError(exchangeAs('orders', user.access))).toMatchObject({ status: 400, error: 'invalid_request' });
    });

    it("a scope beyond the subject's and the client's: invalid_scope; a narrower one is granted", async () => {
      const user = await login();
      expect(await oauthError(exchangeAs('orders', user.access, { audience: 'billing', scope: 'resource:admin' }))).toMatchObject({
        error: 'invalid_scope',
      });
      // billing may have resource:read only, though the subject token also carries profile.
      const toBilling = await exchangeAs('orders', user.access, { audience: 'billing' });
      expect(await oauthError(exchangeAs('billing', toBilling.access_token, { audience: 'resource-service', scope: 'profile' }))).toMatchObject({
        error: 'invalid_scope',
      });
      expect((await exchangeAs('orders', user.access, { audience: 'billing', scope: 'profile' })).scope).toBe('profile');
    });

    it('another subject_token_type, none, an actor_token or another requested_token_type: invalid_request', async () => {
      const user = await login();
      const config = await as('orders');
      const ask = (parameters: Record<string, string>) =>
        oauthError(oidc.genericGrantRequest(config, TOKEN_EXCHANGE_GRANT_TYPE, { subject_token: user.access, audience: 'billing', ...parameters }));
      const cases: Record<string, string>[] = [
        { subject_token_type: REFRESH_TOKEN_TYPE_URN },
        { subject_token_type: 'urn:ietf:params:oauth:token-type:id_token' },
        {},
        { subject_token_type: ACCESS_TOKEN_TYPE_URN, actor_token: user.access, actor_token_type: ACCESS_TOKEN_TYPE_URN },
        { subject_token_type: ACCESS_TOKEN_TYPE_URN, requested_token_type: REFRESH_TOKEN_TYPE_URN },
      ];
      for (const parameters of cases) {
        expect(await ask(parameters)).toMatchObject({ status: 400, error: 'invalid_request' });
      }
      expect(
        await oauthError(oidc.genericGrantRequest(config, TOKEN_EXCHANGE_GRANT_TYPE, { subject_token_type: ACCESS_TOKEN_TYPE_URN, audience: 'billing' })),
      ).toMatchObject({
        error: 'invalid_request',
      });
      // The default requested type is accepted when named.
      await oidc.genericGrantRequest(config, TOKEN_EXCHANGE_GRANT_TYPE, {
        subject_token: user.access,
        subject_token_type: ACCESS_TOKEN_TYPE_URN,
        requested_token_type: ACCESS_TOKEN_TYPE_URN,
        audience: 'billing',
      });
    });

    it('a client not registered for the grant: unauthorized_client', async () => {
      const user = await login();
      expect(await oauthError(exchangeAs('plain', user.access, { audience: 'billing' }))).toMatchObject({ status: 400, error: 'unauthorized_client' });
    });

    it('a public client, even one holding the grant: unauthorized_client', async () => {
      await registerClient(auth, { id: 'public-app', grantTypes: [TOKEN_EXCHANGE_GRANT_TYPE], audiences: ['billing'], serves: ['orders'], public: true });
      const user = await login();
      const res = await request(auth.url)
        .post('/oauth/token')
        .type('form')
        .send({
          grant_type: TOKEN_EXCHANGE_GRANT_TYPE,
          client_id: 'public-app',
          subject_token: user.access,
          subject_token_type: ACCESS_TOKEN_TYPE_URN,
          audience: 'billing',
        })
        .expect(400);
      expect(res.body.error).toBe('unauthorized_client');
    });

    it('bad input: a 400, never a 500, and the token never repeated', async () => {
      const ask = (form: Record<string, string>) =>
        request(auth.url)
          .post('/oauth/token')
          .auth('orders', secrets.orders)
          .type('form')
          .send({ grant_type: TOKEN_EXCHANGE_GRANT_TYPE, subject_token_type: ACCESS_TOKEN_TYPE_URN, audience: 'billing', ...form });
      const tooLong = await ask({ subject_token: 'a'.repeat(9000) }).expect(400);
      expect(tooLong.body.error).toBe('invalid_request');
      const nul = await ask({ subject_token: 'a.b\u0000.c' }).expect(400);
      expect(nul.body.error).toBe('invalid_grant');
      const user = await login();
      const nulTarget = await ask({ subject_token: user.access, audience: 'bill\u0000ing' }).expect(400);
      expect(nulTarget.body.error).toBe('invalid_target');
      const oddScope = await ask({ subject_token: user.access, scope: 'a"b' }).expect(400);
      expect(oddScope.body).toEqual({ error: 'invalid_scope', error_description: 'not allowed for this client: (not shown)' });
      for (const res of [tooLong, nul, nulTarget, oddScope]) expect(JSON.stringify(res.body)).not.toContain(user.access.slice(0, 40));
    });

    it('a client-credentials token as the subject: invalid_grant (a service acting for itself asks with client credentials)', async () => {
      const { body } = await request(auth.url)
        .post('/oauth/token')
        .auth('plain', secrets.plain)
        .type('form')
        .send({ grant_type: 'client_credentials', audience: 'billing' })
        .expect(200);
      // billing serves billing: the token is meant for it, but names no user.
      expect(await oauthError(exchangeAs('billing', body.access_token, { audience: 'resource-service' }))).toMatchObject({ error: 'invalid_grant' });
    });

    it('an act chain five services deep is the limit: the sixth exchange is invalid_grant', async () => {
      const { body } = await request(auth.url)
        .post('/oauth/token')
        .auth('web', secrets.web)
        .type('form')
        .send({ grant_type: 'password', username: 'testuser', password: 'password', audience: 'hop1' })
        .expect(200);
      let token = body.access_token as string;
      for (let i = 1; i <= 5; i++) token = (await exchangeAs(`hop${i}`, token, { audience: `hop${i + 1}` })).access_token;
      expect(claimsOf(token).act).toEqual({ sub: 'hop5', act: { sub: 'hop4', act: { sub: 'hop3', act: { sub: 'hop2', act: { sub: 'hop1' } } } } });
      expect(await oauthError(exchangeAs('hop6', token, { audience: 'hop7' }))).toMatchObject({ status: 400, error: 'invalid_grant' });
    });
  });

  describe('the subject token is verified fully', () => {
    it('a forged subject token (another key, or a changed payload): invalid_grant', async () => {
      const kit = await createTestIssuer({ audience: 'orders' });
      try {
        const forged = await kit.sign({ iss: TEST_ISSUER, sub: 'someone', username: 'testuser', client_id: 'default', sid: 'x' });
        expect(await oauthError(exchangeAs('orders', forged, { audience: 'billing' }))).toMatchObject({ status: 400, error: 'invalid_grant' });
      } finally {
        await kit.close();
      }
      const [header, payload, signature] = (await login()).access.split('.');
      const widened = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), scope: 'resource:admin' })).toString(
        'base64url',
      );
      expect(await oauthError(exchangeAs('orders', `${header}.${widened}.${signature}`, { audience: 'billing' }))).toMatchObject({ error: 'invalid_grant' });
    });

    it('a revoked subject token (its jti, or its session ended): invalid_grant', async () => {
      const first = await login();
      await request(auth.url).post('/oauth/revoke').type('form').send({ token: first.access, client_id: 'default' }).expect(200);
      expect(await oauthError(exchangeAs('orders', first.access, { audience: 'billing' }))).toMatchObject({ error: 'invalid_grant' });
      const second = await login();
      await request(auth.url).post('/auth/logout').send({ refresh_token: second.refresh }).expect(204);
      expect(await oauthError(exchangeAs('orders', second.access, { audience: 'billing' }))).toMatchObject({ error: 'invalid_grant' });
    });
  });

  it("the user's logout refuses every hop's token: at the last hop within the poll interval + 1 s, at introspection and exchange at once", async () => {
    const user = await login();
    const toBilling = await exchangeAs('orders', user.access, { audience: 'billing' });
    const toResource = await exchangeAs('billing', toBilling.access_token, { audience: 'resource-service' });
    await protectedWith(toResource.access_token).expect(200);
    const billing = await as('billing');
    expect(await oidc.tokenIntrospection(billing, toBilling.access_token)).toMatchObject({ active: true, act: { sub: 'orders' } });

    await request(auth.url).post('/auth/logout').send({ refresh_token: user.refresh }).expect(204);
    const start = Date.now();
    while ((await protectedWith(toResource.access_token)).status !== 401) {
      if (Date.now() - start > BOUND_MS) throw new Error('the last hop still accepts the token after the logout');
      await sleep(20);
    }
    expect(await oidc.tokenIntrospection(billing, toBilling.access_token)).toEqual({ active: false });
    expect(await oauthError(exchangeAs('billing', toBilling.access_token, { audience: 'resource-service' }))).toMatchObject({ error: 'invalid_grant' });
  });

  it(`a service revoking the tokens it exchanged (${SESSION_TOKEN_BUDGET + 1} of them): each refused, counted against the service, never the user's session`, async () => {
    const user = await login();
    const exchanged: string[] = [];
    for (let i = 0; i <= SESSION_TOKEN_BUDGET; i++) {
      const { access_token } = await exchangeAs('orders', user.access, { audience: 'billing' });
      await oidc.tokenRevocation(await as('orders'), access_token);
      exchanged.push(access_token);
    }
    for (const token of exchanged) expect(await oidc.tokenIntrospection(await as('billing'), token)).toEqual({ active: false });
    // The user's session lives on: its refresh token still rotates, its access token still exchanges.
    await request(auth.url).post('/auth/refresh').send({ refresh_token: user.refresh }).expect(200);
    expect((await exchangeAs('orders', user.access, { audience: 'billing' })).access_token).toBeDefined();
  });

  it('disabling the exchanging client refuses the tokens it got', async () => {
    const user = await login();
    const toBilling = await exchangeAs('orders', user.access, { audience: 'billing' });
    const introspect = async () => oidc.tokenIntrospection(await as('billing'), toBilling.access_token);
    expect(await introspect()).toMatchObject({ active: true });
    await auth.app.get(ClientsService).setDisabled('orders', true);
    try {
      expect(await introspect()).toEqual({ active: false });
      expect(await oauthError(exchangeAs('billing', toBilling.access_token, { audience: 'resource-service' }))).toMatchObject({ error: 'invalid_grant' });
    } finally {
      await auth.app.get(ClientsService).setDisabled('orders', false);
    }
  });
});
