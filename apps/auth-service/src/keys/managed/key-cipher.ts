import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/** A stored private key that KEYS_ENCRYPTION_SECRET cannot open: another secret, or altered data. */
export class KeyDecryptionError extends Error {
  constructor(kid: string) {
    super(`stored private key ${kid} cannot be decrypted with KEYS_ENCRYPTION_SECRET (another secret, or altered data)`);
    this.name = 'KeyDecryptionError';
  }
}

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM for private keys at rest. The 256-bit key is derived from KEYS_ENCRYPTION_SECRET with
 * HKDF-SHA256 (the secret must be random: 32+ characters, checked at start; HKDF is right for a random
 * secret, a password would need a slow KDF). Every seal has a fresh 96-bit IV, and the key's `kid` and
 * `alg` are bound as additional data, so a sealed key copied onto another row does not open.
 * Format: `v1.<iv>.<ciphertext+tag>`, base64url.
 */
export class KeyCipher {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = Buffer.from(hkdfSync('sha256', secret, 'nest-token-service/signing-keys', 'AES-256-GCM v1', 32));
  }

  seal(plaintext: Uint8Array, associatedData: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(associatedData));
    const sealed = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
    return `${VERSION}.${iv.toString('base64url')}.${sealed.toString('base64url')}`;
  }

  /** Throws KeyDecryptionError (naming only the kid) when the secret or the data is wrong. */
  open(sealed: string, associatedData: string, kid: string): Uint8Array {
    const [version, ivText, bodyText] = sealed.split('.');
    const iv = Buffer.from(ivText ?? '', 'base64url');
    const body = Buffer.from(bodyText ?? '', 'base64url');
    if (version !== VERSION || iv.length !== IV_BYTES || body.length <= TAG_BYTES) throw new KeyDecryptionError(kid);
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(associatedData));
      decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
      return new Uint8Array(Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]));
    } catch {
      throw new KeyDecryptionError(kid);
    }
  }
}
