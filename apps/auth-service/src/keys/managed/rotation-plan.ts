import type { JwsAlgorithm } from '@app/contracts';
import { ID_TOKEN_KEY_ALGORITHM, needsIdTokenKey } from '../key-store.js';
import { canSign, isPublished, latestActivation, type KeyPurpose, type KeyRecord } from './key-record.js';

/** The schedule of docs/key-rotation.md, from KEY_ROTATION_INTERVAL, KEY_ACTIVATION_DELAY, KEY_RETENTION. */
export interface RotationPolicy {
  algorithm: JwsAlgorithm;
  rotationIntervalMs: number;
  activationDelayMs: number;
  /** Counted from activation; at least interval + token TTL + tolerance (checked at start). */
  retentionMs: number;
  accessTokenTtlMs: number;
  clockToleranceMs: number;
  syncIntervalMs: number;
}

/**
 * How long a key stays published after a signing window that was changed at short notice: the token
 * lifetime, the verifiers' clock tolerance, and one sync interval, in which a replica may not yet have
 * read the change and still sign.
 */
export function publicationMargin(policy: RotationPolicy): number {
  return policy.accessTokenTtlMs + policy.clockToleranceMs + policy.syncIntervalMs;
}

export type KeyChange =
  | { kind: 'create'; activatesAt: number; deprecatesAt: number; expiresAt: number; reason: string }
  | { kind: 'update'; kid: string; activatesAt?: number; deprecatesAt?: number; expiresAt?: number; reason: string };

/** A change to the key table: a new key says which chain it joins and its algorithm. */
export type PlannedChange = (Extract<KeyChange, { kind: 'create' }> & { purpose: KeyPurpose; alg: JwsAlgorithm }) | Extract<KeyChange, { kind: 'update' }>;

/** The timestamps of a key that starts signing at `activatesAt`. */
export function scheduleFrom(activatesAt: number, policy: RotationPolicy): { activatesAt: number; deprecatesAt: number; expiresAt: number } {
  return { activatesAt, deprecatesAt: activatesAt + policy.rotationIntervalMs, expiresAt: activatesAt + policy.retentionMs };
}

/**
 * Decides what the key table needs now, for the keys this process can sign with (`own`: the cluster's
 * keys in shared mode, this replica's in per-replica mode). Pure: the store runs it once outside and
 * once inside the lock, and applies the second answer.
 *
 * - A signing key exists and no successor is scheduled: once the successor is due (KEY_ACTIVATION_DELAY
 *   before the current key stops, or at once when JWT_ALGORITHM changed) a new key is created, pending
 *   until the current key stops signing, so it is published for the whole delay before it signs.
 *   If it is created late, the current key keeps signing until the successor activates.
 * - No key can sign and one is pending: it activates now (after a revocation).
 * - No key can sign, none pending, and the last signing key is still published (the service was down
 *   when the successor was due): that key signs on while a successor is pre-published.
 * - Otherwise (first start, after revoke-all): a new key that signs after `bootstrapDelayMs`.
 */
