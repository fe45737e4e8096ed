import { generateRefreshToken, hashRefreshToken, isRefreshTokenFormat, REFRESH_TOKEN_PREFIX } from './refresh-token.js';

describe('refresh token format', () => {
  it('is the prefix and 256 random bits in base64url', () => {
    const token = generateRefreshToken();
    expect(token.startsWith(REFRESH_TOKEN_PREFIX)).toBe(true);
    expect(Buffer.from(token.slice(REFRESH_TOKEN_PREFIX.length), 'base64url')).toHaveLength(32);
    expect(isRefreshTokenFormat(token)).toBe(true);
    expect(new Set(Array.from({ length: 100 }, generateRefreshToken)).size).toBe(100);
  });

  it.each([
    ['an access token (JWS)', 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln'],
    ['no prefix', 'A'.repeat(43)],
    ['one character short', `${REFRESH_TOKEN_PREFIX}${'A'.repeat(42)}`],
    ['a character outside base64url', `${REFRESH_TOKEN_PREFIX}${'A'.repeat(42)}=`],
    ['trailing text', `${REFRESH_TOKEN_PREFIX}${'A'.repeat(43)}\n`],
  ])('refuses %s', (_, text) => {
    expect(isRefreshTokenFormat(text)).toBe(false);
  });

  it('stores a SHA-256 hex digest, never the token', () => {
    const token = generateRefreshToken();
    const hash = hashRefreshToken(token);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain(token.slice(REFRESH_TOKEN_PREFIX.length));
    expect(hashRefreshToken(token)).toBe(hash);
  });
});
