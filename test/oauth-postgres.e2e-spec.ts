import * as oidc from 'openid-client';
import { ClientsService } from '../apps/auth-service/src/clients/clients.service.js';
import { startAuth, tempDir, type RunningAuth } from './support/auth-app.js';
import { claimsOf, discover, oauthError, registerClient } from './support/oauth.js';
import { createTestDatabase, type TestDatabase } from './support/postgres.js';

/** Clients and the token endpoint on PostgreSQL, two replicas sharing one database. */
describe('OAuth 2.0 on PostgreSQL', () => {
  let db: TestDatabase;
  let dir: { dir: string; remove: () => Promise<void> };
  let a: RunningAuth;
  let b: RunningAuth;

  beforeAll(async () => {
    db = await createTestDatabase();
    dir = await tempDir();
    // Both replicas migrate at once: migration 4 (clients) is applied exactly once.
    [a, b] = await Promise.all([startAuth({ DATABASE_URL: db.url }, { dir: dir.dir }), startAuth({ DATABASE_URL: db.url }, { dir: dir.dir })]);
  });
  afterAll(async () => {
    await Promise.all([a.app.close(), b.app.close()]);
    await dir.remove();
    await db.drop();
  });

  it('a client registered on one replica gets tokens from the other, with Basic and with post', async () => {
    const secret = await registerClient(a, { id: 'svc', scopes: ['resource:read'] });
    for (const clientAuth of [oidc.ClientSecretBasic(secret), oidc.ClientSecretPost(secret)]) {
      const tokens = await oidc.clientCredentialsGrant(await discover(b, 'svc', clientAuth));
      expect(claimsOf(tokens.access_token)).toMatchObject({ sub: 'svc', client_id: 'svc', scope: 'resource:read' });
    }
  });

  it('password and refresh grants across replicas, with reuse detection', async () => {
    const secret = await registerClient(a, { id: 'app', grantTypes: ['password', 'refresh_token'], scopes: ['profile'] });
    const onA = await discover(a, 'app', oidc.ClientSecretBasic(secret));
    const onB = await discover(b, 'app', oidc.ClientSecretBasic(secret));
    const first = await oidc.genericGrantRequest(onA, 'password', { username: 'testuser', password: 'password' });
    expect(first.scope).toBe('profile');
    const second = await oidc.refreshTokenGrant(onB, first.refresh_token!);
    expect(second.scope).toBe('profile');
    expect(await oauthError(oidc.refreshTokenGrant(onA, first.refresh_token!))).toMatchObject({ error: 'invalid_grant' });
    expect(await oauthError(oidc.refreshTokenGrant(onB, second.refresh_token!))).toMatchObject({ error: 'invalid_grant' });
    expect(await oauthError(oidc.genericGrantRequest(onB, 'password', { username: 'testuser', password: 'wrong-password' }))).toMatchObject({
      status: 400,
      error: 'invalid_grant',
    });
  });

  it('disabling a client on one replica refuses it on the other and ends its sessions', async () => {
    const secret = await registerClient(a, { id: 'gone', grantTypes: ['password', 'refresh_token'] });
    const onB = await discover(b, 'gone', oidc.ClientSecretPost(secret));
    const tokens = await oidc.genericGrantRequest(onB, 'password', { username: 'testuser', password: 'password' });
    expect(await a.app.get(ClientsService).setDisabled('gone', true)).toEqual({ endedSessions: 1 });
    expect(await oauthError(oidc.refreshTokenGrant(onB, tokens.refresh_token!))).toMatchObject({ status: 401, error: 'invalid_client' });
    await a.app.get(ClientsService).setDisabled('gone', false);
    expect(await oauthError(oidc.refreshTokenGrant(onB, tokens.refresh_token!))).toMatchObject({ status: 400, error: 'invalid_grant' });
  });

  it('introspection and revocation across replicas', async () => {
    const secret = await registerClient(a, { id: 'rs', scopes: [], introspect: true, serves: ['resource-service'] });
    const app = await discover(a, 'default', oidc.None());
    const user = await oidc.genericGrantRequest(app, 'password', { username: 'testuser', password: 'password' });
    const gateway = await discover(b, 'rs', oidc.ClientSecretBasic(secret));
    expect(await oidc.tokenIntrospection(gateway, user.access_token)).toMatchObject({ active: true, username: 'testuser' });
    await oidc.tokenRevocation(await discover(b, 'default', oidc.None()), user.refresh_token!);
    expect(await oidc.tokenIntrospection(gateway, user.access_token)).toEqual({ active: false });
  });
});
