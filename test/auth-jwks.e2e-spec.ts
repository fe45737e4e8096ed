import { calculateJwkThumbprint } from 'jose';
import request from 'supertest';
import { startAuth, type RunningAuth } from './support/auth-app.js';

describe('JWKS and discovery', () => {
  let auth: RunningAuth;

  beforeAll(async () => {
    auth = await startAuth({ AUTH_ISSUER: 'https://id.example.test' });
  });
  afterAll(() => auth.close());

  it('publishes the signing key with only public members', async () => {
    const res = await request(auth.url).get('/.well-known/jwks.json').expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body.keys).toHaveLength(1);
    const [jwk] = res.body.keys;
    expect(Object.keys(jwk).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);
    expect(jwk).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', e: 'AQAB' });
    expect(jwk.kid).toBe(await calculateJwkThumbprint(jwk, 'sha256'));
  });

  it('is cacheable: Cache-Control public max-age and a stable ETag', async () => {
    const a = await request(auth.url).get('/.well-known/jwks.json').expect(200);
    const b = await request(auth.url).get('/.well-known/jwks.json').expect(200);
    expect(a.headers['cache-control']).toMatch(/^public, max-age=\d+$/);
    expect(a.headers.etag).toMatch(/^"[\w-]+"$/);
    expect(b.headers.etag).toBe(a.headers.etag);
  });

  it('answers 304 with no body to a matching If-None-Match (strong or weak)', async () => {
    const { headers } = await request(auth.url).get('/.well-known/jwks.json');
    for (const tag of [headers.etag, `W/${headers.etag}`, `"other", ${headers.etag}`]) {
      const res = await request(auth.url).get('/.well-known/jwks.json').set('If-None-Match', tag).expect(304);
      expect(res.text).toBe('');
      expect(res.headers.etag).toBe(headers.etag);
    }
    await request(auth.url).get('/.well-known/jwks.json').set('If-None-Match', '"stale"').expect(200);
  });

  it('serves discovery metadata that points at the JWKS', async () => {
    const res = await request(auth.url).get('/.well-known/openid-configuration').expect(200);
    expect(res.body).toMatchObject({
      issuer: 'https://id.example.test',
      jwks_uri: 'https://id.example.test/.well-known/jwks.json',
      token_endpoint: 'https://id.example.test/oauth/token',
      grant_types_supported: ['authorization_code', 'password', 'refresh_token', 'client_credentials', 'urn:ietf:params:oauth:grant-type:token-exchange'],
      revocation_endpoint: 'https://id.example.test/oauth/revoke',
      introspection_endpoint: 'https://id.example.test/oauth/introspect',
    });
    // The code flow only, and ID tokens signed RS256, with JWT_ALGORITHM=RS256 the only one (docs/oauth.md "Metadata").
    expect(res.body.response_types_supported).toEqual(['code']);
    expect(res.body.id_token_signing_alg_values_supported).toEqual(['RS256']);
  });
});
