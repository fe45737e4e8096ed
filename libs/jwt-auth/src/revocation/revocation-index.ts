import type { AuthenticatedCaller } from '@app/contracts';

/** One entry of the issuer's revocation feed, as read (times are NumericDates, seconds). */
export interface RevocationEntry {
  type: 'sid' | 'jti' | 'client_id';
  value: string;
  revoked_at: number;
  expires_at: number;
}

interface ClientRevocation {
  revokedAt: number;
  expiresAt: number;
}

/**
 * The live entries of the revocation feed as three hash maps, so that a request costs at most three
 * O(1) lookups whatever the number of entries. A `client_id` entry refuses that client's tokens
 * issued (`iat`) before its `revoked_at`; several entries of one client keep the latest time.
 */
export class RevocationIndex {
  private sids = new Map<string, number>();
  private jtis = new Map<string, number>();
  private clients = new Map<string, ClientRevocation>();

  get size(): number {
    return this.sids.size + this.jtis.size + this.clients.size;
  }

  /** A full answer: the feed's whole list replaces ours. */
  replace(entries: readonly RevocationEntry[]): void {
    this.sids = new Map();
    this.jtis = new Map();
    this.clients = new Map();
    this.add(entries);
  }

  /** An incremental answer: new entries join the list. */
  add(entries: readonly RevocationEntry[]): void {
    for (const entry of entries) {
      if (entry.type === 'sid') this.sids.set(entry.value, Math.max(entry.expires_at, this.sids.get(entry.value) ?? 0));
      else if (entry.type === 'jti') this.jtis.set(entry.value, Math.max(entry.expires_at, this.jtis.get(entry.value) ?? 0));
      else {
        const known = this.clients.get(entry.value);
        this.clients.set(entry.value, {
          revokedAt: Math.max(entry.revoked_at, known?.revokedAt ?? 0),
          expiresAt: Math.max(entry.expires_at, known?.expiresAt ?? 0),
        });
      }
    }
  }

  /** Drops entries past their `expires_at` (seconds): every token they could refuse has expired. */
  prune(nowSeconds: number): void {
    for (const map of [this.sids, this.jtis]) for (const [value, expiresAt] of map) if (expiresAt <= nowSeconds) map.delete(value);
    for (const [value, { expiresAt }] of this.clients) if (expiresAt <= nowSeconds) this.clients.delete(value);
  }

  /** Why the caller's token is revoked, for the debug log; undefined when it is not. */
  reasonFor(caller: AuthenticatedCaller): string | undefined {
    if (this.jtis.has(caller.tokenId)) return 'its jti is listed';
    if ('sessionId' in caller && caller.sessionId !== undefined && this.sids.has(caller.sessionId)) return 'its session (sid) is listed';
    if (caller.clientId === undefined) return undefined;
    const client = this.clients.get(caller.clientId);
    // A token without `iat` cannot show it came after the revocation.
    if (client && (caller.issuedAt === undefined || caller.issuedAt < client.revokedAt)) return 'its client was revoked after it was issued';
    return undefined;
  }
}
