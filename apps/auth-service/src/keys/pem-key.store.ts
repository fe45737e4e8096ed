import { Logger } from '@nestjs/common';
import { isJwsAlgorithm, type JwsAlgorithm, type PublicJwk } from '@app/contracts';
import { createPrivateKey, createPublicKey, randomUUID, type KeyObject } from 'node:crypto';
import { chmod, link, mkdir, readdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { KeysConfig } from '../config/keys.config.js';
import { defaultAlgorithm, generatePrivateKey, keyMismatch, publicJwkOf, toSigningKey, type SigningKey } from './key-material.js';
import { publishJwks } from './jwks-document.js';
import { ID_TOKEN_KEY_ALGORITHM, needsIdTokenKey, type KeyLifecycle, type KeyStore, type PublishedJwks } from './key-store.js';

/** The signing key could not be loaded: the service does not start. */
export class KeyLoadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyLoadError';
  }
}

const logger = new Logger('PemKeyStore');

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

/**
 * Writes a new key so that two processes starting at once end with one key: the PEM goes to a
 * private temp file (0600) and is hard-linked into place, which fails if another process won.
 */
async function createKeyFile(path: string, alg: JwsAlgorithm, config: KeysConfig): Promise<void> {
  await mkdir(config.dir, { recursive: true, mode: 0o700 });
  const key = await generatePrivateKey(alg, config.rsaBits);
  // Unique per call, not per process and millisecond: two app instances in one process (tests, a CLI beside the service) start at once.
  const temp = `${path}.${process.pid}.${randomUUID()}.tmp`;
  await writeFile(temp, key.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
  try {
    await link(temp, path);
    logger.warn(`generated a development ${alg} signing key at ${path} (production requires a provided key)`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await unlink(temp);
  }
}

async function readPrivateKey(path: string): Promise<KeyObject> {
  const pem = await readFile(path);
  try {
    return createPrivateKey(pem);
  } catch {
    throw new KeyLoadError(`${path} is not a PEM private key`);
  }
}

/** Folder under KEYS_DIR whose keys are published for verification but never sign (manual rotation). */
export const PUBLISHED_DIR = 'published';

/** The access-token signing key under KEYS_DIR. */
export const SIGNING_KEY_FILE = 'private.pem';

/** The RS256 key that signs ID tokens while JWT_ALGORITHM is another algorithm (an RSA key, 2048 bits or more). */
export const ID_TOKEN_KEY_FILE = 'id-token.pem';

/**
 * Reads (outside production: first generates) the private key at KEYS_DIR/`file` for `alg`. In
 * production a missing key stops the service: it is mounted, never generated.
 */
async function loadSigningKey(file: string, alg: JwsAlgorithm, config: KeysConfig, role: string): Promise<SigningKey> {
  const path = join(config.dir, file);
  try {
    await stat(path);
  } catch (error) {
    if (!isMissing(error)) throw error;
    if (config.production) {
      throw new KeyLoadError(`no ${role} at ${path}: in production mount it there (KEYS_DIR), it is never generated`);
    }
    await createKeyFile(path, alg, config);
  }
  const mode = (await stat(path)).mode & 0o777;
  if (mode & 0o077) {
    if (config.production) logger.warn(`${path} is readable by group or others (mode ${mode.toString(8)})`);
    else await chmod(path, 0o600);
  }
  try {
    return await toSigningKey(await readPrivateKey(path), alg);
  } catch (error) {
    if (error instanceof KeyLoadError) throw error;
    throw new KeyLoadError(`${path} cannot sign ${alg === config.algorithm ? `JWT_ALGORITHM=${alg}` : alg}: ${(error as Error).message}`);
  }
}

/**
 * The ID-token key (KEYS_DIR/id-token.pem) while JWT_ALGORITHM is not RS256; with RS256 the signing
 * key signs ID tokens too and the file is not read.
 */
async function loadIdTokenKey(config: KeysConfig, signing: SigningKey): Promise<SigningKey | undefined> {
  if (!needsIdTokenKey(config.algorithm)) {
    const unused = await stat(join(config.dir, ID_TOKEN_KEY_FILE)).then(
      () => true,
      () => false,
    );
    if (unused) logger.log(`${ID_TOKEN_KEY_FILE} is not read: with JWT_ALGORITHM=RS256 the signing key signs ID tokens`);
    return undefined;
  }
  const role = `ID-token key (RS256; JWT_ALGORITHM=${config.algorithm} signs access tokens only)`;
  const key = await loadSigningKey(ID_TOKEN_KEY_FILE, ID_TOKEN_KEY_ALGORITHM, config, role);
  // One RSA key under two algorithms would publish one kid twice (the thumbprint does not name the algorithm).
  if (key.kid === signing.kid) throw new KeyLoadError(`${join(config.dir, ID_TOKEN_KEY_FILE)} must be another key than ${SIGNING_KEY_FILE}`);
  return key;
}

/**
 * Reads KEYS_DIR/published/*.pem (public or private PEMs; only the public half is used). The algorithm
 * comes from the file name (`name.ES256.pem`), else JWT_ALGORITHM when the key fits it, else the
 * key type's usual one (RSA: RS256, P-256: ES256, P-384: ES384, P-521: ES512, Ed25519: EdDSA).
 */
async function readPublishedKeys(config: KeysConfig): Promise<PublicJwk[]> {
  const dir = join(config.dir, PUBLISHED_DIR);
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.pem')).sort();
  } catch (error) {
    if (isMissing(error)) return [];
    throw error;
  }
  const keys: PublicJwk[] = [];
  for (const name of names) {
    let key: KeyObject;
    try {
      key = createPublicKey(await readFile(join(dir, name)));
    } catch {
      throw new KeyLoadError(`${join(dir, name)} is not a PEM key`);
    }
    const named = name.split('.').at(-2);
    const alg: JwsAlgorithm | undefined = isJwsAlgorithm(named) ? named : keyMismatch(key, config.algorithm) ? defaultAlgorithm(key) : config.algorithm;
    const mismatch = alg ? keyMismatch(key, alg) : 'unsupported key type';
    if (!alg || mismatch) throw new KeyLoadError(`${join(dir, name)} cannot be published: ${mismatch}`);
    keys.push(await publicJwkOf(key, alg));
  }
  return keys;
}

/**
 * `KEYS_SOURCE=pem`: the signing key is KEYS_DIR/private.pem; the public key is derived from it. With
 * a JWT_ALGORITHM other than RS256, ID tokens are signed with KEYS_DIR/id-token.pem (RS256).
 * Keys in KEYS_DIR/published/ are added to the JWKS without signing: the next key before it takes
 * over, the previous one until its last tokens expire (docs/key-rotation.md).
 */
export class PemKeyStore implements KeyStore {
  private constructor(
    private readonly key: SigningKey,
    private readonly idKey: SigningKey | undefined,
    private readonly published: PublishedJwks,
  ) {}

  static async open(config: KeysConfig): Promise<PemKeyStore> {
    const key = await loadSigningKey(SIGNING_KEY_FILE, config.algorithm, config, 'signing key');
    const idKey = await loadIdTokenKey(config, key);
    const signers = idKey ? [key.publicJwk, idKey.publicJwk] : [key.publicJwk];
    const published = (await readPublishedKeys(config)).filter((jwk) => !signers.some((signer) => signer.kid === jwk.kid));
    const idTokens = idKey ? `, ID tokens with ${idKey.alg} key ${idKey.kid}` : '';
    logger.log(`signing with ${key.alg} key ${key.kid}${idTokens}; ${published.length} more key(s) published for verification`);
    return new PemKeyStore(key, idKey, publishJwks([...signers, ...published]));
  }

  signingKey(): SigningKey {
    return this.key;
  }

  idTokenKey(): SigningKey {
    return this.idKey ?? this.key;
  }

  jwks(): PublishedJwks {
    return this.published;
  }

  /** One active key (two with an ID-token key); the KEYS_DIR/published/ keys verify only. Rotation is by hand: no due time. */
  lifecycle(): KeyLifecycle {
    const active = this.idKey ? 2 : 1;
    return { states: { active, published: this.published.document.keys.length - active } };
  }
}
