/** JWS algorithms the system issues and verifies (DESIGN.md "Keys"). */
export const SUPPORTED_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
] as const;

export type JwsAlgorithm = (typeof SUPPORTED_ALGORITHMS)[number];

export function isJwsAlgorithm(value: unknown): value is JwsAlgorithm {
  return typeof value === 'string' && (SUPPORTED_ALGORITHMS as readonly string[]).includes(value);
}

/** RFC 9068 media type of an access token, as carried in the JWS `typ` header. */
export const ACCESS_TOKEN_TYPE = 'at+jwt';

/** JWS header parameters that name a key source; a verifier that honours them lets the attacker pick the key. */
export const FORBIDDEN_KEY_SOURCE_HEADERS = ['jku', 'x5u', 'jwk', 'x5c'] as const;
