import type { JwsAlgorithm, PublicJwk } from '@app/contracts';

/** docs/key-rotation.md, "The lifecycle": published -> signs -> verifies only -> gone; `revoked` at any time. */
export type KeyState = 'pending' | 'active' | 'deprecated' | 'expired' | 'revoked';

export const KEY_STATES: readonly KeyState[] = ['pending', 'active', 'deprecated', 'expired', 'revoked'];

/**
 * What a key signs: access tokens (JWT_ALGORITHM), or ID tokens (RS256, kept while JWT_ALGORITHM is
 * another algorithm). Each purpose is its own chain of keys with the same schedule.
 */
export type KeyPurpose = 'access' | 'id_token';

export const KEY_PURPOSES: readonly KeyPurpose[] = ['access', 'id_token'];

/**
 * One row of the shared key table. The state is never stored: it follows from the timestamps and the
 * clock, so every replica derives the same state, and a crash between two writes cannot leave a key
 * "half rotated". All times are epoch milliseconds.
 */
export interface KeyRecord {
  kid: string;
  alg: JwsAlgorithm;
  purpose: KeyPurpose;
  publicJwk: PublicJwk;
  /** The encrypted PKCS#8 private key (shared mode); undefined for a replica's in-memory key. */
  sealedPrivateKey?: string;
  /** The replica holding the private key in memory (per-replica mode); undefined for cluster keys. */
  owner?: string;
  createdAt: number;
  /** From here the key signs (it has been in the JWKS since `createdAt`). */
  activatesAt: number;
  /** From here it only verifies. */
  deprecatesAt: number;
  /** From here it is gone from the JWKS. */
  expiresAt: number;
  revokedAt?: number;
}

export function keyState(key: KeyRecord, now: number): KeyState {
  if (key.revokedAt !== undefined) return 'revoked';
  if (now >= key.expiresAt) return 'expired';
  if (now >= key.deprecatesAt) return 'deprecated';
  if (now >= key.activatesAt) return 'active';
  return 'pending';
}

/** In the JWKS: every key neither revoked nor expired, pending ones included (pre-publication). */
export function isPublished(key: KeyRecord, now: number): boolean {
  return key.revokedAt === undefined && now < key.expiresAt;
}

export function canSign(key: KeyRecord, now: number): boolean {
  return keyState(key, now) === 'active';
}

/** The record with the latest activation among `keys`, or undefined. */
export function latestActivation(keys: readonly KeyRecord[]): KeyRecord | undefined {
  let latest: KeyRecord | undefined;
  for (const key of keys) if (!latest || key.activatesAt > latest.activatesAt) latest = key;
  return latest;
}
