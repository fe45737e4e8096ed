import { constants } from 'node:crypto';
import type { JwsAlgorithm } from './algorithms.js';

/** How node:crypto signs and verifies one JWS algorithm; the auth-service signs and the verifier checks with this one table. */
export interface JwsSignatureScheme {
  /** The digest passed to `crypto.sign`/`crypto.verify` (`null` for Ed25519, which hashes internally). */
  readonly digest: string | null;
  /** Options besides the key: RSA padding and PSS salt, ECDSA's raw `r || s` encoding. */
  readonly options: { readonly padding?: number; readonly saltLength?: number; readonly dsaEncoding?: 'ieee-p1363' };
  /** Exact signature length in bytes, when the algorithm fixes it (ECDSA, Ed25519); RSA's is the modulus size. */
  readonly length?: number;
}

/**
 * RFC 7518 §3 and RFC 8037 in node:crypto terms. PSS pins the salt to the hash length (as WebCrypto
 * and RFC 7518 §3.5 do; node's verify default would accept any salt length). ECDSA signatures are
 * the JWS form, `r || s` of fixed width (`ieee-p1363`), never DER.
 */
export const JWS_SIGNATURE_SCHEMES: Readonly<Record<JwsAlgorithm, JwsSignatureScheme>> = {
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
