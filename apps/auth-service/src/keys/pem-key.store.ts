import { Logger } from '@nestjs/common';
import { isJwsAlgorithm, type JwsAlgorithm, type PublicJwk } from '@app/contracts';
import { createPrivateKey, createPublicKey, randomUUID, type KeyObject } from 'node:crypto';
import { chmod, link, mkdir, readdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { KeysConfig } from '../config/keys.config.js';
import { defaultAlgorithm, generatePrivateKey, keyMismatch, publicJwkOf, toSigningKey, type SigningKey } from './key-material.js';
import { publishJwks } from './jwks-document.js';
import type { KeyLifecycle, KeyStore, PublishedJwks } from './key-store.js';

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
async function createKeyFile(path: string, config: KeysConfig): Promise<void> {
  await mkdir(config.dir, { recursive: true, mode: 0o700 });
  const key = await generatePrivateKey(config.algorithm, config.rsaBits);
  // Unique per call, not per process and millisecond: two app instances in one process (tests, a CLI beside the service) start at once.
  const temp = `${path}.${process.pid}.${randomUUID()}.tmp`;
  await writeFile(temp, key.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
  try {
    await link(temp, path);
    logger.warn(`generated a development ${config.algorithm} signing key at ${path} (production requires a provided key)`);
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
 * `KEYS_SOURCE=pem`: the signing key is KEYS_DIR/private.pem; the public key is derived from it.
 * Keys in KEYS_DIR/published/ are added to the JWKS without signing: the next key before it takes
 * over, the previous one until its last tokens expire (docs/key-rotation.md).
 */
export class PemKeyStore implements KeyStore {
  private constructor(
    private readonly key: SigningKey,
    private readonly published: PublishedJwks,
  ) {}

  static async open(config: KeysConfig): Promise<PemKeyStore> {
    const path = join(config.dir, 'private.pem');
    try {
      await stat(path);
    } catch (error) {
      if (!isMissing(error)) throw error;
      if (config.production) {
        throw new KeyLoadError(`no signing key at ${path}: in production mount it there (KEYS_DIR), it is never generated`);
      }
      await createKeyFile(path, config);
    }
    const mode = (await stat(path)).mode & 0o777;
    if (mode & 0o077) {
      if (config.production) logger.warn(`${path} is readable by group or others (mode ${mode.toString(8)})`);
      else await chmod(path, 0o600);
    }
    let key: SigningKey;
    try {
      key = await toSigningKey(await readPrivateKey(path), config.algorithm);
    } catch (error) {
      if (error instanceof KeyLoadError) throw error;
      throw new KeyLoadError(`${path} cannot sign JWT_ALGORITHM=${config.algorithm}: ${(error as Error).message}`);
    }
    const published = (await readPublishedKeys(config)).filter((jwk) => jwk.kid !== key.kid);
    logger.log(`signing with ${key.alg} key ${key.kid}; ${published.length} more key(s) published for verification`);
    return new PemKeyStore(key, publishJwks([key.publicJwk, ...published]));
  }

  signingKey(): SigningKey {
    return this.key;
  }

  jwks(): PublishedJwks {
    return this.published;
  }

  /** One active key; the KEYS_DIR/published/ keys verify only. Rotation is by hand: no due time. */
  lifecycle(): KeyLifecycle {
    return { states: { active: 1, published: this.published.document.keys.length - 1 } };
  }
}
