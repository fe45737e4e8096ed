import { ConfigValidationError } from '@app/config';
import { loadAuthConfig } from './auth.config.js';
import { DEFAULT_JWKS_PATH } from './jwks-route.config.js';

function refusal(env: Record<string, string>): ConfigValidationError {
  try {
    loadAuthConfig(env);
  } catch (error) {
    if (error instanceof ConfigValidationError) return error;
    throw error;
  }
  throw new Error('configuration was accepted');
}

describe('JWKS_PATH', () => {
  it('defaults to /.well-known/jwks.json', () => {
    expect(loadAuthConfig({}).jwks).toEqual({ path: DEFAULT_JWKS_PATH, headers: [] });
    expect(DEFAULT_JWKS_PATH).toBe('/.well-known/jwks.json');
  });

  it.each(['/keys', '/.well-known/keys.json', '/v1/jwks', '/a_b~c-d.e'])('accepts %s', (path) => {
    expect(loadAuthConfig({ JWKS_PATH: path }).jwks.path).toBe(path);
  });

  it.each([
    'keys',
    '/',
    '/keys/',
    '/keys?x=1',
    '/keys#a',
    '/k%65ys',
    '/:kid',
    '/keys/*',
    '//keys',
    '/a/../health',
    '/./keys',
    '/ke ys',
    'http://example.com/keys',
  ])('refuses the malformed path %p', (path) => {
    const error = refusal({ JWKS_PATH: path });
    expect(error.variable).toBe('JWKS_PATH');
    expect(error.message).toContain('must be an absolute path');
  });

  it.each(['/health', '/health/live', '/auth/jwks', '/oauth/jwks', '/metrics', '/docs', '/docs-json', '/Docs/x', '/.well-known/openid-configuration'])(
    'refuses %s, which another route owns',
    (path) => {
      const error = refusal({ JWKS_PATH: path });
      expect(error.variable).toBe('JWKS_PATH');
      expect(error.message).toContain('collides with another route');
    },
  );
});

describe('JWKS_HEADERS', () => {
  it('reads ";"-separated Name=value entries, values with commas and "=" kept whole', () => {
    const { headers } = loadAuthConfig({ JWKS_HEADERS: 'Cache-Control=public, max-age=3600; CDN-Cache-Control = max-age=600 ;X-Key-Set=main;' }).jwks;
    expect(headers).toEqual([
      ['cache-control', 'public, max-age=3600'],
      ['cdn-cache-control', 'max-age=600'],
      ['x-key-set', 'main'],
    ]);
  });

  it('treats an empty value as no extra header', () => {
    expect(loadAuthConfig({ JWKS_HEADERS: '  ' }).jwks.headers).toEqual([]);
  });

  it.each([
    ['no "="', 'Cache-Control', 'must be "Name=value" entries'],
    ['a name that is not a token', 'Cache Control=public', 'must be "Name=value" entries'],
    ['an empty name', '=public', 'must be "Name=value" entries'],
    ['an empty value', 'X-A=', 'needs a value'],
    ['a CR LF in the value', 'X-A=a\r\nSet-Cookie: x=1', 'no CR, LF'],
    ['a LF in the value', 'X-A=a\nb', 'no CR, LF'],
    ['a non-ASCII value', 'X-A=caf\u00e9', 'visible ASCII'],
    ['a name given twice', 'X-A=1; x-a=2', 'names x-a twice'],
  ])('refuses %s', (_case, value, message) => {
    const error = refusal({ JWKS_HEADERS: value });
    expect(error.variable).toBe('JWKS_HEADERS');
    expect(error.message).toContain(message);
    expect(error.message).not.toMatch(/[\r\n]/);
  });

  it.each([
    'Connection',
    'Keep-Alive',
    'Transfer-Encoding',
    'Upgrade',
    'TE',
    'Trailer',
    'Proxy-Authenticate',
    'Content-Length',
    'Content-Type',
    'Content-Encoding',
    'ETag',
    'Last-Modified',
    'Set-Cookie',
    'X-Request-Id',
    'Strict-Transport-Security',
    'Content-Security-Policy',
    'X-Content-Type-Options',
    'X-Frame-Options',
    'Cross-Origin-Resource-Policy',
    'Referrer-Policy',
    'Access-Control-Allow-Origin',
  ])('refuses to override %s', (name) => {
    const error = refusal({ JWKS_HEADERS: `${name}=x` });
    expect(error.variable).toBe('JWKS_HEADERS');
    expect(error.message).toContain(`may not set ${name}`);
  });

  describe('with managed keys', () => {
    const managed = { KEYS_SOURCE: 'managed', KEY_ACTIVATION_DELAY: '10m' };

    it('accepts a cache lifetime up to KEY_ACTIVATION_DELAY', () => {
      const env = { ...managed, JWKS_HEADERS: 'Cache-Control=public, max-age=540, stale-while-revalidate=60; CDN-Cache-Control=s-maxage=600' };
      expect(loadAuthConfig(env).jwks.headers).toHaveLength(2);
    });

    it.each([
      'Cache-Control=public, max-age=601',
      'Cache-Control=public, s-maxage=3600',
      'Cache-Control=max-age=300, stale-while-revalidate=301',
      'Surrogate-Control=max-age=900',
    ])('refuses %p, which outlives the activation delay', (value) => {
      const error = refusal({ ...managed, JWKS_HEADERS: value });
      expect(error.variable).toBe('JWKS_HEADERS');
      expect(error.message).toContain('longer than KEY_ACTIVATION_DELAY (600s)');
    });

    it('leaves pem keys, rotated by hand, free to choose the lifetime', () => {
      expect(loadAuthConfig({ JWKS_HEADERS: 'Cache-Control=public, max-age=86400' }).jwks.headers).toEqual([['cache-control', 'public, max-age=86400']]);
    });
  });
});
