import type { JwksDocument } from '@app/contracts';
import type { SigningKey } from './key-material.js';

/** The JWKS as served: body and ETag computed once per key change, never per request. */
export interface PublishedJwks {
  document: JwksDocument;
  body: string;
  etag: string;
}

/** What the rest of the service needs from a key source (`pem` or `managed`). */
export interface KeyStore {
  /** The key that signs now. */
  signingKey(): SigningKey;
  /** Every key a verifier must accept now. */
  jwks(): PublishedJwks;
}

export const KEY_STORE = Symbol('KEY_STORE');
