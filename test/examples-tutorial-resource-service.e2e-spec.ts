import { execFile } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repositoryImportsOf } from './support/example-imports.js';
import { compactToken, createTestKey, signAccessToken, signHs256 } from './support/jwks-fixture.js';
import { BUILT, ROOT, ServiceProcess, sleep } from './support/service-process.js';
import { headerOf } from './support/stack.js';

const run = promisify(execFile);
const EXAMPLE_DIR = join(ROOT, 'examples/tutorial-resource-service');
const EXAMPLE = join(ROOT, 'dist/examples/tutorial-resource-service/src/main.js');
const CLI = join(ROOT, 'dist/apps/auth-service/src/cli.js');
const ISSUER = 'http://auth.tutorial-example.test';
const AUDIENCE = 'resource-service';

/**
 * The auth-service with managed keys: `keys rotate` makes the signing key stop 1 s later (the shortest
 * KEY_ACTIVATION_DELAY), and the service publishes and signs with the successor at its next sync (200 ms).
 */
const authEnv = (dir: string) => ({
  AUTH_ISSUER: ISSUER,
  AUTH_AUDIENCE: AUDIENCE,
  DATA_DIR: join(dir, 'data'),
  KEYS_SOURCE: 'managed',
  KEYS_ENCRYPTION_SECRET: 'tutorial-example-test-only-secret-0123456789',
  KEY_ACTIVATION_DELAY: '1s',
  KEY_SYNC_INTERVAL: '200ms',
});

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as Record<string, unknown>;
}

/**
 * examples/tutorial-resource-service, the tutorial's resource service as written (@nestjs/passport,
 * passport-jwt, jwks-rsa, express), built and run as a real process configured only with the issuer,
 * the audience and the JWKS URI of the built auth-service, also a real process. What it accepts and
 * refuses is what docs/migrating-from-the-tutorial.md says of such a service.
 */
