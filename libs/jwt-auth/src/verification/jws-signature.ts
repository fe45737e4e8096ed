import { verify, type KeyObject } from 'node:crypto';
import { JWS_SIGNATURE_SCHEMES, type JwsAlgorithm } from '@app/contracts';
import { TokenInvalidError } from '../jwt-auth.errors.js';
import { decodeSegment } from './compact-jws.js';

/**
 * Checks the JWS signature of `signingInput` (`header.payload`, ASCII) with `key` under `alg`,
 * synchronously with node:crypto (no WebCrypto promise, no trip through the libuv pool). The caller
 * has bound the key to `alg` (`keyAcceptsAlgorithm`). Returns undefined when it verifies, else why not:
 * - `malformed signature segment` when the segment is not canonical base64url (nothing verified);
 * - `signature verification failed` when the signature has the wrong length for the algorithm or key
 *   (checked before OpenSSL sees it), does not verify, or node refuses it (an ECDSA `r` or `s` of zero
 *   or not below the group order, the "psychic signature", is refused by OpenSSL itself).
 * Access tokens (`verifyJwsSignature`) and DPoP proofs (dpop/dpop-proof-verifier.ts) share it.
 */
export function jwsSignatureProblem(alg: JwsAlgorithm, key: KeyObject, signingInput: string, signatureSegment: string): string | undefined {
  const signature = decodeSegment(signatureSegment);
  if (signature === undefined) return 'malformed signature segment (not canonical base64url)';
  const scheme = JWS_SIGNATURE_SCHEMES[alg];
  const expectedLength = scheme.length ?? Math.ceil((key.asymmetricKeyDetails?.modulusLength ?? 0) / 8);
  if (signature.length !== expectedLength) {
    return `signature verification failed (${alg} signature of ${signature.length} bytes, expected ${expectedLength})`;
  }
  let valid: boolean;
  try {
    valid = verify(scheme.digest, Buffer.from(signingInput, 'latin1'), { key, ...scheme.options }, signature);
  } catch (error: unknown) {
    return `signature verification failed (${error instanceof Error ? error.name : 'unknown error'})`;
  }
  return valid ? undefined : 'signature verification failed';
}

/** `jwsSignatureProblem` for an access token: throws TokenInvalidError with the problem. */
export function verifyJwsSignature(alg: JwsAlgorithm, key: KeyObject, signingInput: string, signatureSegment: string): void {
  const problem = jwsSignatureProblem(alg, key, signingInput, signatureSegment);
  if (problem !== undefined) throw new TokenInvalidError(problem);
}
