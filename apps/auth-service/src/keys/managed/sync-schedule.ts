import { canSign, isPublished, latestActivation, type KeyRecord } from './key-record.js';
import type { RotationPolicy } from './rotation-plan.js';

/**
 * How often a replica re-reads the table while it waits for a successor another replica should have
 * created by now (a tenth of KEY_ACTIVATION_DELAY, 50 ms to KEY_SYNC_INTERVAL): the key reaches its
 * JWKS well before it signs, whatever KEY_SYNC_INTERVAL is.
 */
export function successorPollMs(policy: RotationPolicy): number {
  return Math.min(policy.syncIntervalMs, Math.max(50, Math.floor(policy.activationDelayMs / 10)));
}

/**
 * The first instant after `now` at which the store must read the table again (docs/key-rotation.md,
 * "When a replica reads the table"): the next KEY_SYNC_INTERVAL tick, or earlier
 * - when a successor is due (KEY_ACTIVATION_DELAY before the signing key of each chain stops): the
 *   replica that signs with it creates it; in shared mode every replica wakes then and the first one
 *   creates it under the lock while the others read it;
 * - while a successor is due but not in the table yet (another replica is creating it): every
 *   `successorPollMs`, so it is published here before it activates;
 * - at each activation, deprecation and expiry of a published key, so a change another replica or the
 *   CLI made to it is read when it takes effect.
 */
export function nextWake(rows: readonly KeyRecord[], now: number, policy: RotationPolicy): number {
  let next = now + policy.syncIntervalMs;
  const consider = (at: number) => {
    if (at > now && at < next) next = at;
  };
  const published = rows.filter((key) => isPublished(key, now));
  for (const key of published) {
    consider(key.activatesAt);
    consider(key.deprecatesAt);
    consider(key.expiresAt);
  }
  for (const keys of bySigner(published).values()) {
    if (keys.some((key) => key.activatesAt > now)) continue;
    const current = latestActivation(keys.filter((key) => canSign(key, now)));
    if (!current) continue;
    const due = current.deprecatesAt - policy.activationDelayMs;
    consider(now < due ? due : now + successorPollMs(policy));
  }
  return next;
}

/**
 * The keys grouped by chain: who signs with them (a replica in per-replica mode, the cluster in shared
 * mode) and what they sign (access tokens or ID tokens); each chain rotates on its own.
 */
function bySigner(keys: readonly KeyRecord[]): Map<string, KeyRecord[]> {
  const groups = new Map<string, KeyRecord[]>();
  for (const key of keys) {
    const signer = `${key.owner ?? ''}/${key.purpose}`;
    groups.set(signer, [...(groups.get(signer) ?? []), key]);
  }
  return groups;
}
