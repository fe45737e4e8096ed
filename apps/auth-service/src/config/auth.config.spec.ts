import { ConfigValidationError } from '@app/config';
import { loadAuthConfig } from './auth.config.js';

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
  it('applies the documented defaults (docs/configuration.md)', () => {
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
    expect(config.dpop).toEqual({ proofWindowMs: 60_000, nonces: true });
    expect(config.database).toEqual({ url: undefined, dataDir: './data' });
    expect(config.users.demo).toEqual({ username: 'testuser', password: 'password' });
    expect(config.observability).toEqual({
      logLevel: 'info',
      logFormat: 'pretty',
      apiDocs: true,
      corsOrigins: [],
      shutdownGraceMs: 10_000,
      metrics: true,
      httpTimeouts: { headersTimeoutMs: 10_000, requestTimeoutMs: 15_000, keepAliveTimeoutMs: 75_000, connectionTimeoutMs: 30_000, maxIdleConnections: 1_000 },
    });
  });

  it('reads DPOP_PROOF_WINDOW and DPOP_NONCES, and refuses bad values naming them', () => {
    expect(loadAuthConfig({ DPOP_PROOF_WINDOW: '30s', DPOP_NONCES: 'false' }).dpop).toEqual({ proofWindowMs: 30_000, nonces: false });
    expect(refusal({ DPOP_PROOF_WINDOW: '0s' }).message).toContain('DPOP_PROOF_WINDOW');
    expect(refusal({ DPOP_NONCES: 'sometimes' }).message).toContain('DPOP_NONCES');
  });

  it('logs JSON and hides the API docs in production unless API_DOCS=true', () => {
    const env = { NODE_ENV: 'production', AUTH_ISSUER: 'https://id.example.com' };
    expect(loadAuthConfig(env).observability).toMatchObject({ logFormat: 'json', apiDocs: false });
    expect(loadAuthConfig({ ...env, API_DOCS: 'true' }).observability.apiDocs).toBe(true);
  });

  it('needs an explicit AUTH_ISSUER in production, https unless loopback or named in ALLOW_INSECURE_HTTP', () => {
    const production = { NODE_ENV: 'production' };
    expect(refusal(production).message).toContain('AUTH_ISSUER must be set when NODE_ENV=production');
    expect(refusal({ ...production, AUTH_ISSUER: 'http://id.example.com' }).message).toContain('AUTH_ISSUER must be an https URL');
    expect(loadAuthConfig({ ...production, AUTH_ISSUER: 'http://127.0.0.1:3000' }).tokens.issuer).toBe('http://127.0.0.1:3000');
    expect(loadAuthConfig({ ...production, AUTH_ISSUER: 'http://auth-service:3000', ALLOW_INSECURE_HTTP: 'auth-service' }).tokens.issuer).toBe(
      'http://auth-service:3000',
    );
    expect(loadAuthConfig({ AUTH_ISSUER: 'http://id.example.com' }).tokens.issuer).toBe('http://id.example.com');
  });

  it('applies the session and throttling defaults', () => {
    const config = loadAuthConfig({});
    expect(config.sessions).toEqual({ refreshTokenTtlMs: 30 * 86_400_000, maxAgeMs: 90 * 86_400_000, ssoSessionTtlMs: 12 * 3_600_000 });
    expect(config.security).toEqual({ trustedProxies: [], registrationEnabled: false });
    expect(config.throttle.loginAccount).toEqual({ maxFailures: 5, windowMs: 15 * 60_000, lockoutMs: 5 * 60_000, maxLockoutMs: 3_600_000 });
    expect(config.throttle.loginAddress.maxFailures).toBe(20);
    expect(config.throttle.register).toEqual({ maxFailures: 5, windowMs: 3_600_000, lockoutMs: 3_600_000, maxLockoutMs: 3_600_000 });
  });

  it('runs at most 2 password hashes at once unless PASSWORD_HASH_CONCURRENCY says otherwise', () => {
    expect(loadAuthConfig({}).passwords).toEqual({ hashConcurrency: 2 });
    expect(loadAuthConfig({ PASSWORD_HASH_CONCURRENCY: '4' }).passwords).toEqual({ hashConcurrency: 4 });
  });

  it('reads the session, proxy, registration and throttling variables', () => {
    const config = loadAuthConfig({
      REFRESH_TOKEN_TTL: '1d',
      SESSION_MAX_AGE: '1d',
      SSO_SESSION_TTL: '8h',
      TRUSTED_PROXIES: '10.0.0.1, 172.16.0.0/12,fd00::/8 , ::1',
      REGISTRATION_ENABLED: 'TRUE',
      LOGIN_MAX_FAILURES: '3',
      LOGIN_ADDRESS_MAX_FAILURES: '50',
      LOGIN_LOCKOUT: '30s',
      LOGIN_LOCKOUT_MAX: '2h',
      LOGIN_FAILURE_WINDOW: '1h',
      REGISTER_MAX_PER_ADDRESS: '2',
    });
    expect(config.sessions).toEqual({ refreshTokenTtlMs: 86_400_000, maxAgeMs: 86_400_000, ssoSessionTtlMs: 8 * 3_600_000 });
    expect(config.tokens.refreshTokenTtlMs).toBe(86_400_000);
    expect(config.security).toEqual({ trustedProxies: ['10.0.0.1', '172.16.0.0/12', 'fd00::/8', '::1'], registrationEnabled: true });
    expect(config.throttle.loginAccount).toEqual({ maxFailures: 3, windowMs: 3_600_000, lockoutMs: 30_000, maxLockoutMs: 7_200_000 });
    expect(config.throttle.loginAddress.maxFailures).toBe(50);
    expect(config.throttle.register.maxFailures).toBe(2);
    expect(loadAuthConfig({ REGISTRATION_ENABLED: '0' }).security.registrationEnabled).toBe(false);
  });

  it('reads REGISTRATION_ENABLED with the boolean vocabulary every variable shares', () => {
    for (const word of ['yes', 'on', 'YES', '1', 'true']) expect(loadAuthConfig({ REGISTRATION_ENABLED: word }).security.registrationEnabled).toBe(true);
    for (const word of ['no', 'off', 'Off', '0', 'false']) expect(loadAuthConfig({ REGISTRATION_ENABLED: word }).security.registrationEnabled).toBe(false);
  });

  it('treats a blank variable as unset, as the resource-service always did', () => {
    const blank = {
      ACCESS_TOKEN_TTL: '',
      CLOCK_TOLERANCE: ' ',
      JWT_ALGORITHM: '',
      AUTH_AUDIENCE: '',
      KEYS_SOURCE: ' ',
      KEY_ROTATION_INTERVAL: '',
      LOGIN_LOCKOUT: '',
    };
    const config = loadAuthConfig(blank);
    expect(config.tokens).toMatchObject({ accessTokenTtlMs: 15 * 60_000, clockToleranceMs: 30_000, algorithm: 'RS256', audiences: ['resource-service'] });
    expect(config.keys).toMatchObject({ source: 'pem', managed: { rotationIntervalMs: 7 * 86_400_000 } });
    expect(config.throttle.loginAccount.lockoutMs).toBe(5 * 60_000);
  });

  it('keeps an empty DEMO_USER meaning "none", and a blank KEYS_ENCRYPTION_SECRET untrimmed', () => {
    expect(loadAuthConfig({ DEMO_USER: '  ' }).users.demo).toBeUndefined();
    expect(loadAuthConfig({ DEMO_USER: 'ann: spaced pass ' }).users.demo).toEqual({ username: 'ann', password: ' spaced pass ' });
    const secret = ` ${'s'.repeat(32)} `;
    expect(loadAuthConfig({ KEYS_SOURCE: 'managed', KEYS_ENCRYPTION_SECRET: secret }).keys.managed.encryptionSecret).toBe(secret);
  });

  it('refuses in the one form every service uses', () => {
    expect(refusal({ PORT: 'http' }).message).toBe('Invalid configuration: PORT must be an integer from 0 to 65535 (got "http")');
  });

  it('refuses a SESSION_MAX_AGE shorter than REFRESH_TOKEN_TTL, naming SESSION_MAX_AGE', () => {
    const error = refusal({ REFRESH_TOKEN_TTL: '30d', SESSION_MAX_AGE: '7d' });
    expect(error.variable).toBe('SESSION_MAX_AGE');
    expect(error.message).toContain('REFRESH_TOKEN_TTL');
    expect(refusal({ SESSION_MAX_AGE: '29d' }).variable).toBe('SESSION_MAX_AGE');
  });

  it('refuses an SSO_SESSION_TTL that is not a duration of a minute to a year, naming it', () => {
    for (const value of ['soon', '30s', '400d']) expect(refusal({ SSO_SESSION_TTL: value }).variable).toBe('SSO_SESSION_TTL');
  });

  it('reads a comma-separated audience list and keeps the issuer as written, trailing slash included', () => {
    const config = loadAuthConfig({ AUTH_AUDIENCE: 'a, b', AUTH_ISSUER: 'https://id.example.com/' });
    expect(config.tokens.audiences).toEqual(['a', 'b']);
    expect(config.tokens.issuer).toBe('https://id.example.com/');
    expect(loadAuthConfig({ AUTH_ISSUER: ' https://id.example.com ' }).tokens.issuer).toBe('https://id.example.com');
  });

  it('refuses DEMO_USER in production and creates no demo user there by default', () => {
    expect(refusal({ NODE_ENV: 'production', AUTH_ISSUER: 'https://id.example.com', DEMO_USER: 'admin:admin' }).variable).toBe('DEMO_USER');
    expect(loadAuthConfig({ NODE_ENV: 'production', AUTH_ISSUER: 'https://id.example.com' }).users.demo).toBeUndefined();
  });

  it('lets an empty DEMO_USER turn the demo user off in development', () => {
    expect(loadAuthConfig({ DEMO_USER: '' }).users.demo).toBeUndefined();
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
    [{ SESSION_MAX_AGE: 'forever' }, 'SESSION_MAX_AGE'],
    [{ TRUSTED_PROXIES: 'proxy.internal' }, 'TRUSTED_PROXIES'],
    [{ TRUSTED_PROXIES: '10.0.0.0/33' }, 'TRUSTED_PROXIES'],
    [{ TRUSTED_PROXIES: '10.0.0.1,,10.0.0.2' }, 'TRUSTED_PROXIES'],
    [{ TRUSTED_PROXIES: '10.0.0.0/8/8' }, 'TRUSTED_PROXIES'],
    [{ REGISTRATION_ENABLED: 'yes please' }, 'REGISTRATION_ENABLED'],
    [{ LOGIN_MAX_FAILURES: '0' }, 'LOGIN_MAX_FAILURES'],
    [{ LOGIN_ADDRESS_MAX_FAILURES: 'many' }, 'LOGIN_ADDRESS_MAX_FAILURES'],
    [{ LOGIN_LOCKOUT: '0s' }, 'LOGIN_LOCKOUT'],
    [{ LOGIN_LOCKOUT: '10m', LOGIN_LOCKOUT_MAX: '5m' }, 'LOGIN_LOCKOUT_MAX'],
    [{ LOGIN_FAILURE_WINDOW: '30d' }, 'LOGIN_FAILURE_WINDOW'],
    [{ REGISTER_MAX_PER_ADDRESS: '-1' }, 'REGISTER_MAX_PER_ADDRESS'],
    [{ PASSWORD_HASH_CONCURRENCY: '0' }, 'PASSWORD_HASH_CONCURRENCY'],
    [{ PASSWORD_HASH_CONCURRENCY: 'all' }, 'PASSWORD_HASH_CONCURRENCY'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ LOG_FORMAT: 'xml' }, 'LOG_FORMAT'],
    [{ API_DOCS: 'yes please' }, 'API_DOCS'],
    [{ CORS_ORIGINS: 'example.com' }, 'CORS_ORIGINS'],
    [{ SHUTDOWN_GRACE: 'later' }, 'SHUTDOWN_GRACE'],
    [{ METRICS: 'sometimes' }, 'METRICS'],
    [{ ALLOW_INSECURE_HTTP: 'http://auth-service' }, 'ALLOW_INSECURE_HTTP'],
  ])('refuses %p naming %s', (env, variable) => {
    const error = refusal(env as Record<string, string>);
    expect(error.variable).toBe(variable);
    expect(error.message).toContain(variable);
  });
});

