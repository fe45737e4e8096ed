import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { KeyCipher, KeyDecryptionError } from './key-cipher.js';
import { sealingContext } from './managed-key.store.js';

const SECRET = 'a-random-test-secret-of-32-characters-or-more';
const KID = 'kid-2024-a';
const pkcs8 = new Uint8Array(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'der' }));
const cipher = new KeyCipher(SECRET);
const context = sealingContext(KID, 'ES256');

/** The error `open` throws, which must be a KeyDecryptionError. */
function refusal(sealed: string, associatedData = context, withCipher = cipher): KeyDecryptionError {
  try {
    withCipher.open(sealed, associatedData, KID);
  } catch (error) {
    if (error instanceof KeyDecryptionError) return error;
    throw error;
  }
  throw new Error('the sealed key opened');
}

/** `sealed` with one bit of its decoded part `part` (1 = iv, 2 = ciphertext+tag) flipped at `index` (negative: from the end). */
function flipBit(sealed: string, part: 1 | 2, index: number): string {
  const parts = sealed.split('.');
  const bytes = Buffer.from(parts[part], 'base64url');
  bytes[(index + bytes.length) % bytes.length] ^= 0x01;
  parts[part] = bytes.toString('base64url');
  return parts.join('.');
}

describe('KeyCipher (AES-256-GCM for private keys at rest)', () => {
  it('opens what it sealed, with the same context', () => {
    const sealed = cipher.seal(pkcs8, context);
    expect(sealed).toMatch(/^v1\.[\w-]{16}\.[\w-]+$/);
    expect(Buffer.from(cipher.open(sealed, context, KID))).toEqual(Buffer.from(pkcs8));
    expect(Buffer.from(new KeyCipher(SECRET).open(sealed, context, KID))).toEqual(Buffer.from(pkcs8));
  });

  it('uses a fresh IV for every seal, and the ciphertext does not contain the plaintext', () => {
    const first = cipher.seal(pkcs8, context);
    const second = cipher.seal(pkcs8, context);
    expect(first.split('.')[1]).not.toBe(second.split('.')[1]);
    expect(first).not.toBe(second);
    expect(Buffer.from(first.split('.')[2], 'base64url').includes(Buffer.from(pkcs8).subarray(0, 32))).toBe(false);
  });

  // The associated data binds a sealed key to its row: copied onto another kid or alg, it must not open.
  it.each([
    ['another kid', sealingContext('kid-2024-b', 'ES256')],
    ['another alg', sealingContext(KID, 'ES384')],
    ['both', sealingContext('kid-2024-b', 'RS256')],
    ['no context', ''],
  ])('refuses a sealed key opened with %s', (_case, otherContext) => {
    const sealed = cipher.seal(pkcs8, context);
    expect(refusal(sealed, otherContext).message).toBe(
      `stored private key ${KID} cannot be decrypted with KEYS_ENCRYPTION_SECRET (another secret, or altered data)`,
    );
  });

  it.each([
    ['the first IV byte', 1, 0],
    ['the last IV byte', 1, -1],
    ['the first ciphertext byte', 2, 0],
    ['the last ciphertext byte', 2, -17],
    ['the first tag byte', 2, -16],
    ['the last tag byte', 2, -1],
  ] as const)('refuses a sealed key with a bit flipped in %s', (_case, part, index) => {
    expect(refusal(flipBit(cipher.seal(pkcs8, context), part, index))).toBeInstanceOf(KeyDecryptionError);
  });

  it('refuses a truncated, padded, re-versioned or malformed sealed key', () => {
    const sealed = cipher.seal(pkcs8, context);
    const [, iv, body] = sealed.split('.');
    const shortBody = Buffer.from(body, 'base64url').subarray(0, 16).toString('base64url');
    const longerBody = Buffer.concat([Buffer.from(body, 'base64url'), Buffer.from([0])]).toString('base64url');
    for (const broken of [
      sealed.slice(0, -4),
      `v1.${iv}.${longerBody}`,
      `v1.${iv}.${shortBody}`,
      `v2.${iv}.${body}`,
      `v1.${iv}`,
      'v1',
      '',
      `v1.${randomBytes(8).toString('base64url')}.${body}`,
    ]) {
      expect(refusal(broken)).toBeInstanceOf(KeyDecryptionError);
    }
  });

  it('refuses a sealed key opened with another secret', () => {
    const sealed = cipher.seal(pkcs8, context);
    expect(refusal(sealed, context, new KeyCipher(`${SECRET}x`))).toBeInstanceOf(KeyDecryptionError);
  });

  it('never puts key material, the secret or the sealed text in its errors', () => {
    const sealed = cipher.seal(pkcs8, context);
    const errors = [refusal(sealed, sealingContext('other', 'ES256')), refusal(flipBit(sealed, 2, 0)), refusal(sealed, context, new KeyCipher(`${SECRET}x`))];
    const secrets = [
      SECRET,
      sealed,
      sealed.split('.')[2],
      Buffer.from(pkcs8).toString('base64'),
      Buffer.from(pkcs8).toString('base64url'),
      Buffer.from(pkcs8).toString('hex'),
    ];
    for (const error of errors) {
      const text = [error.message, error.stack ?? '', JSON.stringify(error), String(error.cause ?? '')].join('\n');
      for (const secret of secrets) expect(text).not.toContain(secret);
      expect(error.cause).toBeUndefined();
    }
  });
});
