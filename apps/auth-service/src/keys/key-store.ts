import { ErrorCode, HttpMappedError, type JwksDocument } from '@app/contracts';
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

/** What the rest of the service needs from a key source (`pem` or `managed`). */
export interface KeyStore {
  /** The key that signs now; undefined while none may (the token routes answer 503). */
  signingKey(): SigningKey | undefined;
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
