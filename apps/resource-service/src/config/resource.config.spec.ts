import { ConfigValidationError, type Environment } from '@app/config';
import { SUPPORTED_ALGORITHMS } from '@app/contracts';
import { loadResourceConfig } from './resource.config.js';

function refusal(env: Environment): ConfigValidationError {
  try {
    loadResourceConfig(env);
  } catch (error: unknown) {
    if (error instanceof ConfigValidationError) return error;
    throw error;
  }
  throw new Error('the configuration was accepted');
}

describe('loadResourceConfig', () => {
  it('reads the DPoP settings and refuses bad ones, naming the variable', () => {
    expect(loadResourceConfig({ DPOP_PROOF_WINDOW: '2m', DPOP_REQUIRED: 'yes', PUBLIC_URL: 'https://api.example.com' }).verifier).toMatchObject({
      dpopProofWindowSeconds: 120,
      dpopRequired: true,
      publicUrl: 'https://api.example.com',
    });
    expect(refusal({ DPOP_PROOF_WINDOW: '11m' }).message).toContain('DPOP_PROOF_WINDOW');
    expect(refusal({ DPOP_REQUIRED: 'maybe' }).message).toContain('DPOP_REQUIRED');
    expect(refusal({ PUBLIC_URL: 'api.example.com' }).message).toContain('PUBLIC_URL');
  });

  it('reads the shared DPoP replay store: a Redis URL and a key prefix', () => {
    expect(loadResourceConfig({ DPOP_REPLAY_REDIS_URL: 'redis://:s3cret@127.0.0.1:6379/3', DPOP_REPLAY_REDIS_PREFIX: 'orders:dpop:' }).dpopReplay).toEqual({
      redisUrl: 'redis://:s3cret@127.0.0.1:6379/3',
      keyPrefix: 'orders:dpop:',
    });
    expect(loadResourceConfig({ DPOP_REPLAY_REDIS_URL: 'rediss://redis.example.com' }).dpopReplay).toEqual({
      redisUrl: 'rediss://redis.example.com',
      keyPrefix: 'dpop:jti:',
    });
  });

  it.each([
    ['an http URL', { DPOP_REPLAY_REDIS_URL: 'http://:s3cret@redis.internal:6379' }],
    ['a path that is no database number', { DPOP_REPLAY_REDIS_URL: 'redis://:s3cret@redis.internal:6379/dpop' }],
    [
      'plain redis:// to another host in production',
      { NODE_ENV: 'production', AUTH_ISSUER: 'https://auth.example.com', DPOP_REPLAY_REDIS_URL: 'redis://:s3cret@redis.internal:6379' },
    ],
  ])('refuses DPOP_REPLAY_REDIS_URL with %s, repeating nothing of it', (_case, env) => {
    const error = refusal(env);
    expect(error.variable).toBe('DPOP_REPLAY_REDIS_URL');
    expect(error.message).not.toMatch(/s3cret|redis\.internal|6379/);
  });

  it('in production: rediss:// anywhere, plain redis:// to loopback or a host ALLOW_INSECURE_HTTP names', () => {
    const prod = { NODE_ENV: 'production', AUTH_ISSUER: 'https://auth.example.com' };
    expect(loadResourceConfig({ ...prod, DPOP_REPLAY_REDIS_URL: 'rediss://:s3cret@redis.example.com:6380' }).dpopReplay.redisUrl).toBe(
      'rediss://:s3cret@redis.example.com:6380',
    );
    expect(loadResourceConfig({ ...prod, DPOP_REPLAY_REDIS_URL: 'redis://127.0.0.1:6379' }).dpopReplay.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(loadResourceConfig({ ...prod, ALLOW_INSECURE_HTTP: 'redis', DPOP_REPLAY_REDIS_URL: 'redis://redis:6379' }).dpopReplay.redisUrl).toBe(
      'redis://redis:6379',
    );
  });

  it.each([
    ['set without DPOP_REPLAY_REDIS_URL', { DPOP_REPLAY_REDIS_PREFIX: 'orders:' }],
    ['with a blank inside', { DPOP_REPLAY_REDIS_URL: 'redis://127.0.0.1', DPOP_REPLAY_REDIS_PREFIX: 'orders dpop:' }],
    ['longer than 100 characters', { DPOP_REPLAY_REDIS_URL: 'redis://127.0.0.1', DPOP_REPLAY_REDIS_PREFIX: 'x'.repeat(101) }],
  ])('refuses DPOP_REPLAY_REDIS_PREFIX %s', (_case, env) => {
    expect(refusal(env).variable).toBe('DPOP_REPLAY_REDIS_PREFIX');
  });

  it('applies the documented defaults to an empty environment', () => {
    expect(loadResourceConfig({})).toEqual({
      http: { port: 3001, nodeEnv: 'development' },
      verifier: {
        issuer: 'http://localhost:3000',
        audience: 'resource-service',
        jwksUri: 'http://localhost:3000/.well-known/jwks.json',
        clockToleranceSeconds: 30,
        algorithms: [...SUPPORTED_ALGORITHMS],
        maxTokenAgeSeconds: 86_400,
        jwksCacheMaxAgeMs: 600_000,
        jwksRequestsPerMinute: 10,
        jwksTimeoutMs: 5_000,
        jwksMaxBytes: 524_288,
        verifiedTokenCacheSize: 10_000,
        dpopProofWindowSeconds: 60,
        dpopRequired: false,
        publicUrl: undefined,
      },
      dpopReplay: { redisUrl: undefined, keyPrefix: 'dpop:jti:' },
      revocation: { feedUri: 'http://localhost:3000/oauth/revocations', pollIntervalMs: 5_000, maxStalenessMs: 0 },
      observability: {
        logLevel: 'info',
        logFormat: 'pretty',
        apiDocs: true,
        corsOrigins: [],
        shutdownGraceMs: 10_000,
        metrics: true,
        httpTimeouts: {
          headersTimeoutMs: 10_000,
          requestTimeoutMs: 15_000,
          keepAliveTimeoutMs: 75_000,
          connectionTimeoutMs: 30_000,
          maxIdleConnections: 1_000,
        },
      },
    });
  });

  it('logs JSON and hides the API docs in production unless API_DOCS=true', () => {
    const env = { NODE_ENV: 'production', AUTH_ISSUER: 'https://auth.example.com' };
    expect(loadResourceConfig(env).observability).toMatchObject({ logFormat: 'json', apiDocs: false });
    expect(loadResourceConfig({ ...env, API_DOCS: 'true' }).observability.apiDocs).toBe(true);
  });

  it('reads every variable', () => {
    const config = loadResourceConfig({
      PORT: '8080',
      AUTH_ISSUER: 'https://auth.example.com/',
      AUTH_AUDIENCE: 'orders',
      CLOCK_TOLERANCE: '500ms',
      JWT_ALGORITHMS: 'ES256, EdDSA',
      JWT_MAX_TOKEN_AGE: '2h',
      JWKS_CACHE_MAX_AGE: '1m',
      JWKS_REQUESTS_PER_MINUTE: '30',
      JWKS_TIMEOUT: '2s',
      JWKS_MAX_BYTES: '65536',
      JWT_VERIFIED_CACHE_SIZE: '0',
      REVOCATION_POLL_INTERVAL: '1s',
      REVOCATION_MAX_STALENESS: '2m',
      NODE_ENV: 'production',
      LOG_LEVEL: 'debug',
      LOG_FORMAT: 'pretty',
      API_DOCS: 'true',
      CORS_ORIGINS: 'https://app.example.com',
      SHUTDOWN_GRACE: '30s',
      METRICS: 'false',
    });

    expect(config).toMatchObject({
      http: { port: 8080, nodeEnv: 'production' },
      verifier: {
        issuer: 'https://auth.example.com/',
        audience: 'orders',
        jwksUri: 'https://auth.example.com/.well-known/jwks.json',
        clockToleranceSeconds: 0.5,
        algorithms: ['ES256', 'EdDSA'],
        maxTokenAgeSeconds: 7_200,
        jwksCacheMaxAgeMs: 60_000,
        jwksRequestsPerMinute: 30,
        jwksTimeoutMs: 2_000,
        jwksMaxBytes: 65_536,
        verifiedTokenCacheSize: 0,
      },
      revocation: { feedUri: 'https://auth.example.com/oauth/revocations', pollIntervalMs: 1_000, maxStalenessMs: 120_000 },
      observability: {
        logLevel: 'debug',
        logFormat: 'pretty',
        apiDocs: true,
        corsOrigins: ['https://app.example.com'],
        shutdownGraceMs: 30_000,
        metrics: false,
      },
    });
  });

  it.each([
    ['AUTH_ISSUER', { AUTH_ISSUER: 'http://auth.example.com' }],
    ['JWKS_URI', { AUTH_ISSUER: 'https://auth.example.com', JWKS_URI: 'http://auth-service:3000/.well-known/jwks.json' }],
    ['REVOCATION_FEED_URI', { AUTH_ISSUER: 'https://auth.example.com', REVOCATION_FEED_URI: 'http://auth-service:3000/oauth/revocations' }],
    ['ALLOW_INSECURE_HTTP', { AUTH_ISSUER: 'https://auth.example.com', ALLOW_INSECURE_HTTP: '*' }],
  ])('refuses plain http to a non-loopback host in production: %s (%j)', (variable, env) => {
    const error = refusal({ NODE_ENV: 'production', ...env });
    expect(error.variable).toBe(variable);
  });

  it('accepts plain http in production to loopback hosts and to hosts ALLOW_INSECURE_HTTP names', () => {
    const inNetwork = {
      NODE_ENV: 'production',
      AUTH_ISSUER: 'http://localhost:3000',
      JWKS_URI: 'http://auth-service:3000/.well-known/jwks.json',
      REVOCATION_FEED_URI: 'http://auth-service:3000/oauth/revocations',
      ALLOW_INSECURE_HTTP: 'auth-service',
    };
    expect(loadResourceConfig(inNetwork)).toMatchObject({
      verifier: { issuer: 'http://localhost:3000', jwksUri: 'http://auth-service:3000/.well-known/jwks.json' },
      revocation: { feedUri: 'http://auth-service:3000/oauth/revocations' },
    });
    expect(loadResourceConfig({ NODE_ENV: 'production', AUTH_ISSUER: 'http://[::1]:3000' }).revocation.feedUri).toBe('http://[::1]:3000/oauth/revocations');
    expect(loadResourceConfig({ NODE_ENV: 'production', AUTH_ISSUER: 'https://auth.example.com', REVOCATION_FEED_URI: 'off' }).revocation.feedUri).toBe(false);
  });

  it('REVOCATION_FEED_URI=off reads no feed (the bench baseline); any other word is refused', () => {
    expect(loadResourceConfig({ REVOCATION_FEED_URI: 'off' }).revocation.feedUri).toBe(false);
    expect(refusal({ REVOCATION_FEED_URI: 'none' }).message).toContain('REVOCATION_FEED_URI');
  });

  it.each([
    ['AUTH_ISSUER', { AUTH_ISSUER: 'not a url' }],
    ['AUTH_ISSUER', { AUTH_ISSUER: 'ftp://auth.example.com' }],
    ['JWKS_URI', { JWKS_URI: 'file:///etc/jwks.json' }],
    ['JWKS_URI', { JWKS_URI: '/.well-known/jwks.json' }],
    ['CLOCK_TOLERANCE', { CLOCK_TOLERANCE: 'soon' }],
    ['CLOCK_TOLERANCE', { CLOCK_TOLERANCE: '-5s' }],
    ['CLOCK_TOLERANCE', { CLOCK_TOLERANCE: '6m' }],
    ['JWT_ALGORITHMS', { JWT_ALGORITHMS: 'RS256,HS256' }],
    ['JWT_ALGORITHMS', { JWT_ALGORITHMS: 'none' }],
    ['JWT_ALGORITHMS', { JWT_ALGORITHMS: 'rs256' }],
    ['JWT_ALGORITHMS', { JWT_ALGORITHMS: 'RS256,' }],
    ['JWT_MAX_TOKEN_AGE', { JWT_MAX_TOKEN_AGE: '0' }],
    ['JWT_MAX_TOKEN_AGE', { JWT_MAX_TOKEN_AGE: '500ms' }],
    ['JWT_MAX_TOKEN_AGE', { JWT_MAX_TOKEN_AGE: 'forever' }],
    ['JWT_MAX_TOKEN_AGE', { JWT_MAX_TOKEN_AGE: '366d' }],
    ['PORT', { PORT: '70000' }],
    ['PORT', { PORT: '30OO' }],
    ['JWKS_CACHE_MAX_AGE', { JWKS_CACHE_MAX_AGE: '0' }],
    ['JWKS_REQUESTS_PER_MINUTE', { JWKS_REQUESTS_PER_MINUTE: '0' }],
    ['JWKS_TIMEOUT', { JWKS_TIMEOUT: 'forever' }],
    ['JWKS_MAX_BYTES', { JWKS_MAX_BYTES: '512kb' }],
    ['JWKS_MAX_BYTES', { JWKS_MAX_BYTES: '100' }],
    ['JWT_VERIFIED_CACHE_SIZE', { JWT_VERIFIED_CACHE_SIZE: '-1' }],
    ['JWT_VERIFIED_CACHE_SIZE', { JWT_VERIFIED_CACHE_SIZE: 'lots' }],
    ['JWT_VERIFIED_CACHE_SIZE', { JWT_VERIFIED_CACHE_SIZE: '1000001' }],
    ['AUTH_ISSUER', { NODE_ENV: 'production' }],
    ['LOG_LEVEL', { LOG_LEVEL: 'loud' }],
    ['LOG_FORMAT', { LOG_FORMAT: 'xml' }],
    ['API_DOCS', { API_DOCS: 'yes please' }],
    ['CORS_ORIGINS', { CORS_ORIGINS: 'example.com' }],
    ['SHUTDOWN_GRACE', { SHUTDOWN_GRACE: 'later' }],
    ['METRICS', { METRICS: 'sometimes' }],
    ['REVOCATION_FEED_URI', { REVOCATION_FEED_URI: 'auth:3000/oauth/revocations' }],
    ['REVOCATION_POLL_INTERVAL', { REVOCATION_POLL_INTERVAL: '0' }],
    ['REVOCATION_POLL_INTERVAL', { REVOCATION_POLL_INTERVAL: 'often' }],
    ['REVOCATION_MAX_STALENESS', { REVOCATION_MAX_STALENESS: '-1s' }],
  ])('refuses a bad %s (%j) and names it', (variable, env) => {
    const error = refusal(env);

    expect(error.variable).toBe(variable);
    expect(error.message).toContain(variable);
  });

  it('refuses in the one form every service uses', () => {
    expect(refusal({ PORT: 'http' }).message).toBe('Invalid configuration: PORT must be an integer from 0 to 65535 (got "http")');
  });

  it('names the unknown algorithm', () => {
    expect(refusal({ JWT_ALGORITHMS: 'RS256,HS256' }).message).toContain('"HS256"');
  });
});
