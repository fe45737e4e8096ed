import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A recognisable prefix (for secret scanners) and 256 random bits, base64url. */
export const CLIENT_SECRET_PREFIX = 'nts_cs_';

export function generateClientSecret(): string {
  return `${CLIENT_SECRET_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/**
 * What the database stores instead of the secret: its SHA-256, hex. A fast hash is enough here, as for
 * refresh tokens: 256 random bits leave nothing to guess, so a slow password hash (argon2) would only
 * make every token request slower, and a stolen table still yields no usable secret.
 */
export function hashClientSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Compares the presented secret with the stored hash in constant time (both sides are 32-byte digests). */
export function clientSecretMatches(presented: string, storedHash: string | undefined): boolean {
  if (storedHash === undefined) return false;
  const expected = Buffer.from(storedHash, 'hex');
  const actual = createHash('sha256').update(presented).digest();
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
