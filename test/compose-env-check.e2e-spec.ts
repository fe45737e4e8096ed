import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './support/service-process.js';

/** Runs scripts/check-compose-env.mjs (as .ci/run's `compose_env_check` does) on `input`; its exit code and output. */
function check(input: unknown): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const { NODE_OPTIONS: _jestOptions, ...env } = process.env;
    const child = spawn(process.execPath, [join(ROOT, 'scripts/check-compose-env.mjs')], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
    child.stdin.end(JSON.stringify(input));
  });
}

const SERVICES = ['postgres', 'auth-service', 'resource-service'];
const AUTH = {
  NODE_ENV: 'development',
  PORT: '3000',
  AUTH_ISSUER: 'http://localhost:3000',
  DATABASE_URL: 'postgres://postgres:s3cret-pw@postgres:5432/postgres',
  KEYS_DIR: '/run/keys',
  DEMO_USER: 'testuser:password',
};
/** docker-compose.yml's resource-service as it should be: keys and revocations read from the auth-service by name. */
const RESOURCE = {
  NODE_ENV: 'development',
  PORT: '3001',
  AUTH_ISSUER: 'http://localhost:3000',
  JWKS_URI: 'http://auth-service:3000/.well-known/jwks.json',
  REVOCATION_FEED_URI: 'http://auth-service:3000/oauth/revocations',
  ALLOW_INSECURE_HTTP: 'auth-service',
};
const compose = (changes: { auth?: Record<string, string | undefined>; resource?: Record<string, string | undefined> } = {}) => ({
  services: SERVICES,
  environment: { 'auth-service': { ...AUTH, ...changes.auth }, 'resource-service': { ...RESOURCE, ...changes.resource } },
});

describe('scripts/check-compose-env.mjs: every URL a compose service contacts names another compose service', () => {
  it('accepts the compose environment: each loader accepts it, every contacted URL is reachable by name', async () => {
    const { code, output } = await check(compose());
    expect(output).toContain('compose env ok: auth-service');
    expect(output).toContain('compose env ok: resource-service');
    expect(code).toBe(0);
  });

  it('accepts it in production too (ALLOW_INSECURE_HTTP names the in-network host)', async () => {
    const { code, output } = await check(compose({ resource: { NODE_ENV: 'production' } }));
    expect({ code, output }).toEqual({ code: 0, output: expect.stringContaining('compose env ok: resource-service') });
  });

  it.each([
    [
      'no REVOCATION_FEED_URI (the file before issue 21: the feed derived from AUTH_ISSUER is localhost:3000 in its own container)',
      { resource: { REVOCATION_FEED_URI: undefined } },
      'resource-service: REVOCATION_FEED_URI (or AUTH_ISSUER, from which it is derived) names localhost',
    ],
    [
      'no JWKS_URI (derived from AUTH_ISSUER: localhost)',
      { resource: { JWKS_URI: undefined } },
      'resource-service: JWKS_URI (or AUTH_ISSUER, from which it is derived) names localhost',
    ],
    [
      'a JWKS_URI at 127.0.0.1',
      { resource: { JWKS_URI: 'http://127.0.0.1:3000/.well-known/jwks.json' } },
      'JWKS_URI (or AUTH_ISSUER, from which it is derived) names 127.0.0.1',
    ],
    [
      'a feed at a host that is no compose service',
      { resource: { REVOCATION_FEED_URI: 'http://auth:3000/oauth/revocations' } },
      'names "auth", which is no service of docker-compose.yml',
    ],
    [
      'a feed at the wrong port',
      { resource: { REVOCATION_FEED_URI: 'http://auth-service:3001/oauth/revocations' } },
      'reaches auth-service at port 3001, but auth-service listens on 3000',
    ],
    ['a JWKS at the resource-service itself', { resource: { JWKS_URI: 'http://resource-service:3001/jwks.json' } }, 'names resource-service itself'],
    ['the feed turned off', { resource: { REVOCATION_FEED_URI: 'off' } }, 'REVOCATION_FEED_URI (or AUTH_ISSUER, from which it is derived) is off'],
    [
      'a DATABASE_URL at localhost',
      { auth: { DATABASE_URL: 'postgres://postgres:s3cret-pw@localhost:5432/postgres' } },
      'auth-service: DATABASE_URL names localhost',
    ],
    [
      'a DPOP_REPLAY_REDIS_URL at localhost',
      { resource: { DPOP_REPLAY_REDIS_URL: 'redis://:s3cret-pw@localhost:6379' } },
      'resource-service: DPOP_REPLAY_REDIS_URL names localhost',
    ],
    [
      'a DPOP_REPLAY_REDIS_URL at a host that is no compose service',
      { resource: { DPOP_REPLAY_REDIS_URL: 'redis://:s3cret-pw@redis:6379' } },
      'DPOP_REPLAY_REDIS_URL names "redis", which is no service of docker-compose.yml',
    ],
    [
      'a value its loader refuses',
      { resource: { REVOCATION_POLL_INTERVAL: 'often' } },
      'compose env invalid: resource-service: Invalid configuration: REVOCATION_POLL_INTERVAL',
    ],
  ])('refuses %s', async (_case, changes, expected) => {
    const { code, output } = await check(compose(changes));
    expect(output).toContain(expected);
    expect(output).not.toContain('s3cret-pw');
    expect(code).toBe(1);
  });

  it('accepts a DPOP_REPLAY_REDIS_URL naming a compose service (a Redis added to the file; in production also named in ALLOW_INSECURE_HTTP)', async () => {
    const redis = { DPOP_REPLAY_REDIS_URL: 'redis://:s3cret-pw@redis:6379/0', ALLOW_INSECURE_HTTP: 'auth-service,redis' };
    const { code, output } = await check({ ...compose({ resource: { ...redis, NODE_ENV: 'production' } }), services: [...SERVICES, 'redis'] });
    expect({ code, output }).toEqual({ code: 0, output: expect.stringContaining('compose env ok: resource-service') });
    expect(output).not.toContain('s3cret-pw');
  });

  it('refuses input without the list of compose services', async () => {
    const { code, output } = await check({ 'auth-service': AUTH, 'resource-service': RESOURCE });
    expect(output).toContain('"services" is not a list of names');
    expect(code).toBe(1);
  });
});
