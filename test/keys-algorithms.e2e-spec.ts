import { SUPPORTED_ALGORITHMS } from '@app/contracts';
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import request from 'supertest';
import { startAuth, tempDir, type RunningAuth } from './support/auth-app.js';
import { headerOf, login, managedStore, ManualClock, MINUTE, startResource, type RunningResource } from './support/stack.js';

const SECRET = 'test-only-secret-0123456789abcdefghijklmnop';
const MANAGED = { KEYS_SOURCE: 'managed', KEY_ACTIVATION_DELAY: '5m', KEY_SYNC_INTERVAL: '10m' };

/** Every supported algorithm (docs/key-rotation.md), issued by the auth-service and verified by the resource-service. */
describe.each(SUPPORTED_ALGORITHMS)('JWT_ALGORITHM=%s end to end', (alg) => {
  let auth: RunningAuth;
  let resource: RunningResource;

  beforeAll(async () => {
    auth = await startAuth({ ...MANAGED, JWT_ALGORITHM: alg });
    resource = await startResource(`${auth.url}/.well-known/jwks.json`, { env: { JWT_ALGORITHMS: alg } });
  });
  afterAll(async () => {
    await resource.close();
    await auth.close();
  });

  it('signs with a key whose JWK names the algorithm (beside it the RS256 ID-token key unless it is RS256), and the resource-service accepts the token', async () => {
    const token = await login(auth);
    const header = headerOf(token);
    expect(header.alg).toBe(alg);
    const { body } = await request(auth.url).get('/.well-known/jwks.json').expect(200);
    const idTokenKey = alg === 'RS256' ? [] : [expect.objectContaining({ alg: 'RS256', use: 'sig' })];
    expect(body.keys).toHaveLength(1 + idTokenKey.length);
    expect(body.keys).toEqual(expect.arrayContaining([expect.objectContaining({ kid: header.kid, alg, use: 'sig' }), ...idTokenKey]));
    const res = await request(resource.url).get('/resource/protected').auth(token, { type: 'bearer' }).expect(200);
    expect(res.body.user.username).toBe('testuser');
  });

  it('is refused by a verifier pinned to another algorithm', async () => {
    const other = alg === 'RS256' ? 'ES256' : 'RS256';
    const pinned = await startResource(`${auth.url}/.well-known/jwks.json`, { env: { JWT_ALGORITHMS: other } });
    try {
      await request(pinned.url)
        .get('/resource/protected')
        .auth(await login(auth), { type: 'bearer' })
        .expect(401);
    } finally {
      await pinned.close();
    }
  });
});

/** The two labels of Ed25519 signatures with a PEM key file: each signs and verifies under its own label only. */
describe.each([
  ['Ed25519', 'EdDSA'],
  ['EdDSA', 'Ed25519'],
] as const)('KEYS_SOURCE=pem, JWT_ALGORITHM=%s', (alg, otherLabel) => {
  let auth: RunningAuth;

  beforeAll(async () => {
    auth = await startAuth({ JWT_ALGORITHM: alg });
  });
  afterAll(() => auth.close());

  it('publishes an OKP Ed25519 key labelled with the algorithm, and the resource-service accepts its tokens', async () => {
    const token = await login(auth);
    expect(headerOf(token).alg).toBe(alg);
    const { body } = await request(auth.url).get('/.well-known/jwks.json').expect(200);
    expect(body.keys).toEqual([
      expect.objectContaining({ kty: 'OKP', crv: 'Ed25519', kid: headerOf(token).kid, alg }),
      expect.objectContaining({ kty: 'RSA', alg: 'RS256' }),
    ]);
    const resource = await startResource(`${auth.url}/.well-known/jwks.json`);
    try {
      await request(resource.url).get('/resource/protected').auth(token, { type: 'bearer' }).expect(200);
    } finally {
      await resource.close();
    }
  });

  it(`is refused by a verifier pinned to ${otherLabel} alone`, async () => {
    const pinned = await startResource(`${auth.url}/.well-known/jwks.json`, { env: { JWT_ALGORITHMS: otherLabel } });
    try {
      await request(pinned.url)
        .get('/resource/protected')
        .auth(await login(auth), { type: 'bearer' })
        .expect(401);
    } finally {
      await pinned.close();
    }
  });
});

