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
 * Ed25519 for EdDSA.
 */
export function keyAcceptsAlgorithm(key: KeyObject, jwkAlg: string | undefined, alg: JwsAlgorithm): boolean {
  if (jwkAlg !== undefined && jwkAlg !== alg) return false;
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return /^(RS|PS)(256|384|512)$/.test(alg) && (key.asymmetricKeyDetails?.modulusLength ?? 0) >= MIN_RSA_BITS;
    case 'ec':
      return EC_CURVE[alg] !== undefined && EC_CURVE[alg] === key.asymmetricKeyDetails?.namedCurve;
    case 'ed25519':
      return alg === 'EdDSA';
    default:
      return false;
  }
}
