import { createHash } from 'node:crypto';
import { atHash } from './id-token.service.js';

describe('at_hash (OpenID Connect Core 3.1.3.6)', () => {
  const token = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln';
  it('is the base64url left half of the SHA-256 for RS256/ES256/PS256', () => {
    const half = createHash('sha256').update(token).digest().subarray(0, 16).toString('base64url');
    for (const alg of ['RS256', 'ES256', 'PS256']) expect(atHash(token, alg)).toBe(half);
  });
  it('uses SHA-384 and SHA-512 for the 384 and 512 algorithms, SHA-512 for EdDSA', () => {
    expect(atHash(token, 'RS384')).toBe(createHash('sha384').update(token).digest().subarray(0, 24).toString('base64url'));
    expect(atHash(token, 'ES512')).toBe(createHash('sha512').update(token).digest().subarray(0, 32).toString('base64url'));
    expect(atHash(token, 'EdDSA')).toBe(createHash('sha512').update(token).digest().subarray(0, 32).toString('base64url'));
  });
});