export function planRotation(own: readonly KeyRecord[], now: number, policy: RotationPolicy, bootstrapDelayMs = 0): KeyChange[] {
  const live = own.filter((key) => isPublished(key, now));
  const current = latestActivation(live.filter((key) => canSign(key, now)));
  const pending = latestActivation(live.filter((key) => key.activatesAt > now));
  const delay = policy.activationDelayMs;
  const margin = publicationMargin(policy);

  if (current) {
    if (pending) return [];
    const algorithmChanged = current.alg !== policy.algorithm;
    if (!algorithmChanged && now < current.deprecatesAt - delay) return [];
    const activatesAt = algorithmChanged ? now + delay : Math.max(current.deprecatesAt, now + delay);
    const changes: KeyChange[] = [
      {
        kind: 'create',
        ...scheduleFrom(activatesAt, policy),
        reason: algorithmChanged ? `JWT_ALGORITHM is now ${policy.algorithm}` : 'rotation interval reached',
      },
    ];
    if (activatesAt !== current.deprecatesAt) {
      changes.push({
        kind: 'update',
        kid: current.kid,
        deprecatesAt: activatesAt,
        expiresAt: Math.max(current.expiresAt, activatesAt + margin),
        reason: 'signs until its successor activates',
      });
    }
    return changes;
  }

  if (pending) {
    return [
      {
        kind: 'update',
        kid: pending.kid,
        ...scheduleFrom(now, policy),
        expiresAt: Math.max(pending.expiresAt, now + policy.retentionMs),
        reason: 'no key could sign; the pre-published key activates now',
      },
    ];
  }

  const last = latestActivation(own.filter((key) => key.activatesAt <= now));
  if (last && isPublished(last, now)) {
    const activatesAt = now + delay;
    return [
      { kind: 'create', ...scheduleFrom(activatesAt, policy), reason: 'the successor was due while no replica ran' },
      {
        kind: 'update',
        kid: last.kid,
        deprecatesAt: activatesAt,
        expiresAt: Math.max(last.expiresAt, activatesAt + margin),
        reason: 'signs until its late successor activates',
      },
    ];
  }
  return [{ kind: 'create', ...scheduleFrom(now + bootstrapDelayMs, policy), reason: own.length === 0 ? 'first key' : 'no usable key (revoked or expired)' }];
}

/**
 * What the key table needs now for both chains of the keys this process can sign with: the
 * access-token keys (JWT_ALGORITHM) and, while JWT_ALGORITHM is not RS256, the ID-token keys (RS256),
 * each planned by `planRotation` on the same schedule. With JWT_ALGORITHM back at RS256, the ID-token
 * keys are retired once an RS256 access-token key signs (it then signs ID tokens too).
 */
export function planKeys(own: readonly KeyRecord[], now: number, policy: RotationPolicy, bootstrapDelayMs = 0): PlannedChange[] {
  const access = own.filter((key) => key.purpose === 'access');
  const idTokenKeys = own.filter((key) => key.purpose === 'id_token');
  const tag =
    (purpose: KeyPurpose, alg: JwsAlgorithm) =>
    (change: KeyChange): PlannedChange =>
      change.kind === 'create' ? { ...change, purpose, alg } : change;
  const changes = planRotation(access, now, policy, bootstrapDelayMs).map(tag('access', policy.algorithm));
  if (needsIdTokenKey(policy.algorithm)) {
    const idPolicy = { ...policy, algorithm: ID_TOKEN_KEY_ALGORITHM };
    return [...changes, ...planRotation(idTokenKeys, now, idPolicy, bootstrapDelayMs).map(tag('id_token', ID_TOKEN_KEY_ALGORITHM))];
  }
  return [...changes, ...retireIdTokenKeys(idTokenKeys, access, now)];
}

/**
 * JWT_ALGORITHM is RS256 again: once an RS256 access-token key signs, the ID-token keys stop signing.
 * One that signed stays published until it expires (ID tokens it signed still serve as logout hints);
 * a pending one, which never signed, leaves at once.
 */
function retireIdTokenKeys(idTokenKeys: readonly KeyRecord[], access: readonly KeyRecord[], now: number): PlannedChange[] {
  if (latestActivation(access.filter((key) => canSign(key, now)))?.alg !== ID_TOKEN_KEY_ALGORITHM) return [];
  const reason = 'JWT_ALGORITHM is RS256: the access-token key signs ID tokens';
  return idTokenKeys
    .filter((key) => isPublished(key, now) && now < key.deprecatesAt)
    .map((key): PlannedChange =>
      key.activatesAt > now
        ? { kind: 'update', kid: key.kid, deprecatesAt: now, expiresAt: now, reason }
        : { kind: 'update', kid: key.kid, deprecatesAt: now, reason },
    );
}
