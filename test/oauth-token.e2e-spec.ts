import * as oidc from 'openid-client';
import request from 'supertest';
import { UsersService } from '../apps/auth-service/src/users/users.service.js';
import { startAuth, type RunningAuth } from './support/auth-app.js';
import { claimsOf, discover, oauthError, registerClient, TEST_ISSUER } from './support/oauth.js';
import { startResource, type RunningResource } from './support/stack.js';

/** openid-client, the reference OAuth client for Node, against the real auth-service and resource-service (SQLite). */
describe('OAuth 2.0 with openid-client', () => {
  let auth: RunningAuth;
  let resource: RunningResource;
  let adminSecret: string;
  let readerSecret: string;
  let appSecret: string;

  beforeAll(async () => {
    auth = await startAuth({ AUTH_AUDIENCE: 'resource-service' });
    resource = await startResource(`${auth.url}/.well-known/jwks.json`);
    adminSecret = await registerClient(auth, { id: 'admin-svc', scopes: ['resource:read', 'resource:admin'], audiences: ['billing-api'] });
    // A resource server allowed to introspect the tokens meant for resource-service (RFC 7662 §4).
    readerSecret = await registerClient(auth, { id: 'reader-svc', scopes: ['resource:read'], introspect: true, serves: ['resource-service'] });
    appSecret = await registerClient(auth, { id: 'web-app', grantTypes: ['password', 'refresh_token'], scopes: ['profile', 'resource:read'] });
    await auth.app.get(UsersService).create('carol', 'correct horse', ['profile', 'resource:read', 'resource:admin']);
  });
  afterAll(async () => {
    await resource.close();
    await auth.close();
  });

  const protectedAs = (token: string) => request(resource.url).get('/resource/protected').auth(token, { type: 'bearer' });
  const adminAs = (token: string) => request(resource.url).get('/resource/admin').auth(token, { type: 'bearer' });

  it.each(['oidc', 'oauth2'] as const)('discovers the metadata (%s well-known name) and finds only what works', async (algorithm) => {
    const config = await discover(auth, 'admin-svc', oidc.ClientSecretBasic(adminSecret), algorithm);
    const metadata = config.serverMetadata();
    expect(metadata).toEqual({
      issuer: TEST_ISSUER,
      jwks_uri: `${TEST_ISSUER}/.well-known/jwks.json`,
      token_endpoint: `${TEST_ISSUER}/oauth/token`,
      grant_types_supported: ['authorization_code', 'password', 'refresh_token', 'client_credentials', 'urn:ietf:params:oauth:grant-type:token-exchange'],
      authorization_endpoint: `${TEST_ISSUER}/oauth/authorize`,
      response_types_supported: ['code'],
      response_modes_supported: ['query'],
      code_challenge_methods_supported: ['S256'],
      authorization_response_iss_parameter_supported: true,
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      userinfo_endpoint: `${TEST_ISSUER}/oauth/userinfo`,
      end_session_endpoint: `${TEST_ISSUER}/oauth/logout`,
      claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'nonce', 'sid', 'at_hash', 'preferred_username'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
      revocation_endpoint: `${TEST_ISSUER}/oauth/revoke`,
      revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
      introspection_endpoint: `${TEST_ISSUER}/oauth/introspect`,
      introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      scopes_supported: ['openid', 'profile', 'resource:read', 'resource:admin'],
      revocation_feed_endpoint: `${TEST_ISSUER}/oauth/revocations`,
      dpop_signing_alg_values_supported: ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'],
    });
    // No implicit or hybrid flow, no plain PKCE: nothing is listed that does not work.
    expect(metadata).not.toHaveProperty('request_parameter_supported');
  });

  it('serves one document at both well-known names', async () => {
    const a = await request(auth.url).get('/.well-known/oauth-authorization-server').expect(200);
    const b = await request(auth.url).get('/.well-known/openid-configuration').expect(200);
    expect(a.body).toEqual(b.body);
    expect(a.headers['cache-control']).toBe(b.headers['cache-control']);
  });

  it.each([
    ['client_secret_basic', () => oidc.ClientSecretBasic(adminSecret)],
    ['client_secret_post', () => oidc.ClientSecretPost(adminSecret)],
  ])('client_credentials with %s: a token for the client itself, which the resource-service accepts', async (_method, clientAuth) => {
    const config = await discover(auth, 'admin-svc', clientAuth());
    const tokens = await oidc.clientCredentialsGrant(config);
    expect(tokens).toMatchObject({ token_type: 'bearer', expires_in: 900, scope: 'resource:read resource:admin' });
    expect(tokens.refresh_token).toBeUndefined();
    const claims = claimsOf(tokens.access_token);
    expect(claims).toMatchObject({
      iss: TEST_ISSUER,
      sub: 'admin-svc',
      client_id: 'admin-svc',
      aud: 'resource-service',
      scope: 'resource:read resource:admin',
    });
    expect(claims).not.toHaveProperty('username');
    expect(claims).not.toHaveProperty('sid');
    expect((await protectedAs(tokens.access_token).expect(200)).body).toEqual({ message: 'This is a protected resource', client: { clientId: 'admin-svc' } });
    expect((await adminAs(tokens.access_token).expect(200)).body).toEqual({ message: 'This is an admin resource' });
  });

  it('client_credentials: scope narrows the token, and /resource/admin then answers 403 insufficient_scope', async () => {
    const config = await discover(auth, 'admin-svc', oidc.ClientSecretBasic(adminSecret));
    const tokens = await oidc.clientCredentialsGrant(config, { scope: 'resource:read' });
    expect(tokens.scope).toBe('resource:read');
    await protectedAs(tokens.access_token).expect(200);
    const refused = await adminAs(tokens.access_token).expect(403);
    expect(refused.headers['www-authenticate']).toContain('error="insufficient_scope"');
    const reader = await oidc.clientCredentialsGrant(await discover(auth, 'reader-svc', oidc.ClientSecretPost(readerSecret)));
    await adminAs(reader.access_token).expect(403);
  });

  it('client_credentials: resource (RFC 8707) or audience picks a registered audience; others are invalid_target', async () => {
    const config = await discover(auth, 'admin-svc', oidc.ClientSecretBasic(adminSecret));
    expect(claimsOf((await oidc.clientCredentialsGrant(config, { resource: 'billing-api' })).access_token).aud).toBe('billing-api');
    expect(claimsOf((await oidc.clientCredentialsGrant(config, { audience: 'billing-api' })).access_token).aud).toBe('billing-api');
    // A token for billing-api is not for the resource-service.
    await protectedAs((await oidc.clientCredentialsGrant(config, { resource: 'billing-api' })).access_token).expect(401);
    expect(await oauthError(oidc.clientCredentialsGrant(config, { resource: 'payroll-api' }))).toMatchObject({ status: 400, error: 'invalid_target' });
  });

  it('password grant for the built-in public client default (none): a user token with sid and client_id', async () => {
    const config = await discover(auth, 'default', oidc.None());
    const tokens = await oidc.genericGrantRequest(config, 'password', { username: 'testuser', password: 'password' });
    expect(tokens.refresh_token).toMatch(/^nts_rt_/);
    const claims = claimsOf(tokens.access_token);
    expect(claims).toMatchObject({ username: 'testuser', client_id: 'default', scope: 'profile resource:read', aud: 'resource-service' });
    expect(typeof claims.sid).toBe('string');
    expect((await protectedAs(tokens.access_token).expect(200)).body.user).toEqual({ userId: claims.sub, username: 'testuser' });
    // The demo user has no resource:admin.
    await adminAs(tokens.access_token).expect(403);
  });

  it('password grant for a confidential client: the user scopes limited to the client, scope beyond is invalid_scope', async () => {
    const config = await discover(auth, 'web-app', oidc.ClientSecretBasic(appSecret));
    const tokens = await oidc.genericGrantRequest(config, 'password', { username: 'carol', password: 'correct horse' });
    expect(tokens.scope).toBe('profile resource:read');
    expect(claimsOf(tokens.access_token)).toMatchObject({ client_id: 'web-app', username: 'carol' });
    const beyond = await oauthError(oidc.genericGrantRequest(config, 'password', { username: 'carol', password: 'correct horse', scope: 'resource:admin' }));
    expect(beyond).toMatchObject({ status: 400, error: 'invalid_scope' });
    // Through default (no scope list of its own) carol gets all of hers.
    const direct = await oidc.genericGrantRequest(await discover(auth, 'default', oidc.None()), 'password', { username: 'carol', password: 'correct horse' });
    await adminAs(direct.access_token).expect(200);
  });

  it('refresh grant: rotates, keeps the session and the scope, and a reused token revokes the session', async () => {
    const config = await discover(auth, 'web-app', oidc.ClientSecretBasic(appSecret));
    const first = await oidc.genericGrantRequest(config, 'password', { username: 'carol', password: 'correct horse', scope: 'resource:read' });
    const second = await oidc.refreshTokenGrant(config, first.refresh_token!);
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(second.scope).toBe('resource:read');
    expect(claimsOf(second.access_token).sid).toBe(claimsOf(first.access_token).sid);
    expect(await oauthError(oidc.refreshTokenGrant(config, first.refresh_token!))).toMatchObject({ status: 400, error: 'invalid_grant' });
    // The reuse ended the session: the successor is refused too.
    expect(await oauthError(oidc.refreshTokenGrant(config, second.refresh_token!))).toMatchObject({ status: 400, error: 'invalid_grant' });
  });

  it('refresh grant: scope may narrow this token but never widen it', async () => {
    const config = await discover(auth, 'web-app', oidc.ClientSecretBasic(appSecret));
    const first = await oidc.genericGrantRequest(config, 'password', { username: 'carol', password: 'correct horse', scope: 'resource:read' });
    expect(await oauthError(oidc.refreshTokenGrant(config, first.refresh_token!, { scope: 'profile' }))).toMatchObject({ error: 'invalid_scope' });
    // The refusal changed nothing: the token still works.
    await oidc.refreshTokenGrant(config, first.refresh_token!);
  });

  it('a refresh token works only for the client it was issued to', async () => {
    const app = await discover(auth, 'web-app', oidc.ClientSecretBasic(appSecret));
    const tokens = await oidc.genericGrantRequest(app, 'password', { username: 'carol', password: 'correct horse' });
    const other = await discover(auth, 'default', oidc.None());
    expect(await oauthError(oidc.refreshTokenGrant(other, tokens.refresh_token!))).toMatchObject({ error: 'invalid_grant' });
    await request(auth.url).post('/auth/refresh').send({ refresh_token: tokens.refresh_token }).expect(400);
    await oidc.refreshTokenGrant(app, tokens.refresh_token!);
  });

  it('revocation (RFC 7009): the client ends its own session; another client revoking it changes nothing', async () => {
    const app = await discover(auth, 'web-app', oidc.ClientSecretBasic(appSecret));
    const tokens = await oidc.genericGrantRequest(app, 'password', { username: 'carol', password: 'correct horse' });
    await oidc.tokenRevocation(await discover(auth, 'default', oidc.None()), tokens.refresh_token!);
    const next = await oidc.refreshTokenGrant(app, tokens.refresh_token!);
    await oidc.tokenRevocation(app, next.refresh_token!);
    expect(await oauthError(oidc.refreshTokenGrant(app, next.refresh_token!))).toMatchObject({ error: 'invalid_grant' });
    // An unknown token is answered 200 as well.
    await oidc.tokenRevocation(app, 'not-a-token');
  });

  it('revocation (RFC 7009) of an access token: introspection then finds it inactive, while its session lives on', async () => {
    const app = await discover(auth, 'web-app', oidc.ClientSecretBasic(appSecret));
    const tokens = await oidc.genericGrantRequest(app, 'password', { username: 'carol', password: 'correct horse' });
    expect(await oidc.tokenIntrospection(app, tokens.access_token)).toMatchObject({ active: true, client_id: 'web-app' });
    await oidc.tokenRevocation(app, tokens.access_token);
    expect(await oidc.tokenIntrospection(app, tokens.access_token)).toEqual({ active: false });
    // Only that access token: the refresh token still works, and the access token it gives is active.
    const next = await oidc.refreshTokenGrant(app, tokens.refresh_token!);
    expect(await oidc.tokenIntrospection(app, next.access_token)).toMatchObject({ active: true });
  });

  it('introspection (RFC 7662): the claims of an active token, active false for revoked, unknown and foreign ones', async () => {
    const gateway = await discover(auth, 'reader-svc', oidc.ClientSecretBasic(readerSecret));
    const service = await oidc.clientCredentialsGrant(await discover(auth, 'admin-svc', oidc.ClientSecretBasic(adminSecret)));
    expect(await oidc.tokenIntrospection(gateway, service.access_token)).toMatchObject({
      active: true,
      client_id: 'admin-svc',
      sub: 'admin-svc',
      scope: 'resource:read resource:admin',
      token_type: 'Bearer',
    });

    const app = await discover(auth, 'web-app', oidc.ClientSecretPost(appSecret));
    const user = await oidc.genericGrantRequest(app, 'password', { username: 'carol', password: 'correct horse' });
    expect(await oidc.tokenIntrospection(gateway, user.access_token)).toMatchObject({ active: true, username: 'carol', client_id: 'web-app' });
    expect(await oidc.tokenIntrospection(app, user.refresh_token!)).toMatchObject({
      active: true,
      token_type: 'refresh_token',
      client_id: 'web-app',
      username: 'carol',
    });
    // Another client's refresh token is not its business.
    expect(await oidc.tokenIntrospection(gateway, user.refresh_token!)).toEqual({ active: false });

    await oidc.tokenRevocation(app, user.refresh_token!);
    expect(await oidc.tokenIntrospection(app, user.refresh_token!)).toEqual({ active: false });
    // The session (sid) is over, so its access token is no longer active either.
    expect(await oidc.tokenIntrospection(gateway, user.access_token)).toEqual({ active: false });
    expect(await oidc.tokenIntrospection(gateway, 'garbage')).toEqual({ active: false });
    const foreign = `${service.access_token.split('.').slice(0, 2).join('.')}.${Buffer.from('forged').toString('base64url')}`;
    expect(await oidc.tokenIntrospection(gateway, foreign)).toEqual({ active: false });
  });

  it('introspection is for confidential clients: a public client gets invalid_client', async () => {
    const res = await request(auth.url).post('/oauth/introspect').type('form').send({ client_id: 'default', token: 'x' }).expect(401);
    expect(res.body).toEqual({ error: 'invalid_client', error_description: 'client authentication failed' });
  });
});
