import type { Clock } from '../../time/clock.js';
import type { Database } from '../../database/database.js';
import { canSign, keyState, latestActivation, type KeyRecord, type KeyState } from './key-record.js';
import { keyRepository } from './key.repository.js';
import { publicationMargin, type RotationPolicy } from './rotation-plan.js';

export interface ListedKey extends KeyRecord {
  state: KeyState;
}

/**
 * Operator actions on the shared key table (`npm run cli -- keys ...`). They write the table only;
 * running replicas pick the change up at their next sync (KEY_SYNC_INTERVAL), and verifiers drop a
 * revoked key when their JWKS cache expires. Each action runs under the database-wide lock, so it
 * never interleaves with a replica's rotation.
 */
export class KeyAdmin {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly policy: RotationPolicy,
  ) {}

  async list(): Promise<ListedKey[]> {
    const now = this.clock.now();
    return (await keyRepository.all(this.db)).map((key) => ({ ...key, state: keyState(key, now) }));
  }

  /**
   * Rotates early: each signing key (the cluster's, or each replica's; the access-token key and the
   * ID-token key alike) stops signing one activation delay from now, and its replica pre-publishes the
   * successor at its next sync. A rotation already scheduled (a pending key) is left as it is. Returns
   * one line per chain.
   */
  async rotate(): Promise<string[]> {
    return this.db.exclusive(async (tx) => {
      const now = this.clock.now();
      const keys = await keyRepository.all(tx);
      const lines: string[] = [];
      const chains = new Map(keys.map((key) => [`${key.owner ?? ''}/${key.purpose}`, { owner: key.owner, purpose: key.purpose }]));
      for (const { owner, purpose } of chains.values()) {
        const own = keys.filter((key) => key.owner === owner && key.purpose === purpose && key.revokedAt === undefined);
        const who = `${owner === undefined ? 'cluster' : `replica ${owner.slice(0, 8)}`}${purpose === 'id_token' ? ' (ID tokens)' : ''}`;
        const current = latestActivation(own.filter((key) => canSign(key, now)));
        if (!current) continue;
        const pending = latestActivation(own.filter((key) => key.activatesAt > now && now < key.expiresAt));
        if (pending) {
          lines.push(`${who}: already rotating: ${pending.kid} signs from ${iso(pending.activatesAt)}`);
          continue;
        }
        const stopsAt = Math.min(current.deprecatesAt, now + this.policy.activationDelayMs);
        await keyRepository.reschedule(tx, current.kid, {
          activatesAt: current.activatesAt,
          deprecatesAt: stopsAt,
          expiresAt: Math.max(current.expiresAt, stopsAt + publicationMargin(this.policy)),
        });
        lines.push(`${who}: ${current.kid} stops signing at ${iso(stopsAt)}; its successor is published at the next sync`);
      }
      if (lines.length === 0) lines.push('no key signs now; a running replica creates one at its next sync');
      return lines;
    });
  }

  /** Revokes one key: it leaves the JWKS and stops signing at the next sync. False when no such key is unrevoked. */
  async revoke(kid: string): Promise<boolean> {
    return this.db.exclusive(async (tx) => (await keyRepository.revoke(tx, kid, this.clock.now())) > 0);
  }

  /** Revokes every published key (compromise of the key store): every token issued so far stops verifying. */
  async revokeAll(): Promise<number> {
    return this.db.exclusive((tx) => keyRepository.revokeAllPublished(tx, this.clock.now()));
  }

  /** Deletes the rows of expired and revoked keys, which no JWKS lists any more. */
  async purge(): Promise<number> {
    return this.db.exclusive((tx) => keyRepository.purge(tx, this.clock.now()));
  }
}

export function iso(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}
