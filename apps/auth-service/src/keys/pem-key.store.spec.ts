import { SUPPORTED_ALGORITHMS, type JwsAlgorithm } from '@app/contracts';
import { calculateJwkThumbprint } from 'jose';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAuthConfig } from '../config/auth.config.js';
import type { KeysConfig } from '../config/keys.config.js';
import { ID_TOKEN_KEY_FILE, KeyLoadError, PemKeyStore, PUBLISHED_DIR } from './pem-key.store.js';

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

describe('PemKeyStore', () => {
  let dir: string;
  const config = (overrides: Partial<KeysConfig> = {}): KeysConfig => ({
    source: 'pem',
    dir,
    algorithm: 'RS256',
    rsaBits: 2048,
    production: false,
    jwksMaxAgeSeconds: 300,
    managed: loadAuthConfig({}).keys.managed,
    ...overrides,
  });

  beforeEach(async () => {
    dir = join(await mkdtemp(join(tmpdir(), 'pem-store-')), 'keys');
  });
  afterEach(async () => rm(join(dir, '..'), { recursive: true, force: true }));

  it('refuses to start in production without a key, and creates nothing', async () => {
    await expect(PemKeyStore.open(config({ production: true }))).rejects.toThrow(
      new KeyLoadError(`no signing key at ${join(dir, 'private.pem')}: in production mount it there (KEYS_DIR), it is never generated`),
    );
    await expect(stat(join(dir, 'private.pem'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('generates a 0600 key outside production and keeps it across restarts', async () => {
    const first = await PemKeyStore.open(config());
    expect((await stat(join(dir, 'private.pem'))).mode & 0o777).toBe(0o600);
    const second = await PemKeyStore.open(config());
    expect(second.signingKey().kid).toBe(first.signingKey().kid);
  });

  it('ends with one key when two processes start at once', async () => {
    const stores = await Promise.all([PemKeyStore.open(config()), PemKeyStore.open(config()), PemKeyStore.open(config())]);
    expect(new Set(stores.map((s) => s.signingKey().kid)).size).toBe(1);
    expect(await readdir(dir)).toEqual(['private.pem']);
  });

  it('ends with one key (and one ID-token key) when many stores of one process start in the same millisecond (a fast algorithm)', async () => {
    const stores = await Promise.all(Array.from({ length: 8 }, () => PemKeyStore.open(config({ algorithm: 'EdDSA' }))));
    expect(new Set(stores.map((s) => s.signingKey().kid)).size).toBe(1);
    expect(new Set(stores.map((s) => s.idTokenKey().kid)).size).toBe(1);
    expect((await readdir(dir)).sort()).toEqual([ID_TOKEN_KEY_FILE, 'private.pem']);
  });

  it.each(SUPPORTED_ALGORITHMS.map((a) => [a]))('publishes only public members with an RFC 7638 kid for %s', async (alg) => {
    const store = await PemKeyStore.open(config({ algorithm: alg as JwsAlgorithm }));
    const [jwk] = store.jwks().document.keys;
    expect(jwk.alg).toBe(alg);
    expect(jwk.use).toBe('sig');
    expect(jwk.kid).toBe(await calculateJwkThumbprint(jwk, 'sha256'));
    for (const member of PRIVATE_MEMBERS) expect(jwk).not.toHaveProperty(member);
    expect(store.jwks().body).not.toMatch(/"d"|PRIVATE/);
  });

  it('derives the public key from the private one (a stray public.pem is ignored)', async () => {
    await PemKeyStore.open(config());
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' });
    await writeFile(join(dir, 'public.pem'), other);
    const store = await PemKeyStore.open(config());
    expect(store.jwks().document.keys).toHaveLength(1);
    expect(store.jwks().document.keys[0].kid).toBe(store.signingKey().kid);
  });

  it('refuses a key that does not fit JWT_ALGORITHM', async () => {
    await PemKeyStore.open(config({ algorithm: 'ES256' }));
    await expect(PemKeyStore.open(config({ algorithm: 'RS256' }))).rejects.toThrow(/JWT_ALGORITHM=RS256.*RSA key/);
  });

  it('refuses an RSA key shorter than 2048 bits', async () => {
    await PemKeyStore.open(config());
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' });
    await writeFile(join(dir, 'private.pem'), small, { mode: 0o600 });
    await expect(PemKeyStore.open(config())).rejects.toThrow(/at least 2048 bits/);
  });

  it('refuses a file that is not a private key without echoing it', async () => {
    await PemKeyStore.open(config());
    await writeFile(join(dir, 'private.pem'), 'secret-material-not-a-key', { mode: 0o600 });
    const error = await PemKeyStore.open(config()).catch((e: Error) => e);
    expect(error).toBeInstanceOf(KeyLoadError);
    expect((error as Error).message).not.toContain('secret-material');
  });
});

describe('PemKeyStore manual rotation (KEYS_DIR/published)', () => {
  let dir: string;
  const config = (algorithm: JwsAlgorithm = 'RS256'): KeysConfig => ({
    source: 'pem',
    dir,
    algorithm,
    rsaBits: 2048,
    production: false,
    jwksMaxAgeSeconds: 300,
    managed: loadAuthConfig({}).keys.managed,
  });

  beforeEach(async () => {
    dir = join(await mkdtemp(join(tmpdir(), 'pem-rotation-')), 'keys');
  });
  afterEach(async () => rm(join(dir, '..'), { recursive: true, force: true }));

  it('publishes the next key before it signs, then keeps the previous one published after the swap', async () => {
    const current = await PemKeyStore.open(config());
    const next = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    await mkdir(join(dir, PUBLISHED_DIR));
    await writeFile(join(dir, PUBLISHED_DIR, 'next.ES256.pem'), next.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });

    // Step 1: the next key is in the JWKS, the current one still signs.
    const step1 = await PemKeyStore.open(config());
    expect(step1.signingKey().kid).toBe(current.signingKey().kid);
    expect(step1.jwks().document.keys.map((k) => k.alg)).toEqual(['RS256', 'ES256']);
    const nextKid = step1.jwks().document.keys[1].kid;

    // Step 2: swap. The old key's public half goes to published/, the next key becomes private.pem.
    await writeFile(join(dir, PUBLISHED_DIR, 'previous.pem'), createPublicKey(readFileSync(join(dir, 'private.pem'))).export({ type: 'spki', format: 'pem' }));
    await copyFile(join(dir, PUBLISHED_DIR, 'next.ES256.pem'), join(dir, 'private.pem'));
    await rename(join(dir, PUBLISHED_DIR, 'next.ES256.pem'), join(dir, '..', 'next.bak'));
    const step2 = await PemKeyStore.open(config('ES256'));
    expect(step2.signingKey().kid).toBe(nextKid);
    // ES256 signs access tokens; ID tokens get their own RS256 key (generated here, outside production).
    expect(step2.jwks().document.keys.map((k) => [k.kid, k.alg])).toEqual([
      [nextKid, 'ES256'],
      [step2.idTokenKey().kid, 'RS256'],
      [current.signingKey().kid, 'RS256'],
    ]);
  });

  it('leaving RS256: the old signing key becomes the ID-token key, and its kid and its ID tokens stay valid', async () => {
    const current = await PemKeyStore.open(config());
    await rename(join(dir, 'private.pem'), join(dir, ID_TOKEN_KEY_FILE));
    await writeFile(join(dir, 'private.pem'), generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'pkcs8', format: 'pem' }), {
      mode: 0o600,
    });
    const swapped = await PemKeyStore.open(config('ES256'));
    expect(swapped.idTokenKey().kid).toBe(current.signingKey().kid);
    expect(swapped.jwks().document.keys.map((k) => k.alg)).toEqual(['ES256', 'RS256']);
  });

  it('refuses a published key that does not fit its named algorithm', async () => {
    await PemKeyStore.open(config());
    await mkdir(join(dir, PUBLISHED_DIR));
    const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ type: 'spki', format: 'pem' });
    await writeFile(join(dir, PUBLISHED_DIR, 'old.RS256.pem'), ec);
    await expect(PemKeyStore.open(config())).rejects.toThrow(/old\.RS256\.pem cannot be published/);
  });
});

