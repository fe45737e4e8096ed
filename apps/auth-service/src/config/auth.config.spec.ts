import { ConfigValidationError, loadAuthConfig } from './auth.config.js';

function refusal(env: Record<string, string>): ConfigValidationError {
  try {
    loadAuthConfig(env);
  } catch (error) {
    if (error instanceof ConfigValidationError) return error;
    throw error;
  }
  throw new Error('configuration was accepted');
}

describe('loadAuthConfig', () => {
  it('applies the DESIGN.md defaults', () => {
    const config = loadAuthConfig({});
    expect(config.http.port).toBe(3000);
    expect(config.tokens).toMatchObject({
      issuer: 'http://localhost:3000',
      audiences: ['resource-service'],
      algorithm: 'RS256',
      accessTokenTtlMs: 15 * 60_000,
      refreshTokenTtlMs: 30 * 86_400_000,
      clockToleranceMs: 30_000,
    });
    expect(config.keys).toMatchObject({ source: 'pem', dir: './keys' });
    expect(config.database).toEqual({ url: undefined, dataDir: './data' });
    expect(config.demoUser).toEqual({ username: 'testuser', password: 'password' });
    expect(config.observability).toEqual({ logLevel: 'info', logFormat: 'pretty', apiDocs: true, corsOrigins: [], shutdownGraceMs: 10_000, metrics: true });
  });

  it('logs JSON and hides the API docs in production unless API_DOCS=true', () => {
    expect(loadAuthConfig({ NODE_ENV: 'production' }).observability).toMatchObject({ logFormat: 'json', apiDocs: false });
    expect(loadAuthConfig({ NODE_ENV: 'production', API_DOCS: 'true' }).observability.apiDocs).toBe(true);
  });

  it('reads a comma-separated audience list and trims the issuer', () => {
    const config = loadAuthConfig({ AUTH_AUDIENCE: 'a, b', AUTH_ISSUER: 'https://id.example.com/' });
    expect(config.tokens.audiences).toEqual(['a', 'b']);
    expect(config.tokens.issuer).toBe('https://id.example.com');
  });

  it('refuses DEMO_USER in production and creates no demo user there by default', () => {
    expect(refusal({ NODE_ENV: 'production', DEMO_USER: 'admin:admin' }).variable).toBe('DEMO_USER');
    expect(loadAuthConfig({ NODE_ENV: 'production' }).demoUser).toBeUndefined();
  });

  it('lets an empty DEMO_USER turn the demo user off in development', () => {
    expect(loadAuthConfig({ DEMO_USER: '' }).demoUser).toBeUndefined();
  });

  it.each([
    [{ JWT_ALGORITHM: 'HS256' }, 'JWT_ALGORITHM'],
    [{ JWT_ALGORITHM: 'none' }, 'JWT_ALGORITHM'],
    [{ JWT_ALGORITHM: 'rs256' }, 'JWT_ALGORITHM'],
    [{ ACCESS_TOKEN_TTL: 'forever' }, 'ACCESS_TOKEN_TTL'],
    [{ ACCESS_TOKEN_TTL: '0s' }, 'ACCESS_TOKEN_TTL'],
    [{ REFRESH_TOKEN_TTL: '10y' }, 'REFRESH_TOKEN_TTL'],
    [{ CLOCK_TOLERANCE: '1h' }, 'CLOCK_TOLERANCE'],
    [{ AUTH_ISSUER: 'not a url' }, 'AUTH_ISSUER'],
    [{ AUTH_ISSUER: 'ftp://x' }, 'AUTH_ISSUER'],
    [{ AUTH_AUDIENCE: 'a,,b' }, 'AUTH_AUDIENCE'],
    [{ PORT: '70000' }, 'PORT'],
    [{ PORT: 'abc' }, 'PORT'],
    [{ KEYS_SOURCE: 'vault' }, 'KEYS_SOURCE'],
    [{ KEY_RSA_BITS: '1024' }, 'KEY_RSA_BITS'],
    [{ DEMO_USER: 'nopassword' }, 'DEMO_USER'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ LOG_FORMAT: 'xml' }, 'LOG_FORMAT'],
    [{ API_DOCS: 'yes please' }, 'API_DOCS'],
    [{ CORS_ORIGINS: 'example.com' }, 'CORS_ORIGINS'],
    [{ SHUTDOWN_GRACE: 'later' }, 'SHUTDOWN_GRACE'],
    [{ METRICS: 'sometimes' }, 'METRICS'],
  ])('refuses %p naming %s', (env, variable) => {
    const error = refusal(env as Record<string, string>);
    expect(error.variable).toBe(variable);
    expect(error.message).toContain(variable);
  });
});
