import * as oidc from 'openid-client';
import request from 'supertest';
import { ClientsService } from '../apps/auth-service/src/clients/clients.service.js';
import { startAuth, type RunningAuth } from './support/auth-app.js';
import { discover, oauthError, registerClient } from './support/oauth.js';

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
const INVALID_CLIENT = { error: 'invalid_client', error_description: 'client authentication failed' };
const BAD_PASSWORD = { error: 'invalid_grant', error_description: 'Invalid username or password' };

/** Every RFC 6749 5.2 answer of POST /oauth/token, exactly as sent (SQLite). */
describe('OAuth 2.0 error answers', () => {
  let auth: RunningAuth;
  let secret: string;
  let appSecret: string;
  const token = (form: Record<string, string>, authorization?: string) => {
    const req = request(auth.url).post('/oauth/token').type('form');
    return (authorization ? req.set('Authorization', authorization) : req).send(form);
  };

  beforeAll(async () => {
    auth = await startAuth({ LOGIN_ADDRESS_MAX_FAILURES: '1000' });
    secret = await registerClient(auth, { id: 'svc', scopes: ['resource:read'] });
    appSecret = await registerClient(auth, { id: 'app', grantTypes: ['password', 'refresh_token'], scopes: ['profile', 'resource:read'] });
  });
  afterAll(() => auth.close());

  it('a wrong secret in Basic: 401 invalid_client with WWW-Authenticate: Basic, and openid-client sees the same', async () => {
    const res = await token({ grant_type: 'client_credentials' }, basic('svc', 'nts_cs_wrong')).expect(401);
    expect(res.body).toEqual(INVALID_CLIENT);
    expect(res.headers['www-authenticate']).toMatch(/^Basic /);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers.pragma).toBe('no-cache');
    const seen = await oauthError(oidc.clientCredentialsGrant(await discover(auth, 'svc', oidc.ClientSecretBasic('nts_cs_wrong'))));
    expect(seen).toMatchObject({ status: 401, error: 'invalid_client' });
    expect(seen.headers?.get('www-authenticate')).toMatch(/^Basic /);
  });

  it('a wrong secret in the body, an unknown client, a secret for a public client: 401 invalid_client without a Basic challenge', async () => {
    const forms: Record<string, string>[] = [
      { grant_type: 'client_credentials', client_id: 'svc', client_secret: 'nts_cs_wrong' },
      { grant_type: 'client_credentials', client_id: 'nobody', client_secret: secret },
      { grant_type: 'password', client_id: 'default', client_secret: 'x', username: 'testuser', password: 'password' },
      { grant_type: 'client_credentials', client_id: 'svc' },
      { grant_type: 'client_credentials' },
    ];
    for (const form of forms) {
      const res = await token(form).expect(401);
      expect(res.body).toEqual(INVALID_CLIENT);
      expect(res.headers['www-authenticate']).toBeUndefined();
    }
  });

  it('a malformed Basic header is invalid_client; two authentication methods at once are invalid_request', async () => {
    expect((await token({ grant_type: 'client_credentials' }, 'Basic %%%').expect(401)).body).toEqual(INVALID_CLIENT);
    const both = await token({ grant_type: 'client_credentials', client_secret: secret }, basic('svc', secret)).expect(400);
    expect(both.body.error).toBe('invalid_request');
    expect((await token({ grant_type: 'client_credentials' }, 'Bearer abc').expect(400)).body.error).toBe('invalid_request');
  });

  it('Basic takes the form-urlencoded id and secret of RFC 6749 2.3.1', async () => {
    // The ':' in the id travels as %3A; split at a raw ':' it would be id "svc" and a wrong secret.
    const odd = await registerClient(auth, { id: 'svc:with.odd' });
    await token({ grant_type: 'client_credentials' }, basic('svc:with.odd', odd)).expect(200);
  });

  it('an unknown grant type is unsupported_grant_type; a missing one invalid_request', async () => {
    const res = await token({ grant_type: 'implicit' }, basic('svc', secret)).expect(400);
    expect(res.body).toEqual({
      error: 'unsupported_grant_type',
      error_description:
        'grant_type must be one of authorization_code, password, refresh_token, client_credentials, urn:ietf:params:oauth:grant-type:token-exchange',
    });
    const missing = await token({}, basic('svc', secret)).expect(400);
    expect(missing.body.error).toBe('invalid_request');
    expect(missing.body.error_description).toContain('grant_type');
    expect(Object.keys(missing.body)).toEqual(['error', 'error_description']);
  });

  it('a grant the client may not use is unauthorized_client', async () => {
    expect((await token({ grant_type: 'password', username: 'testuser', password: 'password' }, basic('svc', secret)).expect(400)).body).toEqual({
      error: 'unauthorized_client',
      error_description: 'this client may not use the password grant',
    });
    expect((await token({ grant_type: 'client_credentials', client_id: 'default' }).expect(400)).body.error).toBe('unauthorized_client');
    const seen = await oauthError(oidc.clientCredentialsGrant(await discover(auth, 'app', oidc.ClientSecretBasic(appSecret))));
    expect(seen).toMatchObject({ status: 400, error: 'unauthorized_client' });
  });

  it('a scope beyond the client is invalid_scope', async () => {
    const res = await token({ grant_type: 'client_credentials', scope: 'resource:read resource:admin' }, basic('svc', secret)).expect(400);
    expect(res.body).toEqual({ error: 'invalid_scope', error_description: 'not allowed for this client: resource:admin' });
  });

  it('a wrong password and an unknown user get the same 400 invalid_grant', async () => {
    const wrong = await token({ grant_type: 'password', client_id: 'default', username: 'testuser', password: 'wrong-password' }).expect(400);
    const unknown = await token({ grant_type: 'password', client_id: 'default', username: 'nobody-here', password: 'wrong-password' }).expect(400);
    expect(wrong.body).toEqual(BAD_PASSWORD);
    expect(unknown.body).toEqual(BAD_PASSWORD);
    expect((await token({ grant_type: 'password', client_id: 'default', username: 'testuser' }).expect(400)).body.error).toBe('invalid_request');
  });

  it('a bad refresh token is invalid_grant; a body field that does not exist is invalid_request', async () => {
    const res = await token({ grant_type: 'refresh_token', client_id: 'default', refresh_token: 'nts_rt_unknown' }).expect(400);
    expect(res.body).toEqual({ error: 'invalid_grant', error_description: 'The refresh token is invalid, expired or revoked; log in again' });
    const extra = await token({ grant_type: 'client_credentials', colour: 'red' }, basic('svc', secret)).expect(400);
    expect(extra.body).toEqual({ error: 'invalid_request', error_description: 'colour: property colour should not exist' });
  });

  it('a body over the limit (refused before any route runs) is 413 in the same shape, on each OAuth route; elsewhere the service shape', async () => {
    const oversized = `grant_type=client_credentials&pad=${'a'.repeat(70_000)}`;
    for (const path of ['/oauth/token', '/oauth/revoke', '/oauth/introspect']) {
      const res = await request(auth.url).post(path).type('form').set('Authorization', basic('svc', secret)).send(oversized).expect(413);
      expect({ path, body: res.body, cache: res.headers['cache-control'] }).toEqual({
        path,
        body: { error: 'invalid_request', error_description: 'Request body is too large' },
        cache: 'no-store',
      });
    }
    const login = await request(auth.url)
      .post('/auth/login')
      .type('json')
      .send(JSON.stringify({ username: 'x', password: 'a'.repeat(70_000) }))
      .expect(413);
    expect(login.body).toMatchObject({ statusCode: 413, code: 'ERR_PAYLOAD_TOO_LARGE' });
  });

  it('accepts JSON as well as the form encoding', async () => {
    const res = await request(auth.url).post('/oauth/token').set('Authorization', basic('svc', secret)).send({ grant_type: 'client_credentials' }).expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers.pragma).toBe('no-cache');
  });

  it('a disabled client gets invalid_client, and its refresh tokens stop working for good', async () => {
    const clients = auth.app.get(ClientsService);
    const pair = await token({ grant_type: 'password', username: 'testuser', password: 'password' }, basic('app', appSecret)).expect(200);
    await clients.setDisabled('app', true);
    expect((await token({ grant_type: 'refresh_token', refresh_token: pair.body.refresh_token }, basic('app', appSecret)).expect(401)).body).toEqual(
      INVALID_CLIENT,
    );
    await clients.setDisabled('app', false);
    const after = await token({ grant_type: 'refresh_token', refresh_token: pair.body.refresh_token }, basic('app', appSecret)).expect(400);
    expect(after.body.error).toBe('invalid_grant');
  });

  it('throttles the password grant like /auth/login: the account locks with 429 and Retry-After', async () => {
    for (let i = 0; i < 5; i++) await token({ grant_type: 'password', client_id: 'default', username: 'testuser', password: 'wrong-password' }).expect(400);
    const locked = await token({ grant_type: 'password', client_id: 'default', username: 'testuser', password: 'password' }).expect(429);
    expect(locked.body.error).toBe('temporarily_unavailable');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    // /auth/login shares the counter: one implementation behind both doors.
    await request(auth.url).post('/auth/login').send({ username: 'testuser', password: 'password' }).expect(429);
  });
});
