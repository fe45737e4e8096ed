import { join } from 'node:path';
import request from 'supertest';
import { startAuth, tempDir } from './support/auth-app.js';
import { BUILT, ServiceProcess } from './support/service-process.js';

/** Runs a built service with a bad setting: it must exit 1 before listening, its refusal (`Invalid configuration: …`) starting with `expected`. */
async function refusedAtStart(script: string, env: Record<string, string>, expected: string): Promise<void> {
  const { dir, remove } = await tempDir();
  const service = ServiceProcess.launch(script, { KEYS_DIR: join(dir, 'keys'), DATA_DIR: join(dir, 'data'), ...env }, { stderr: 'collect' });
  let timer: NodeJS.Timeout | undefined;
  const stillRunning = new Promise<string>((resolve) => (timer = setTimeout(() => resolve('still running'), 20_000)));
  try {
    expect(await Promise.race([service.exited, stillRunning])).toBe(1);
    const lines = service.records.map((record) => JSON.stringify(record));
    expect(lines.some((line) => line.includes(`Invalid configuration: ${expected}`))).toBe(true);
    expect(lines.some((line) => /listening on/.test(line))).toBe(false);
  } finally {
    clearTimeout(timer);
    await service.kill();
    await remove();
  }
}

describe('one configuration vocabulary across services', () => {
  it.each([
    ['auth-service', BUILT.auth, 'REGISTRATION_ENABLED'],
    ['auth-service', BUILT.auth, 'METRICS'],
    ['resource-service', BUILT.resource, 'METRICS'],
    ['resource-service', BUILT.resource, 'API_DOCS'],
  ])(
    'the built %s refuses %s=maybe at start in the same form',
    (_service, script, variable) => refusedAtStart(script, { [variable]: 'maybe' }, `${variable} must be a boolean: true/false, 1/0, yes/no or on/off`),
    30_000,
  );
});

describe('Transport: production refuses plain http to keys and revocations (docs/configuration.md "Transport")', () => {
  const production = { NODE_ENV: 'production', AUTH_ISSUER: 'https://auth.example.com' };
  const inNetwork = 'http://auth-service:3000';
  it.each([
    ['auth-service', 'AUTH_ISSUER', BUILT.auth, { ...production, AUTH_ISSUER: inNetwork }, 'AUTH_ISSUER must be an https URL'],
    ['auth-service', 'AUTH_ISSUER (unset)', BUILT.auth, { NODE_ENV: 'production' }, 'AUTH_ISSUER must be set when NODE_ENV=production'],
    ['resource-service', 'AUTH_ISSUER', BUILT.resource, { ...production, AUTH_ISSUER: inNetwork }, 'AUTH_ISSUER must be an https URL'],
    ['resource-service', 'JWKS_URI', BUILT.resource, { ...production, JWKS_URI: `${inNetwork}/.well-known/jwks.json` }, 'JWKS_URI must be an https URL'],
    [
      'resource-service',
      'REVOCATION_FEED_URI',
      BUILT.resource,
      { ...production, REVOCATION_FEED_URI: `${inNetwork}/oauth/revocations` },
      'REVOCATION_FEED_URI must be an https URL',
    ],
    [
      'resource-service',
      'ALLOW_INSECURE_HTTP',
      BUILT.resource,
      { ...production, ALLOW_INSECURE_HTTP: '*' },
      'ALLOW_INSECURE_HTTP must be a comma-separated list',
    ],
  ])('the built %s stops, naming %s', (_service, _variable, script, env, expected) => refusedAtStart(script, env, expected), 30_000);

  it('the built resource-service starts in production on in-network plain http that ALLOW_INSECURE_HTTP names', async () => {
    const resource = await ServiceProcess.start(
      BUILT.resource,
      {
        NODE_ENV: 'production',
        AUTH_ISSUER: 'http://localhost:3000',
        JWKS_URI: 'http://auth-service.invalid:3000/.well-known/jwks.json',
        REVOCATION_FEED_URI: 'http://auth-service.invalid:3000/oauth/revocations',
        ALLOW_INSECURE_HTTP: 'auth-service.invalid',
      },
      { stderr: 'collect' },
    );
    await resource.stop();
  }, 30_000);

  it.each(['yes', 'ON', '1'])('REGISTRATION_ENABLED=%s opens POST /auth/register, like METRICS and API_DOCS accept it', async (word) => {
    const auth = await startAuth({ REGISTRATION_ENABLED: word });
    try {
      await request(auth.url).post('/auth/register').send({ username: 'newbie', password: 'long enough' }).expect(201);
    } finally {
      await auth.close();
    }
  });

  it.each(['no', 'Off', '0'])('REGISTRATION_ENABLED=%s keeps it closed', async (word) => {
    const auth = await startAuth({ REGISTRATION_ENABLED: word });
    try {
      await request(auth.url).post('/auth/register').send({ username: 'newbie', password: 'long enough' }).expect(404);
    } finally {
      await auth.close();
    }
  });
});
