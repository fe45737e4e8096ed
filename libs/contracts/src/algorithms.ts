/**
 * JWS algorithms the system issues and verifies (docs/key-rotation.md). `EdDSA` (RFC 8037) and
 * `Ed25519` (RFC 9864, the fully-specified name that deprecates `EdDSA` for new use) are the same
 * signature over the same Ed25519 key; only the label in the header and the JWK differs.
 */
export const SUPPORTED_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'] as const;

export type JwsAlgorithm = (typeof SUPPORTED_ALGORITHMS)[number];

export function isJwsAlgorithm(value: unknown): value is JwsAlgorithm {
  return typeof value === 'string' && (SUPPORTED_ALGORITHMS as readonly string[]).includes(value);
}

/** RFC 9068 media type of an access token, as carried in the JWS `typ` header. */
export const ACCESS_TOKEN_TYPE = 'at+jwt';

/** The longest token either side reads (ours are about 900 characters); anything longer is refused before it is parsed. */
export const MAX_TOKEN_LENGTH = 8 * 1024;

/** JWS header parameters that name a key source; a verifier that honours them lets the attacker pick the key. */
export const FORBIDDEN_KEY_SOURCE_HEADERS = ['jku', 'x5u', 'jwk', 'x5c'] as const;
