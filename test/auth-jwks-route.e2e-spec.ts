import request from 'supertest';
import { startAuth, type RunningAuth } from './support/auth-app.js';
import { login, startResource } from './support/stack.js';

const ISSUER = 'https://id.example.test';

describe('JWKS_PATH and JWKS_HEADERS', () => {
  let auth: RunningAuth;

  beforeAll(async () => {
    auth = await startAuth({
      AUTH_ISSUER: ISSUER,
      JWKS_PATH: '/keys/v1/jwks.json',
      JWKS_HEADERS: 'Cache-Control=public, max-age=3600, stale-if-error=86400; CDN-Cache-Control=max-age=60; X-Key-Set=main',
    });
  });
  afterAll(() => auth.close());

  it('serves the key set at the configured path with the configured headers, and not at the default path', async () => {
    const res = await request(auth.url).get('/keys/v1/jwks.json').expect(200);
    expect(res.body.keys).toHaveLength(1);
    expect(res.headers).toMatchObject({
      'cache-control': 'public, max-age=3600, stale-if-error=86400',
      'cdn-cache-control': 'max-age=60',
      'x-key-set': 'main',
      'content-type': expect.stringMatching(/^application\/json/),
      'x-content-type-options': 'nosniff',
      etag: expect.stringMatching(/^"[\w-]+"$/),
    });
    await request(auth.url).get('/.well-known/jwks.json').expect(404);
  });

  it('sends the headers on a 304 too, as RFC 9110 asks of a cache-relevant answer', async () => {
    const { headers } = await request(auth.url).get('/keys/v1/jwks.json').expect(200);
    const res = await request(auth.url).get('/keys/v1/jwks.json').set('If-None-Match', headers.etag).expect(304);
    expect(res.headers).toMatchObject({ 'cache-control': 'public, max-age=3600, stale-if-error=86400', 'x-key-set': 'main', etag: headers.etag });
  });

  it('points the metadata jwks_uri at the configured path; the metadata keeps its own Cache-Control', async () => {
    const res = await request(auth.url).get('/.well-known/openid-configuration').expect(200);
    expect(res.body.jwks_uri).toBe(`${ISSUER}/keys/v1/jwks.json`);
    expect(res.headers['cache-control']).toBe('public, max-age=300');
    expect(res.headers['x-key-set']).toBeUndefined();
  });

  it('documents the configured path in the OpenAPI document', async () => {
    const { body } = await request(auth.url).get('/docs-json').expect(200);
    expect(Object.keys(body.paths)).toContain('/keys/v1/jwks.json');
    expect(Object.keys(body.paths)).not.toContain('/.well-known/jwks.json');
    expect(Object.keys(body.paths)).toContain('/.well-known/openid-configuration');
  });

  it('lets a resource-service whose JWKS_URI names the path verify the tokens', async () => {
    const resource = await startResource(`${auth.url}/keys/v1/jwks.json`, { env: { AUTH_ISSUER: ISSUER } });
    try {
      const res = await request(resource.url)
        .get('/resource/protected')
        .auth(await login(auth), { type: 'bearer' })
        .expect(200);
      expect(res.body.user.username).toBe('testuser');
    } finally {
      await resource.close();
    }
  });
});

describe('JWKS_PATH per application', () => {
  it('keeps two auth-services in one process on their own paths', async () => {
    const [a, b] = await Promise.all([startAuth({ JWKS_PATH: '/a/jwks' }), startAuth({})]);
    try {
      await request(a.url).get('/a/jwks').expect(200);
      await request(a.url).get('/.well-known/jwks.json').expect(404);
      await request(b.url).get('/.well-known/jwks.json').expect(200);
      await request(b.url).get('/a/jwks').expect(404);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
