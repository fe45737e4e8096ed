import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { JwsAlgorithm } from '@app/contracts';
import { jwkMayVerify, keyAcceptsAlgorithm } from './key-algorithm.js';

describe('keyAcceptsAlgorithm', () => {
  const keys: Record<string, KeyObject> = {
    rsa2048: generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey,
    rsa1024: generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey,
    p256: generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey,
    p384: generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey,
    p521: generateKeyPairSync('ec', { namedCurve: 'P-521' }).publicKey,
    ed25519: generateKeyPairSync('ed25519').publicKey,
    ed448: generateKeyPairSync('ed448').publicKey,
  };

  it.each<[string, JwsAlgorithm]>([
    ['rsa2048', 'RS256'],
    ['rsa2048', 'RS512'],
    ['rsa2048', 'PS384'],
    ['p256', 'ES256'],
    ['p384', 'ES384'],
    ['p521', 'ES512'],
    ['ed25519', 'EdDSA'],
    ['ed25519', 'Ed25519'],
  ])('lets a %s key without JWK alg verify %s', (key, alg) => {
    expect(keyAcceptsAlgorithm(keys[key], undefined, alg)).toBe(true);
  });

  it.each<[string, JwsAlgorithm]>([
    ['rsa1024', 'RS256'],
    ['rsa2048', 'ES256'],
    ['rsa2048', 'EdDSA'],
    ['p256', 'ES384'],
    ['p384', 'ES256'],
    ['p256', 'RS256'],
    ['ed25519', 'ES256'],
    ['ed448', 'EdDSA'],
    ['ed448', 'Ed25519'],
    ['rsa2048', 'Ed25519'],
    ['p256', 'Ed25519'],
  ])('refuses a %s key without JWK alg for %s', (key, alg) => {
    expect(keyAcceptsAlgorithm(keys[key], undefined, alg)).toBe(false);
  });

  it('binds a key published with alg to exactly that alg', () => {
    expect(keyAcceptsAlgorithm(keys.rsa2048, 'RS256', 'RS256')).toBe(true);
    expect(keyAcceptsAlgorithm(keys.rsa2048, 'RS256', 'PS256')).toBe(false);
    expect(keyAcceptsAlgorithm(keys.rsa2048, 'RS256', 'RS512')).toBe(false);
  });

  it('binds an Ed25519 key published with EdDSA or Ed25519 to that label only', () => {
    expect(keyAcceptsAlgorithm(keys.ed25519, 'EdDSA', 'EdDSA')).toBe(true);
    expect(keyAcceptsAlgorithm(keys.ed25519, 'EdDSA', 'Ed25519')).toBe(false);
    expect(keyAcceptsAlgorithm(keys.ed25519, 'Ed25519', 'Ed25519')).toBe(true);
    expect(keyAcceptsAlgorithm(keys.ed25519, 'Ed25519', 'EdDSA')).toBe(false);
  });
});

describe('jwkMayVerify', () => {
  const okp = { kty: 'OKP', crv: 'Ed25519', x: 'AAAA' };

  it('keeps an OKP entry for Ed25519 as for EdDSA, with or without alg', () => {
    expect(jwkMayVerify({ ...okp, alg: 'Ed25519' }, ['Ed25519'])).toBe(true);
    expect(jwkMayVerify(okp, ['Ed25519'])).toBe(true);
    expect(jwkMayVerify({ ...okp, alg: 'EdDSA' }, ['EdDSA', 'RS256'])).toBe(true);
  });

  it('skips an OKP entry labelled with an algorithm that is not pinned, and a non-OKP entry labelled Ed25519', () => {
    expect(jwkMayVerify({ ...okp, alg: 'Ed25519' }, ['EdDSA'])).toBe(false);
    expect(jwkMayVerify({ ...okp, alg: 'EdDSA' }, ['Ed25519'])).toBe(false);
    expect(jwkMayVerify({ kty: 'RSA', n: 'AQAB', e: 'AQAB', alg: 'Ed25519' }, ['Ed25519'])).toBe(false);
    expect(jwkMayVerify({ kty: 'RSA', n: 'AQAB', e: 'AQAB' }, ['Ed25519'])).toBe(false);
  });
});
