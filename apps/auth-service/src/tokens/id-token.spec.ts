import { ACCESS_TOKEN_TYPE, type JwsAlgorithm } from '@app/contracts';
import { compactVerify, createLocalJWKSet, decodeProtectedHeader, type JSONWebKeySet } from 'jose';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAuthConfig } from '../config/auth.config.js';
import { signerFor } from '../keys/jws-signer.js';
import { NoSigningKeyError } from '../keys/key-store.js';
import { PemKeyStore } from '../keys/pem-key.store.js';
import type { User } from '../users/user.entity.js';
import { atHash, IdTokenService, type IdTokenSubject } from './id-token.service.js';

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

/** IdTokenService on a real PEM key store: JWT_ALGORITHM=EdDSA, so the RS256 ID-token key is a second key. */
describe('IdTokenService with JWT_ALGORITHM=EdDSA', () => {
  const ISSUER = 'https://id.example.test';
  const accessToken = 'header.payload.signature-of-the-access-token';
  const user: User = { id: 'u1', username: 'ann', passwordHash: 'x', scopes: [], disabled: false, createdAt: 0 };
  const subject = (alg?: JwsAlgorithm): IdTokenSubject => ({
    user,
    clientId: 'web',
    sid: 'sso-1',
    authTime: Date.UTC(2026, 0, 1),
    nonce: 'n',
    accessToken,
    scope: ['openid', 'profile'],
    alg,
  });
  let dir: string;
  let keys: PemKeyStore;
  let service: IdTokenService;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'id-token-'));
    const config = loadAuthConfig({ KEYS_DIR: join(dir, 'keys'), JWT_ALGORITHM: 'EdDSA', AUTH_ISSUER: ISSUER });
    keys = await PemKeyStore.open(config.keys);
    service = new IdTokenService(keys, { now: () => Date.UTC(2026, 0, 1, 0, 5) }, config.tokens);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const verify = (token: string) => compactVerify(token, createLocalJWKSet(keys.jwks().document as unknown as JSONWebKeySet));

  it('signs RS256 with the ID-token key by default, verifiable from the JWKS, at_hash by SHA-256', async () => {
    const token = await service.issue(subject());
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'RS256', kid: keys.idTokenKey().kid, typ: 'JWT' });
    expect(keys.idTokenKey().kid).not.toBe(keys.signingKey().kid);
    const claims = JSON.parse(new TextDecoder().decode((await verify(token)).payload)) as Record<string, unknown>;
    expect(claims).toMatchObject({ iss: ISSUER, aud: 'web', sub: 'u1', sid: 'sso-1', nonce: 'n', preferred_username: 'ann' });
    expect(claims.at_hash).toBe(createHash('sha256').update(accessToken).digest().subarray(0, 16).toString('base64url'));
  });

  it('signs EdDSA with the signing key for a client registered --id-token-alg EdDSA, at_hash by SHA-512', async () => {
    const token = await service.issue(subject('EdDSA'));
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'EdDSA', kid: keys.signingKey().kid, typ: 'JWT' });
    const claims = JSON.parse(new TextDecoder().decode((await verify(token)).payload)) as Record<string, unknown>;
    expect(claims.at_hash).toBe(createHash('sha512').update(accessToken).digest().subarray(0, 32).toString('base64url'));
  });

  it('refuses an algorithm no key here signs (503, retry later): never another algorithm than the client registered', async () => {
    await expect(service.issue(subject('ES256'))).rejects.toBeInstanceOf(NoSigningKeyError);
  });

  it('reads back as a logout hint an ID token of either key, and nothing else', async () => {
    expect(await service.readHint(await service.issue(subject()))).toMatchObject({ aud: 'web', sid: 'sso-1' });
    expect(await service.readHint(await service.issue(subject('EdDSA')))).toMatchObject({ aud: 'web', sid: 'sso-1' });
    // An access token of ours (typ at+jwt), signed by either key, is no ID token.
    const claims = { iss: ISSUER, aud: 'web', sub: 'u1', sid: 'sso-1' };
    expect(await service.readHint(await signerFor(keys.signingKey(), ACCESS_TOKEN_TYPE)(claims))).toBeUndefined();
    expect(await service.readHint(await signerFor(keys.idTokenKey(), ACCESS_TOKEN_TYPE)(claims))).toBeUndefined();
    // Another issuer's ID token signed by our key (a misconfiguration) is not ours either.
    expect(await service.readHint(await signerFor(keys.idTokenKey(), 'JWT')({ ...claims, iss: 'https://other.example' }))).toBeUndefined();
  });
});