describe('changing JWT_ALGORITHM', () => {
  it('pre-publishes a key of the new algorithm and keeps the older key verifiable until it expires', async () => {
    const clock = new ManualClock();
    const { dir, remove } = await tempDir();
    let auth = await startAuth({ ...MANAGED, KEYS_ENCRYPTION_SECRET: SECRET, JWT_ALGORITHM: 'RS256' }, { clock, dir });
    const rsaToken = await login(auth);
    await auth.close();

    clock.advance(MINUTE);
    auth = await startAuth({ ...MANAGED, KEYS_ENCRYPTION_SECRET: SECRET, JWT_ALGORITHM: 'EdDSA' }, { clock, dir });
    const resource = await startResource(`${auth.url}/.well-known/jwks.json`, { clock });
    try {
      const { body } = await request(auth.url).get('/.well-known/jwks.json').expect(200);
      // The EdDSA successor, the RS256 key that still signs, and a new RS256 key for ID tokens.
      expect(body.keys.map((k: { alg: string }) => k.alg).sort()).toEqual(['EdDSA', 'RS256', 'RS256']);
      expect(headerOf(await login(auth)).alg).toBe('RS256'); // the new key is published, not yet signing

      clock.advance(5 * MINUTE);
      await managedStore(auth).sync();
      const edToken = await login(auth);
      expect(headerOf(edToken).alg).toBe('EdDSA');
      await request(resource.url).get('/resource/protected').auth(edToken, { type: 'bearer' }).expect(200);
      await request(resource.url).get('/resource/protected').auth(rsaToken, { type: 'bearer' }).expect(200);
    } finally {
      await resource.close();
      await auth.close();
      await remove();
    }
  });
});

describe('KEYS_SOURCE=pem: EdDSA to Ed25519 by the manual runbook', () => {
  it.each([
    ['previous.EdDSA.pem', 200],
    ['previous.pem', 401],
  ])('old key published as %s: its EdDSA token answers %d', async (previousName, status) => {
    const { dir, remove } = await tempDir();
    const keys = join(dir, 'keys');
    let auth = await startAuth({ JWT_ALGORITHM: 'EdDSA' }, { dir });
    const oldToken = await login(auth);
    await auth.close();

    // Step 3 of docs/key-rotation.md: the old key's public half published, a new key signs. Without the
    // label in its file name, the old key takes JWT_ALGORITHM's label and its EdDSA tokens no longer fit.
    const oldKey = createPrivateKey(await readFile(join(keys, 'private.pem')));
    await mkdir(join(keys, 'published'), { recursive: true });
    await writeFile(join(keys, 'published', previousName), createPublicKey(oldKey).export({ type: 'spki', format: 'pem' }));
    const next = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' });
    await writeFile(join(keys, 'next.pem'), next, { mode: 0o600 });
    await rename(join(keys, 'next.pem'), join(keys, 'private.pem'));

    auth = await startAuth({ JWT_ALGORITHM: 'Ed25519', DEMO_USER: '' }, { dir });
    const resource = await startResource(`${auth.url}/.well-known/jwks.json`);
    try {
      const newToken = await login(auth);
      expect(headerOf(newToken).alg).toBe('Ed25519');
      await request(resource.url).get('/resource/protected').auth(newToken, { type: 'bearer' }).expect(200);
      await request(resource.url).get('/resource/protected').auth(oldToken, { type: 'bearer' }).expect(status);
    } finally {
      await resource.close();
      await auth.close();
      await remove();
    }
  });
});
