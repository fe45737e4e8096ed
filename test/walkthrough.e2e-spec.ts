import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { createResourceApp } from '../apps/resource-service/src/app.factory.js';
import { loadResourceConfig } from '../apps/resource-service/src/config/resource.config.js';
import { startAuth, type RunningAuth } from './support/auth-app.js';

/** The README walk-through: login at the auth-service, read the JWKS, call the resource-service. */
describe('walk-through: login -> JWKS -> protected resource', () => {
  let auth: RunningAuth;
  let resource: NestFastifyApplication;
  let resourceUrl: string;

  beforeAll(async () => {
    auth = await startAuth({ AUTH_ISSUER: 'http://localhost:3000' });
    const config = loadResourceConfig({ AUTH_ISSUER: 'http://localhost:3000', JWKS_URI: `${auth.url}/.well-known/jwks.json` });
    resource = await createResourceApp(config, { logger: false });
    await resource.listen(0, '127.0.0.1');
    resourceUrl = await resource.getUrl();
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

  it('refuses a token issued for another audience', async () => {
    const other = await startAuth({ AUTH_ISSUER: 'http://localhost:3000', AUTH_AUDIENCE: 'billing' }, { dir: auth.dir });
    const { body } = await request(other.url).post('/auth/login').send({ username: 'testuser', password: 'password' }).expect(200);
    await other.app.close();
    const res = await request(resourceUrl).get('/resource/protected').set('Authorization', `Bearer ${body.access_token}`).expect(401);
    expect(res.headers['www-authenticate']).toContain('error="invalid_token"');
  });
});
