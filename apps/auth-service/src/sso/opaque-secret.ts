import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The opaque secrets of browser sign-in (SSO cookie, interaction CSRF token, browser binding,
 * authorization code): 256 random bits, base64url (43 characters). The database keeps only their
 * SHA-256 (hex): with 256 random bits there is nothing to guess, as for refresh tokens.
 */
export const OPAQUE_SECRET = /^[A-Za-z0-9_-]{43}$/;

export function generateOpaqueSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function hashOpaqueSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Whether `presented` hashes to `storedHash`, compared in constant time. */
export function opaqueSecretMatches(presented: string | undefined, storedHash: string): boolean {
  if (presented === undefined || !OPAQUE_SECRET.test(presented)) return false;
  const expected = Buffer.from(storedHash, 'hex');
  const actual = createHash('sha256').update(presented).digest();
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
