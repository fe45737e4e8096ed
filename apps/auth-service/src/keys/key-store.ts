import { ErrorCode, HttpMappedError, type JwksDocument, type JwsAlgorithm } from '@app/contracts';
import type { SigningKey } from './key-material.js';

/** The JWKS as served: body and ETag computed once per key change, never per request. */
export interface PublishedJwks {
  document: JwksDocument;
  body: string;
  etag: string;
}

/**
 * Key counts by lifecycle state for the `auth_keys{state}` gauge (`pending`, `active`, `deprecated`,
 * `revoked`; the pem store reports `active` and `published`), and when the next rotation is due.
 */
export interface KeyLifecycle {
  states: Record<string, number>;
  /** Epoch ms of the next automatic rotation; absent when keys rotate only by hand (pem). */
  nextRotationAt?: number;
}

/** The algorithm of ID tokens unless a client registered another: the one every relying party accepts (OpenID Connect Core §15.1). */
export const ID_TOKEN_KEY_ALGORITHM: JwsAlgorithm = 'RS256';

/** Whether the key store keeps a second key, RS256, for ID tokens: whenever JWT_ALGORITHM is another algorithm. */
export function needsIdTokenKey(jwtAlgorithm: JwsAlgorithm): boolean {
  return jwtAlgorithm !== ID_TOKEN_KEY_ALGORITHM;
}

/** The algorithms ID tokens can be signed with: RS256 first, then JWT_ALGORITHM when it is another (the metadata's list). */
export function idTokenAlgorithms(jwtAlgorithm: JwsAlgorithm): JwsAlgorithm[] {
  return needsIdTokenKey(jwtAlgorithm) ? [ID_TOKEN_KEY_ALGORITHM, jwtAlgorithm] : [ID_TOKEN_KEY_ALGORITHM];
}

/** What the rest of the service needs from a key source (`pem` or `managed`). */
export interface KeyStore {
  /** The key that signs access tokens now (JWT_ALGORITHM); undefined while none may (the token routes answer 503). */
  signingKey(): SigningKey | undefined;
  /**
   * The RS256 key that signs ID tokens now: the signing key itself while it is RS256, else a second
   * key kept beside it, in the same JWKS and on the same lifecycle; undefined while none may.
   */
  idTokenKey(): SigningKey | undefined;
  /** Every key a verifier must accept now. */
  jwks(): PublishedJwks;
  lifecycle(): KeyLifecycle;
  /** Stops background work; called once at shutdown, before the database closes. */
  close?(): Promise<void>;
}

/** No key may sign right now (all revoked, or the key table unreachable for long): 503 with Retry-After. */
export class NoSigningKeyError extends HttpMappedError {
  readonly status = 503;
  readonly code = ErrorCode.ServiceUnavailable;
  override readonly retryAfterSeconds = 5;
  override readonly logLevel = 'warn';

  constructor() {
    super('No signing key is active; retry later', 'a token was requested while no signing key is active');
  }
}

export const KEY_STORE = Symbol('KEY_STORE');
