import { ConfigValidationError, type Environment } from '@app/config';
import { observabilityConfig } from './observability.config.js';

const load = (env: Environment, production = false) => observabilityConfig(production ? { ...env, NODE_ENV: 'production' } : env);

function refusal(env: Environment): ConfigValidationError {
  try {
    load(env);
  } catch (error: unknown) {
    if (error instanceof ConfigValidationError) return error;
    throw error;
  }
  throw new Error('the configuration was accepted');
}

describe('observabilityConfig', () => {
  it('defaults outside production: info, pretty, docs on, CORS off, 10 s grace, metrics on', () => {
    expect(load({})).toEqual({
      logLevel: 'info',
      logFormat: 'pretty',
      apiDocs: true,
      corsOrigins: [],
      shutdownGraceMs: 10_000,
      metrics: true,
      httpTimeouts: { headersTimeoutMs: 10_000, requestTimeoutMs: 15_000, keepAliveTimeoutMs: 75_000, connectionTimeoutMs: 30_000, maxIdleConnections: 1_000 },
    });
  });

  it('defaults in production: JSON lines and no API docs', () => {
    expect(load({}, true)).toMatchObject({ logFormat: 'json', apiDocs: false, metrics: true, corsOrigins: [] });
  });

  it('serves the docs in production only when API_DOCS=true', () => {
    expect(load({ API_DOCS: 'true' }, true).apiDocs).toBe(true);
    expect(load({ API_DOCS: 'false' }).apiDocs).toBe(false);
  });

  it('reads every variable', () => {
    expect(
      load({
        LOG_LEVEL: 'debug',
        LOG_FORMAT: 'json',
        API_DOCS: 'off',
        CORS_ORIGINS: 'https://app.example.com, http://localhost:8080/',
        SHUTDOWN_GRACE: '500ms',
        METRICS: '0',
        HTTP_HEADERS_TIMEOUT: '2s',
        HTTP_REQUEST_TIMEOUT: '3s',
        HTTP_KEEP_ALIVE_TIMEOUT: '500ms',
        HTTP_CONNECTION_TIMEOUT: '1m',
        HTTP_MAX_IDLE_CONNECTIONS: '64',
      }),
    ).toEqual({
      logLevel: 'debug',
      logFormat: 'json',
      apiDocs: false,
      corsOrigins: ['https://app.example.com', 'http://localhost:8080'],
      shutdownGraceMs: 500,
      metrics: false,
      httpTimeouts: { headersTimeoutMs: 2_000, requestTimeoutMs: 3_000, keepAliveTimeoutMs: 500, connectionTimeoutMs: 60_000, maxIdleConnections: 64 },
    });
  });

  it('reads the one boolean vocabulary for API_DOCS and METRICS', () => {
    expect(load({ API_DOCS: 'YES', METRICS: 'off' })).toMatchObject({ apiDocs: true, metrics: false });
    expect(load({ API_DOCS: 'no', METRICS: 'On' })).toMatchObject({ apiDocs: false, metrics: true });
  });

  it('treats blank values as unset and accepts "*" as the only CORS origin', () => {
    expect(load({ LOG_LEVEL: ' ', CORS_ORIGINS: '' })).toMatchObject({ logLevel: 'info', corsOrigins: [] });
    expect(load({ CORS_ORIGINS: '*' }).corsOrigins).toEqual(['*']);
  });

  it('reads METRICS_TOKEN (unset by default), and refuses one too short or not a bearer token without repeating it', () => {
    expect(load({}).metricsToken).toBeUndefined();
    expect(load({ METRICS_TOKEN: ' abcdefghijklmnop0123== ' }).metricsToken).toBe('abcdefghijklmnop0123==');
    for (const bad of ['short-secret', 'has a space in it!!', 'quote"in-the-token-value']) {
      const error = refusal({ METRICS_TOKEN: bad });
      expect(error.variable).toBe('METRICS_TOKEN');
      expect(error.message).not.toContain(bad);
    }
  });

  it.each([
    ['LOG_LEVEL', { LOG_LEVEL: 'verbose' }],
    ['LOG_LEVEL', { LOG_LEVEL: 'DEBUG' }],
    ['LOG_FORMAT', { LOG_FORMAT: 'text' }],
    ['API_DOCS', { API_DOCS: 'maybe' }],
    ['METRICS', { METRICS: 'enabled' }],
    ['SHUTDOWN_GRACE', { SHUTDOWN_GRACE: 'soon' }],
    ['SHUTDOWN_GRACE', { SHUTDOWN_GRACE: '11m' }],
    ['HTTP_REQUEST_TIMEOUT', { HTTP_REQUEST_TIMEOUT: '0' }],
    ['HTTP_REQUEST_TIMEOUT', { HTTP_REQUEST_TIMEOUT: 'forever' }],
    ['HTTP_HEADERS_TIMEOUT', { HTTP_HEADERS_TIMEOUT: '11m' }],
    ['HTTP_HEADERS_TIMEOUT', { HTTP_HEADERS_TIMEOUT: '20s' }],
    ['HTTP_HEADERS_TIMEOUT', { HTTP_HEADERS_TIMEOUT: '5s', HTTP_REQUEST_TIMEOUT: '4s' }],
    ['HTTP_KEEP_ALIVE_TIMEOUT', { HTTP_KEEP_ALIVE_TIMEOUT: '50ms' }],
    ['HTTP_CONNECTION_TIMEOUT', { HTTP_CONNECTION_TIMEOUT: '-1s' }],
    ['HTTP_MAX_IDLE_CONNECTIONS', { HTTP_MAX_IDLE_CONNECTIONS: '0' }],
    ['HTTP_MAX_IDLE_CONNECTIONS', { HTTP_MAX_IDLE_CONNECTIONS: 'lots' }],
    ['CORS_ORIGINS', { CORS_ORIGINS: 'app.example.com' }],
    ['CORS_ORIGINS', { CORS_ORIGINS: 'https://app.example.com/path' }],
    ['CORS_ORIGINS', { CORS_ORIGINS: 'ftp://files.example.com' }],
    ['CORS_ORIGINS', { CORS_ORIGINS: 'https://a.example.com,,https://b.example.com' }],
    ['CORS_ORIGINS', { CORS_ORIGINS: 'https://a.example.com,*' }],
  ])('refuses a bad %s (%j) and names it', (variable, env) => {
    const error = refusal(env);
    expect(error.variable).toBe(variable);
    expect(error.message).toContain(variable);
  });
});
