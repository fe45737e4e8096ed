import type { KeyObject } from 'node:crypto';
import type { JwsAlgorithm } from '@app/contracts';

/** Node's names of the curves behind ES256/384/512. */
const EC_CURVE: Partial<Record<JwsAlgorithm, string>> = {
  ES256: 'prime256v1',
  ES384: 'secp384r1',
  ES512: 'secp521r1',
};

const MIN_RSA_BITS = 2048;

/**
 * Binds a key to the algorithm a token claims. When the JWK was published with `alg`, the token must
 * use exactly that algorithm (an RSA key published for RS256 does not verify PS256). Without `alg`,
 * the key type must fit: RSA of 2048 bits or more for RS and PS, the matching curve for ES,
 * Ed25519 for EdDSA and Ed25519. An Ed25519 key without `alg` accepts both labels: they name one
 * signature algorithm over that one key (RFC 9864), so neither label can make the key verify
 * anything else (docs/security-model.md).
 */
export function keyAcceptsAlgorithm(key: KeyObject, jwkAlg: string | undefined, alg: JwsAlgorithm): boolean {
  if (jwkAlg !== undefined && jwkAlg !== alg) return false;
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return /^(RS|PS)(256|384|512)$/.test(alg) && (key.asymmetricKeyDetails?.modulusLength ?? 0) >= MIN_RSA_BITS;
    case 'ec':
      return EC_CURVE[alg] !== undefined && EC_CURVE[alg] === key.asymmetricKeyDetails?.namedCurve;
    case 'ed25519':
      return alg === 'EdDSA' || alg === 'Ed25519';
    default:
      return false;
  }
}

/** The JWK `kty` each algorithm family needs. */
function keyTypeOf(alg: JwsAlgorithm): string {
  if (alg === 'EdDSA' || alg === 'Ed25519') return 'OKP';
  return alg.startsWith('ES') ? 'EC' : 'RSA';
}

/**
 * Whether a JWK set entry can possibly verify a token under one of the pinned `algorithms`, judged
 * from its members before anything is imported: a signing key (`use` absent or `sig`, `key_ops`
 * absent or listing `verify`) of a `kty` some pinned algorithm needs, and, when it names an `alg`,
 * a pinned one that fits that `kty`. Everything else (`oct` secrets, encryption keys, RSA entries
 * labelled ES256, algorithms not pinned) is skipped without costing an import.
 */
export function jwkMayVerify(jwk: Readonly<Record<string, unknown>>, algorithms: readonly JwsAlgorithm[]): boolean {
  const { kty, alg, use, key_ops: keyOps } = jwk;
  if (use !== undefined && use !== 'sig') return false;
  if (keyOps !== undefined && !(Array.isArray(keyOps) && keyOps.includes('verify'))) return false;
  if (alg !== undefined) return algorithms.some((pinned) => pinned === alg && keyTypeOf(pinned) === kty);
  return algorithms.some((pinned) => keyTypeOf(pinned) === kty);
}
