import { constants, verify, type KeyObject, type VerifyKeyObjectInput } from 'node:crypto';
import type { JwsAlgorithm } from '@app/contracts';
import { TokenInvalidError } from '../jwt-auth.errors.js';
import { decodeSegment } from './compact-jws.js';

interface SignatureScheme {
  /** The digest passed to `crypto.verify` (`null` for Ed25519, which hashes internally). */
  digest: string | null;
  /** Options besides the key: RSA padding and PSS salt, ECDSA's raw `r || s` encoding. */
  options: Omit<VerifyKeyObjectInput, 'key'>;
  /** Exact signature length in bytes, when the algorithm fixes it (ECDSA, Ed25519); RSA's is the modulus size. */
  length?: number;
}

/**
 * RFC 7518 §3 and RFC 8037 in node:crypto terms. PSS pins the salt to the hash length (as WebCrypto
 * and RFC 7518 §3.5 do; node's verify default would accept any salt length). ECDSA signatures are
 * the JWS form, `r || s` of fixed width (`ieee-p1363`), never DER.
 */
const SCHEMES: Record<JwsAlgorithm, SignatureScheme> = {
  RS256: { digest: 'sha256', options: { padding: constants.RSA_PKCS1_PADDING } },
  RS384: { digest: 'sha384', options: { padding: constants.RSA_PKCS1_PADDING } },
  RS512: { digest: 'sha512', options: { padding: constants.RSA_PKCS1_PADDING } },
  PS256: { digest: 'sha256', options: { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 } },
  PS384: { digest: 'sha384', options: { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 48 } },
  PS512: { digest: 'sha512', options: { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 64 } },
  ES256: { digest: 'sha256', options: { dsaEncoding: 'ieee-p1363' }, length: 64 },
  ES384: { digest: 'sha384', options: { dsaEncoding: 'ieee-p1363' }, length: 96 },
  ES512: { digest: 'sha512', options: { dsaEncoding: 'ieee-p1363' }, length: 132 },
  EdDSA: { digest: null, options: {}, length: 64 },
  Ed25519: { digest: null, options: {}, length: 64 },
};

/**
 * Checks the JWS signature of `signingInput` (`header.payload`, ASCII) with `key` under `alg`,
 * synchronously with node:crypto (no WebCrypto promise, no trip through the libuv pool). The caller
 * has bound the key to `alg` (`keyAcceptsAlgorithm`). Throws TokenInvalidError:
 * - `malformed signature segment` when the segment is not canonical base64url (nothing verified);
 * - `signature verification failed` when the signature has the wrong length for the algorithm or key
 *   (checked before OpenSSL sees it), does not verify, or node refuses it (an ECDSA `r` or `s` of zero
 *   or not below the group order, the "psychic signature", is refused by OpenSSL itself).
 */
export function verifyJwsSignature(alg: JwsAlgorithm, key: KeyObject, signingInput: string, signatureSegment: string): void {
  const signature = decodeSegment(signatureSegment);
  if (signature === undefined) throw new TokenInvalidError('malformed signature segment (not canonical base64url)');
  const scheme = SCHEMES[alg];
  const expectedLength = scheme.length ?? Math.ceil((key.asymmetricKeyDetails?.modulusLength ?? 0) / 8);
  if (signature.length !== expectedLength) {
    throw new TokenInvalidError(`signature verification failed (${alg} signature of ${signature.length} bytes, expected ${expectedLength})`);
  }
  let valid: boolean;
  try {
    valid = verify(scheme.digest, Buffer.from(signingInput, 'latin1'), { key, ...scheme.options }, signature);
  } catch (error: unknown) {
    throw new TokenInvalidError(`signature verification failed (${error instanceof Error ? error.name : 'unknown error'})`);
  }
  if (!valid) throw new TokenInvalidError('signature verification failed');
}
