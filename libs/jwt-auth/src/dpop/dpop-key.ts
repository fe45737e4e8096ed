import { createPublicKey, hash, type KeyObject } from 'node:crypto';
import type { JwsAlgorithm } from '@app/contracts';
import { keyAcceptsAlgorithm } from '../verification/key-algorithm.js';
import { InvalidDpopProofError } from './dpop.errors.js';

/** JWK members that hold private or secret key material (RFC 7517/7518): a proof's `jwk` must have none. */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;

/** RFC 7638 §3.2: the required members of each asymmetric key type, in lexicographic order. */
const THUMBPRINT_MEMBERS: Readonly<Record<string, readonly string[]>> = {
  EC: ['crv', 'kty', 'x', 'y'],
  OKP: ['crv', 'kty', 'x'],
  RSA: ['e', 'kty', 'n'],
};

/** A proof's key, imported, with its RFC 7638 thumbprint (the `jkt` tokens are bound to). */
export interface DpopKey {
  key: KeyObject;
  jkt: string;
}

/**
 * The RFC 7638 thumbprint input of a public JWK: its required members, in order, as JSON without
 * whitespace. Refuses (InvalidDpopProofError) anything but a public asymmetric key: a `jwk` that is
 * not an object, an `oct` (symmetric) or unknown `kty`, any private member, a required member that
 * is not a string.
 */
export function thumbprintInput(jwk: unknown): string {
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) throw new InvalidDpopProofError('the header has no "jwk" object');
  const members = jwk as Record<string, unknown>;
  const leaked = PRIVATE_MEMBERS.find((name) => name in members);
  if (leaked !== undefined) throw new InvalidDpopProofError('the "jwk" holds private key material', `jwk has private member "${leaked}"`);
  const required = typeof members.kty === 'string' ? THUMBPRINT_MEMBERS[members.kty] : undefined;
  if (required === undefined) throw new InvalidDpopProofError('the "jwk" is not a public EC, OKP or RSA key');
  const canonical: Record<string, string> = {};
  for (const name of required) {
    const value = members[name];
    if (typeof value !== 'string' || value === '') throw new InvalidDpopProofError(`the "jwk" member "${name}" is missing`);
    canonical[name] = value;
  }
  return JSON.stringify(canonical);
}

/** RFC 7638: base64url(SHA-256(thumbprint input)). */
export function jwkThumbprint(input: string): string {
  return hash('sha256', input, 'base64url');
}

/**
 * The public key of a proof's `jwk`, fit for `alg` (an RSA key of 2048 bits or more, the curve of
 * ES*, Ed25519 for EdDSA), with its thumbprint. `DpopProofVerifier` remembers the result per header.
 */
export function proofKey(jwk: unknown, alg: JwsAlgorithm): DpopKey {
  const input = thumbprintInput(jwk);
  const key = importPublicJwk(input);
  if (!keyAcceptsAlgorithm(key, undefined, alg)) throw new InvalidDpopProofError(`the "jwk" cannot verify ${alg}`);
  return { key, jkt: jwkThumbprint(input) };
}

function importPublicJwk(input: string): KeyObject {
  try {
    return createPublicKey({ key: JSON.parse(input) as Record<string, string>, format: 'jwk' });
  } catch (error: unknown) {
    throw new InvalidDpopProofError('the "jwk" is not a usable public key', `jwk import failed (${error instanceof Error ? error.name : 'unknown'})`);
  }
}
