import { Logger } from '@nestjs/common';
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { chmod, link, mkdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { KeysConfig } from '../config/auth.config.js';
import { generatePrivateKey, toSigningKey, type SigningKey } from './key-material.js';
import { publishJwks } from './jwks-document.js';
import type { KeyStore, PublishedJwks } from './key-store.js';

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
  const temp = `${path}.${process.pid}.${Date.now()}.tmp`;
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

/** `KEYS_SOURCE=pem`: the signing key is KEYS_DIR/private.pem; the public key is derived from it. */
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
    logger.log(`signing with ${key.alg} key ${key.kid}`);
    return new PemKeyStore(key, publishJwks([key.publicJwk]));
  }

  signingKey(): SigningKey {
    return this.key;
  }

  jwks(): PublishedJwks {
    return this.published;
  }
}
