import { pino } from 'pino';
import { Writable } from 'node:stream';
import type { ObservabilityConfig } from '../config/observability.config.js';
import { pinoHttpOptions } from './logger-options.js';

const config: ObservabilityConfig = {
  logLevel: 'debug',
  logFormat: 'json',
  apiDocs: false,
  corsOrigins: [],
  shutdownGraceMs: 0,
  metrics: false,
  metricsToken: undefined,
  httpTimeouts: { headersTimeoutMs: 10_000, requestTimeoutMs: 15_000, keepAliveTimeoutMs: 75_000, connectionTimeoutMs: 30_000, maxIdleConnections: 1_000 },
};

function logged(record: object): Record<string, unknown> {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const { redact, formatters, serializers } = pinoHttpOptions(config, 'test', false);
  pino({ redact, formatters, serializers }, sink).info(record, 'message');
  return JSON.parse(lines[0]) as Record<string, unknown>;
}

describe('pino-http options', () => {
  it('log at LOG_LEVEL, or not at all for a silenced application', () => {
    expect(pinoHttpOptions(config, 'test', false).level).toBe('debug');
    expect(pinoHttpOptions({ ...config, logLevel: 'warn' }, 'test', false).level).toBe('warn');
    expect(pinoHttpOptions(config, 'test', true).level).toBe('silent');
  });
});

describe('log redaction', () => {
  it.each([
    ['a password', { password: 'hunter2' }, 'password'],
    ['a refresh token in a body', { body: { refresh_token: 'rt-secret' } }, 'body.refresh_token'],
    ['an access token in a body', { body: { access_token: 'at-secret' } }, 'body.access_token'],
    ['a token', { token: 'tok-secret' }, 'token'],
    ["a user's password", { user: { username: 'alice', password: 'hunter2' } }, 'user.password'],
    ['an Authorization header', { headers: { authorization: 'Bearer abc.def.ghi' } }, 'headers.authorization'],
    ['a Cookie header', { headers: { cookie: 'sid=abc' } }, 'headers.cookie'],
    ['a token on an error', { err: { message: 'refused', token: 'tok-secret' } }, 'err.token'],
    ['a private key', { key: { privateKey: 'fake-pem-body-for-redaction' } }, 'key.privateKey'],
    ['a PEM', { pem: 'fake-pem-body-for-redaction' }, 'pem'],
    ['private JWK members', { jwk: { kty: 'RSA', d: 'private-exponent', p: 'prime' } }, 'jwk.d'],
  ])('replaces %s with [Redacted]', (_case, record, path) => {
    const line = logged(record);
    const value = path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], line);
    expect(value).toBe('[Redacted]');
    expect(JSON.stringify(line)).not.toMatch(/hunter2|secret|abc\.def|sid=abc|BEGIN PRIVATE|private-exponent|prime/);
  });

  it('logs a request as method, path and peer only: no headers, no query string', () => {
    const req = {
      method: 'GET',
      url: '/resource/protected?access_token=abc.def.ghi',
      headers: { authorization: 'Bearer abc.def.ghi' },
      socket: { remoteAddress: '10.0.0.1' },
    };
    expect(logged({ req }).req).toEqual({ method: 'GET', url: '/resource/protected', remoteAddress: '10.0.0.1' });
  });

  it('keeps the fields that are not secrets', () => {
    expect(logged({ user: { username: 'alice' }, kid: 'k1' })).toMatchObject({ user: { username: 'alice' }, kid: 'k1', level: 'info' });
  });
});