describe('PemKeyStore: the ID-token key (KEYS_DIR/id-token.pem)', () => {
  let dir: string;
  const config = (algorithm: JwsAlgorithm, production = false): KeysConfig => ({
    source: 'pem',
    dir,
    algorithm,
    rsaBits: 2048,
    production,
    jwksMaxAgeSeconds: 300,
    managed: loadAuthConfig({}).keys.managed,
  });
  const write = (file: string, key: { export(options: { type: 'pkcs8'; format: 'pem' }): string | Buffer }) =>
    writeFile(join(dir, file), key.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });

  beforeEach(async () => {
    dir = join(await mkdtemp(join(tmpdir(), 'pem-id-')), 'keys');
    await mkdir(dir);
  });
  afterEach(async () => rm(join(dir, '..'), { recursive: true, force: true }));

  it('with RS256: one key signs both, nothing else is generated, and an id-token.pem is not read', async () => {
    const store = await PemKeyStore.open(config('RS256'));
    expect(store.idTokenKey()).toBe(store.signingKey());
    expect(await readdir(dir)).toEqual(['private.pem']);
    await writeFile(join(dir, ID_TOKEN_KEY_FILE), 'not read at all', { mode: 0o600 });
    const again = await PemKeyStore.open(config('RS256'));
    expect(again.jwks().document.keys).toHaveLength(1);
    expect(again.lifecycle().states).toEqual({ active: 1, published: 0 });
  });

  it.each(['ES256', 'EdDSA', 'PS256'] as const)('with %s: a generated 0600 RS256 key signs ID tokens, both in the JWKS, kept across restarts', async (alg) => {
    const store = await PemKeyStore.open(config(alg));
    const idKey = store.idTokenKey();
    expect(idKey.alg).toBe('RS256');
    expect(idKey.kid).not.toBe(store.signingKey().kid);
    expect((await stat(join(dir, ID_TOKEN_KEY_FILE))).mode & 0o777).toBe(0o600);
    expect(store.jwks().document.keys.map((k) => [k.kid, k.alg])).toEqual([
      [store.signingKey().kid, alg],
      [idKey.kid, 'RS256'],
    ]);
    expect(store.jwks().document.keys[1].kid).toBe(await calculateJwkThumbprint(store.jwks().document.keys[1], 'sha256'));
    expect(store.lifecycle().states).toEqual({ active: 2, published: 0 });
    expect((await PemKeyStore.open(config(alg))).idTokenKey().kid).toBe(idKey.kid);
  });

  it('in production it is never generated: a missing id-token.pem stops the service, naming the file', async () => {
    await write('private.pem', generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey);
    await expect(PemKeyStore.open(config('ES256', true))).rejects.toThrow(
      new KeyLoadError(
        `no ID-token key (RS256; JWT_ALGORITHM=ES256 signs access tokens only) at ${join(dir, ID_TOKEN_KEY_FILE)}: in production mount it there (KEYS_DIR), it is never generated`,
      ),
    );
    await expect(stat(join(dir, ID_TOKEN_KEY_FILE))).rejects.toMatchObject({ code: 'ENOENT' });
    await write(ID_TOKEN_KEY_FILE, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey);
    expect((await PemKeyStore.open(config('ES256', true))).idTokenKey().alg).toBe('RS256');
  });

  it('refuses an id-token.pem that cannot sign RS256, and the signing key itself under a second algorithm', async () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    await write('private.pem', rsa);
    await write(ID_TOKEN_KEY_FILE, generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey);
    await expect(PemKeyStore.open(config('PS256'))).rejects.toThrow(/id-token\.pem cannot sign RS256: RS256 needs an RSA key, the key is ec/);
    await write(ID_TOKEN_KEY_FILE, generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey);
    await expect(PemKeyStore.open(config('PS256'))).rejects.toThrow(/at least 2048 bits/);
    // One RSA key as PS256 and RS256 would publish one kid twice (the RFC 7638 thumbprint names no algorithm).
    await write(ID_TOKEN_KEY_FILE, rsa);
    await expect(PemKeyStore.open(config('PS256'))).rejects.toThrow(/id-token\.pem must be another key than private\.pem/);
  });
});
