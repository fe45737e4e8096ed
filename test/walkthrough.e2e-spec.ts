import request from 'supertest';
import { startAuth, type RunningAuth } from './support/auth-app.js';
import { registerClient } from './support/oauth.js';
import { startResource, type RunningResource } from './support/stack.js';

/** The README walk-through: login at the auth-service, read the JWKS, call the resource-service. */
describe('walk-through: login -> JWKS -> protected resource', () => {
  let auth: RunningAuth;
  let resource: RunningResource;
  let resourceUrl: string;

  beforeAll(async () => {
    auth = await startAuth({ AUTH_ISSUER: 'http://localhost:3000' });
    resource = await startResource(`${auth.url}/.well-known/jwks.json`, {
      env: { REVOCATION_FEED_URI: `${auth.url}/oauth/revocations`, REVOCATION_POLL_INTERVAL: '500ms' },
    });
    resourceUrl = resource.url;
  });
  afterAll(async () => {
    await resource.close();
    await auth.close();
  });

  it('lets the demo user reach the protected resource with the token the auth-service issued', async () => {
    const login = await request(auth.url).post('/auth/login').send({ username: 'testuser', password: 'password' }).expect(200);
    const jwks = await request(auth.url).get('/.well-known/jwks.json').expect(200);
    expect(jwks.body.keys).toHaveLength(1);

    const res = await request(resourceUrl).get('/resource/protected').set('Authorization', `Bearer ${login.body.access_token}`).expect(200);
    expect(res.body).toEqual({ message: 'This is a protected resource', user: { userId: expect.any(String), username: 'testuser' } });
  });

  it('serves the public route without a token and refuses the protected one', async () => {
    await request(resourceUrl).get('/resource/public').expect(200);
    const res = await request(resourceUrl).get('/resource/protected').expect(401);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
  });

  it('step 5: after a logout the access token of that session is refused within the poll interval + 1 s', async () => {
    const { body } = await request(auth.url).post('/auth/login').send({ username: 'testuser', password: 'password' }).expect(200);
    const next = await request(auth.url).post('/auth/refresh').send({ refresh_token: body.refresh_token }).expect(200);
    await request(resourceUrl).get('/resource/protected').auth(body.access_token, { type: 'bearer' }).expect(200);
    await request(auth.url).post('/auth/logout').send({ refresh_token: next.body.refresh_token }).expect(204);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const res = await request(resourceUrl).get('/resource/protected').auth(body.access_token, { type: 'bearer' }).expect(401);
    expect(res.headers['www-authenticate']).toContain('error="invalid_token"');
  });

  it('refuses a token issued for another audience', async () => {
    const other = await startAuth({ AUTH_ISSUER: 'http://localhost:3000', AUTH_AUDIENCE: 'billing' }, { dir: auth.dir });
    const { body } = await request(other.url).post('/auth/login').send({ username: 'testuser', password: 'password' }).expect(200);
    await other.app.close();
    const res = await request(resourceUrl).get('/resource/protected').set('Authorization', `Bearer ${body.access_token}`).expect(401);
    expect(res.headers['www-authenticate']).toContain('error="invalid_token"');
  });

  it('step 6: a client registered with resource:admin gets a client-credentials token that /resource/admin accepts; the demo user is refused', async () => {
    const secret = await registerClient(auth, { id: 'billing', grantTypes: ['client_credentials'], scopes: ['resource:read', 'resource:admin'] });
    const svc = await request(auth.url).post('/oauth/token').auth('billing', secret).type('form').send({ grant_type: 'client_credentials' }).expect(200);
    expect((await request(resourceUrl).get('/resource/admin').auth(svc.body.access_token, { type: 'bearer' }).expect(200)).body).toEqual({
      message: 'This is an admin resource',
    });
    const who = await request(resourceUrl).get('/resource/protected').auth(svc.body.access_token, { type: 'bearer' }).expect(200);
    expect(who.body).toEqual({ message: 'This is a protected resource', client: { clientId: 'billing' } });
    const user = await request(auth.url)
      .post('/oauth/token')
      .type('form')
      .send({ grant_type: 'password', client_id: 'default', username: 'testuser', password: 'password' })
      .expect(200);
    const refused = await request(resourceUrl).get('/resource/admin').auth(user.body.access_token, { type: 'bearer' }).expect(403);
    expect(refused.headers['www-authenticate']).toContain('insufficient_scope');
  });
});
