import request from 'supertest';
import { startAuth, type RunningAuth } from './support/auth-app.js';
import { login, startResource, type RunningResource } from './support/stack.js';

/** AUTH_ISSUER is used verbatim as `iss` on both sides; derived URLs are joined without `//`. */
describe.each(['https://auth.example.com', 'https://auth.example.com/', 'https://auth.example.com/tenant-a/'])(
  'the same AUTH_ISSUER %s on both services',
  (issuer) => {
    let auth: RunningAuth;
    let resource: RunningResource;

    beforeAll(async () => {
      auth = await startAuth({ AUTH_ISSUER: issuer });
      resource = await startResource(`${auth.url}/.well-known/jwks.json`, { env: { AUTH_ISSUER: issuer } });
    });
    afterAll(async () => {
      await resource.close();
      await auth.close();
    });

    it('signs iss exactly as configured, and the resource-service accepts the token', async () => {
      const token = await login(auth);
      const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { iss: string };

      expect(claims.iss).toBe(issuer);
      await request(resource.url).get('/resource/protected').set('Authorization', `Bearer ${token}`).expect(200);
    });

    it('publishes the issuer verbatim and endpoint URLs with no doubled slash', async () => {
      const { body } = await request(auth.url).get('/.well-known/openid-configuration').expect(200);
      const base = issuer.replace(/\/$/, '');

      expect(body).toMatchObject({
        issuer,
        jwks_uri: `${base}/.well-known/jwks.json`,
        token_endpoint: `${base}/oauth/token`,
        revocation_endpoint: `${base}/oauth/revoke`,
        introspection_endpoint: `${base}/oauth/introspect`,
        revocation_feed_endpoint: `${base}/oauth/revocations`,
      });
      for (const url of [
        body.jwks_uri,
        body.token_endpoint,
        body.revocation_endpoint,
        body.introspection_endpoint,
        body.revocation_feed_endpoint,
      ] as string[]) {
        expect(url.slice('https://'.length)).not.toContain('//');
      }
    });
  },
);

describe('AUTH_ISSUER differing by a trailing slash', () => {
  it('is another issuer: iss is compared as an exact string', async () => {
    const auth = await startAuth({ AUTH_ISSUER: 'https://auth.example.com/' });
    const resource = await startResource(`${auth.url}/.well-known/jwks.json`, { env: { AUTH_ISSUER: 'https://auth.example.com' } });
    try {
      const token = await login(auth);
      await request(resource.url).get('/resource/protected').set('Authorization', `Bearer ${token}`).expect(401);
    } finally {
      await resource.close();
      await auth.close();
    }
  });
});