describe('loadAuthConfig: the managed key schedule', () => {
  it('applies the managed-key defaults and never lets the JWKS be cached longer than the activation delay', () => {
    const config = loadAuthConfig({ KEYS_SOURCE: 'managed' });
    expect(config.keys.managed).toEqual({
      rotationIntervalMs: 7 * 86_400_000,
      activationDelayMs: 10 * 60_000,
      retentionMs: 28 * 86_400_000,
      syncIntervalMs: 10_000,
      encryptionSecret: undefined,
    });
    expect(config.keys.jwksMaxAgeSeconds).toBe(300);
    expect(loadAuthConfig({ KEYS_SOURCE: 'managed', KEY_ACTIVATION_DELAY: '1m' }).keys.jwksMaxAgeSeconds).toBe(60);
  });

  it('accepts a retention exactly covering interval + token lifetime + tolerance', () => {
    const env = { KEYS_SOURCE: 'managed', KEY_ROTATION_INTERVAL: '1h', ACCESS_TOKEN_TTL: '15m', CLOCK_TOLERANCE: '30s', KEY_RETENTION: '4530s' };
    expect(loadAuthConfig(env).keys.managed.retentionMs).toBe(4_530_000);
  });

  it('accepts a compressed schedule in seconds, the sync slower than the activation delay', () => {
    const env = {
      KEYS_SOURCE: 'managed',
      KEY_ROTATION_INTERVAL: '4s',
      KEY_ACTIVATION_DELAY: '1s',
      KEY_SYNC_INTERVAL: '10s',
      ACCESS_TOKEN_TTL: '2s',
      CLOCK_TOLERANCE: '1s',
      KEY_RETENTION: '10s',
    };
    expect(loadAuthConfig(env).keys.managed).toMatchObject({ rotationIntervalMs: 4000, activationDelayMs: 1000, syncIntervalMs: 10_000 });
  });

  it.each([
    [{ KEY_ROTATION_INTERVAL: '1h', KEY_RETENTION: '4529s', ACCESS_TOKEN_TTL: '15m' }, 'KEY_RETENTION', /while tokens it signed are still valid/],
    [{ KEY_ROTATION_INTERVAL: '7d', KEY_RETENTION: '7d' }, 'KEY_RETENTION', /KEY_ROTATION_INTERVAL \+ ACCESS_TOKEN_TTL \+ CLOCK_TOLERANCE/],
    [{ KEY_ROTATION_INTERVAL: '10m', KEY_ACTIVATION_DELAY: '10m' }, 'KEY_ACTIVATION_DELAY', /shorter than KEY_ROTATION_INTERVAL/],
    [{ KEY_ROTATION_INTERVAL: '4s', KEY_ACTIVATION_DELAY: '500ms' }, 'KEY_ACTIVATION_DELAY', /at least 1s/],
    [{ KEY_ACTIVATION_DELAY: '0' }, 'KEY_ACTIVATION_DELAY', /written and read by every replica/],
    [
      { KEY_ROTATION_INTERVAL: '30s', KEY_ACTIVATION_DELAY: '5s', KEY_RETENTION: '1h', KEY_RSA_BITS: '8192' },
      'KEY_ROTATION_INTERVAL',
      /at least 1m with KEY_RSA_BITS=8192/,
    ],
    [{ KEY_ROTATION_INTERVAL: 'weekly' }, 'KEY_ROTATION_INTERVAL', /duration/],
    [{ KEY_SYNC_INTERVAL: '1h' }, 'KEY_SYNC_INTERVAL', /between/],
    [{ KEYS_ENCRYPTION_SECRET: 'short' }, 'KEYS_ENCRYPTION_SECRET', /at least 32 characters/],
  ])('refuses %p naming %s and why', (env, variable, why) => {
    const error = refusal({ KEYS_SOURCE: 'managed', ...(env as Record<string, string>) });
    expect(error.variable).toBe(variable);
    expect(error.message).toMatch(why);
  });

  it('never repeats the encryption secret in its refusal', () => {
    expect(refusal({ KEYS_SOURCE: 'managed', KEYS_ENCRYPTION_SECRET: 'tooshort-secret' }).message).not.toContain('tooshort-secret');
  });
});