describe('examples/tutorial-resource-service against the built auth-service', () => {
  let dir: string;
  let auth: ServiceProcess;
  let example: ServiceProcess;
  let clientSecret: string;

  const cli = async (...args: string[]): Promise<string> => {
    const { stdout } = await run(process.execPath, [CLI, ...args], {
      cwd: ROOT,
      env: { ...process.env, NODE_OPTIONS: '', NODE_ENV: 'development', ...authEnv(dir) },
    });
    return stdout;
  };

  const post = (path: string, body: Record<string, string>, headers: Record<string, string> = {}) =>
    fetch(`${auth.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  async function login(): Promise<{ access_token: string; refresh_token: string }> {
    const response = await post('/auth/login', { username: 'testuser', password: 'password' });
    expect(response.status).toBe(200);
    return (await response.json()) as { access_token: string; refresh_token: string };
  }

  async function callExample(token?: string): Promise<Answer> {
    const response = await fetch(`${example.url}/resource/protected`, { headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  /** `keys rotate` with the built CLI on the service's database, then logs in until a token carries another kid. */
  async function rotate(previous: string): Promise<string> {
    expect(await cli('keys', 'rotate')).toContain(`${headerOf(previous).kid} stops signing`);
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      const token = (await login()).access_token;
      if (headerOf(token).kid !== headerOf(previous).kid) return token;
      await sleep(100);
    }
    throw new Error('no token signed by a new key within 10 s of keys rotate');
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tutorial-example-'));
    auth = await ServiceProcess.start(BUILT.auth, authEnv(dir));
    const [started, client] = await Promise.all([
      ServiceProcess.start(EXAMPLE, { AUTH_ISSUER: ISSUER, AUTH_AUDIENCE: AUDIENCE, JWKS_URI: `${auth.url}/.well-known/jwks.json` }),
      cli('clients', 'add', 'billing', '--grant', 'client_credentials', '--json'),
    ]);
    example = started;
    clientSecret = (JSON.parse(client) as { client_secret: string }).client_secret;
  }, 30_000);

  afterAll(async () => {
    await Promise.all([example?.stop(), auth?.stop()]);
    await rm(dir, { recursive: true, force: true });
  });

  it('imports nothing from apps/ or libs/: it is what another team would have', async () => {
    const { files, repositoryImports } = await repositoryImportsOf(EXAMPLE_DIR);

    expect(files.length).toBeGreaterThan(3);
    expect(repositoryImports).toEqual([]);
  });

  it('accepts a token from /auth/login (RS256, typ at+jwt): 200 with the user its validate() builds', async () => {
    const token = (await login()).access_token;

    expect(JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString())).toMatchObject({ alg: 'RS256', typ: 'at+jwt' });
    expect(await callExample(token)).toEqual({
      status: 200,
      body: { message: 'This is a protected resource', user: { userId: claimsOf(token).sub, username: 'testuser' } },
    });
  });

  it('refuses no token with 401', async () => {
    expect((await callExample()).status).toBe(401);
  });

  it.each([
    [
      'signed by another RSA key under our kid',
      async (token: string) => signAccessToken(await createTestKey('RS256'), { header: { kid: headerOf(token).kid }, claims: claimsOf(token) }),
    ],
    ['alg none under our kid', async (token: string) => compactToken({ alg: 'none', kid: headerOf(token).kid, typ: 'at+jwt' }, claimsOf(token))],
    [
      'HS256 keyed with the published public key (PEM)',
      async (token: string, jwks: { keys: Array<Record<string, unknown>> }) => {
        const pem = createPublicKey({ key: jwks.keys.find((key) => key.kid === headerOf(token).kid)!, format: 'jwk' })
          .export({ format: 'pem', type: 'spki' })
          .toString();
        return signHs256(pem, { kid: headerOf(token).kid }, claimsOf(token));
      },
    ],
    [
      'our token with its payload changed (username admin)',
      async (token: string) => {
        const [header, , signature] = token.split('.');
        const payload = Buffer.from(JSON.stringify({ ...claimsOf(token), username: 'admin' })).toString('base64url');
        return `${header}.${payload}.${signature}`;
      },
    ],
  ])('refuses a forged token with 401: %s', async (_case, forge) => {
    const token = (await login()).access_token;
    const jwks = (await (await fetch(`${auth.url}/.well-known/jwks.json`)).json()) as { keys: Array<Record<string, unknown>> };

    expect((await callExample(await forge(token, jwks))).status).toBe(401);
    expect((await callExample(token)).status).toBe(200);
  });

  it('accepts a client-credentials token as a user: userId is the client id, no username', async () => {
    const response = await fetch(`${auth.url}/oauth/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`billing:${clientSecret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials' }),
    });
    const token = ((await response.json()) as { access_token: string }).access_token;

    expect(await callExample(token)).toEqual({ status: 200, body: { message: 'This is a protected resource', user: { userId: 'billing' } } });
  });

  it('keeps accepting an access token after its session logged out: passport-jwt reads no revocation', async () => {
    const { access_token, refresh_token } = await login();

    expect((await post('/auth/logout', { refresh_token })).status).toBe(204);
    expect((await callExample(access_token)).status).toBe(200);
  });

  it('picks up a rotated key: after `keys rotate`, a token signed by the new key is accepted (jwks-rsa refetches on the unknown kid)', async () => {
    const before = (await login()).access_token;
    expect((await callExample(before)).status).toBe(200);

    const after = await rotate(before);

    expect(await callExample(after)).toEqual({
      status: 200,
      body: { message: 'This is a protected resource', user: { userId: claimsOf(after).sub, username: 'testuser' } },
    });
    expect((await callExample(before)).status).toBe(200);
  });

  it('answers a valid token of a new key 401, not 503, when the JWKS cannot be read', async () => {
    const unseen = await rotate((await login()).access_token);
    expect(await auth.stop()).toBe(0);

    expect(await callExample(unseen)).toEqual({ status: 401, body: { message: 'Unauthorized', statusCode: 401 } });
  });
});
