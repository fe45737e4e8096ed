import { createHash, randomBytes } from 'node:crypto';

/**
 * Refresh tokens are opaque: a recognisable prefix and 256 random bits (base64url, 43 characters).
 * The prefix lets us refuse anything else (a JWT, a typo) before touching the database, and lets
 * secret scanners and log scrubbers spot a leaked one.
 */
export const REFRESH_TOKEN_PREFIX = 'nts_rt_';
const REFRESH_TOKEN_FORMAT = /^nts_rt_[A-Za-z0-9_-]{43}$/;

export function generateRefreshToken(): string {
  return `${REFRESH_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
}

export function isRefreshTokenFormat(text: string): boolean {
  return REFRESH_TOKEN_FORMAT.test(text);
}

/**
 * What the database stores instead of the token: its SHA-256, hex. A fast hash is right here, unlike
 * for passwords: with 256 bits of entropy there is nothing to guess, so slowing the hash down would
 * only slow every refresh down. A stolen table gives no usable token.
 */
export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
