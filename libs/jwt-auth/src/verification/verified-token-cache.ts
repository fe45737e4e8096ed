import { Inject, Injectable } from '@nestjs/common';
import type { JWTPayload } from 'jose';
import { hash } from 'node:crypto';
import type { AuthenticatedCaller } from '@app/contracts';
import { JWT_AUTH_CLOCK, JWT_AUTH_SETTINGS } from '../jwt-auth.constants.js';
import type { JwtAuthClock, JwtAuthSettings } from '../interfaces/jwt-auth-options.interface.js';
import { SigningKeyResolver, type ResolvedKey } from './signing-key.resolver.js';

interface Entry {
  /** SHA-256 of the whole compact JWS; a lookup hits only when the presented token's digest equals it. */
  digest: string;
  user: AuthenticatedCaller;
  key: ResolvedKey;
  /** `nbf` and `exp` in clock milliseconds: a hit needs notBefore <= now < expires, no tolerance. */
  notBefore: number;
  expires: number;
}

/**
 * Entries are found by the token's last 12 characters (the end of its signature; a substring this
 * short is a copy in V8, so it does not keep the request's header alive) and hit only when the
 * SHA-256 of the whole presented token equals the stored one. An entry keeps 32 bytes of digest
 * instead of the ~900-character token, about half of its memory; a miss costs no hash at all
 * (docs/performance.md, "Memory").
 */
const INDEX_LENGTH = 12;

function digestOf(token: string): string {
  return hash('sha256', token, 'binary');
}

/** How often, at most, `remember` drops every entry whose `exp` has passed (clock milliseconds). */
const SWEEP_INTERVAL_MS = 60_000;

function indexOf(token: string): string {
  return token.length > INDEX_LENGTH ? token.slice(-INDEX_LENGTH) : token;
}

/**
 * The keys of a Map or Set oldest first, from one iterator kept across calls: a Map or Set iterator
 * is live (it skips deleted keys and reaches keys added after it was made), and every key before its
 * position has been taken and deleted, so its next key is the oldest one left. A new iterator per
 * eviction would walk the deleted slots at the front of the table each time: ~10 µs an eviction at
 * 10,000 entries instead of ~0.3 µs (docs/performance.md "The cold path").
 */
class OldestFirst<K> {
  private order?: Iterator<K>;

  constructor(private readonly keys: () => Iterator<K>) {}

  /** The oldest key; call only while the collection is not empty, and delete the key it gives. */
  take(): K {
    let next = this.order?.next();
    if (next === undefined || next.done) {
      this.order = this.keys();
      next = this.order.next();
    }
    return next.value as K;
  }
}

/**
 * Remembers tokens that passed full verification, so the same token seen again skips the header
 * checks, the key lookup and the signature check. Safe because a hit needs all of:
 * - the exact token (its SHA-256 compared: another token with the same digest would be a SHA-256
 *   second preimage);
 * - `nbf <= now < exp` on the verifier's clock, with no tolerance, so a cached token is never
 *   accepted where full verification would refuse it (tokens accepted only thanks to the clock
 *   tolerance are not cached at all);
 * - its signing key still confirmed by the key set (`SigningKeyResolver.isConfirmed`): the latest
 *   JWKS read, no older than the JWKS cache age, lists that `kid` with that very key. A read that
 *   drops or replaces the key ends every hit at once; otherwise a revoked key's tokens fall back to
 *   full verification, which refetches, once the cache age has passed: the same bound as without
 *   this cache.
 * Only successes are stored; a refused token is verified (and refused) again each time.
 * A token is stored at its second full verification: the first only notes its index (`seenOnce`, as
 * bounded as the entries). A flood of tokens each seen once (many users, a scan) then costs no entry,
 * no digest, and no old-generation garbage a major GC must mark (docs/performance.md "The cold path");
 * a token that comes back is verified once more than before, then served from the cache.
 * Bounded: at most `verifiedTokenCacheSize` entries, the oldest inserted dropped first; 0 disables it.
 * Only a token with finite `nbf`/`exp` is stored (the verifier refuses others anyway), and an entry
 * does not outlive its `exp` by more than a minute of traffic: `remember` drops every expired entry
 * at most once a minute, besides `get` dropping an expired entry it finds.
 */
@Injectable()
export class VerifiedTokenCache {
  private readonly entries = new Map<string, Entry>();
  private readonly oldestEntry = new OldestFirst(() => this.entries.keys());
  /** Indexes of tokens verified once and not stored (yet). */
  private readonly seenOnce = new Set<string>();
  private readonly oldestSeen = new OldestFirst(() => this.seenOnce.values());
  private readonly capacity: number;
  private lastSweep = Number.NEGATIVE_INFINITY;

  constructor(
    @Inject(JWT_AUTH_SETTINGS) settings: JwtAuthSettings,
    @Inject(JWT_AUTH_CLOCK) private readonly clock: JwtAuthClock,
    private readonly keys: SigningKeyResolver,
  ) {
    this.capacity = settings.verifiedTokenCacheSize;
  }

  get size(): number {
    return this.entries.size;
  }

  /** A copy of the cached user of `token` when every condition above holds; otherwise forgets it. */
  get(token: string): AuthenticatedCaller | undefined {
    const index = indexOf(token);
    const entry = this.entries.get(index);
    if (entry === undefined || entry.digest !== digestOf(token)) return undefined;
    const now = this.clock();
    if (now < entry.notBefore || now >= entry.expires || !this.keys.isConfirmed(entry.key)) {
      this.entries.delete(index);
      return undefined;
    }
    return { ...entry.user, scopes: [...entry.user.scopes] };
  }

  /** Stores a token that just passed full verification with `key`, when it may be served later. */
  remember(token: string, user: AuthenticatedCaller, key: ResolvedKey, payload: JWTPayload): void {
    if (this.capacity === 0 || !isFiniteNumber(payload.exp) || !isFiniteNumber(payload.nbf)) return;
    const notBefore = payload.nbf * 1000;
    const expires = payload.exp * 1000;
    const now = this.clock();
    if (now < notBefore || now >= expires || !this.keys.isConfirmed(key)) return;
    const index = indexOf(token);
    if (!this.seenBefore(index)) return;
    this.sweepExpired(now);
    const entry: Entry = { digest: digestOf(token), user: { ...user, scopes: [...user.scopes] }, key, notBefore, expires };
    this.entries.delete(index);
    while (this.entries.size >= this.capacity) this.entries.delete(this.oldestEntry.take());
    this.entries.set(index, entry);
  }

  /**
   * True when a token with this index was verified once already (and is no longer noted); otherwise
   * notes it, dropping the oldest note beyond the cache's size. Two tokens that share an index only
   * get one stored a verification early: a hit still needs the whole token's digest.
   */
  private seenBefore(index: string): boolean {
    if (this.seenOnce.delete(index)) return true;
    while (this.seenOnce.size >= this.capacity) this.seenOnce.delete(this.oldestSeen.take());
    this.seenOnce.add(index);
    return false;
  }

  private sweepExpired(now: number): void {
    if (now - this.lastSweep < SWEEP_INTERVAL_MS) return;
    this.lastSweep = now;
    for (const [index, entry] of this.entries) if (now >= entry.expires) this.entries.delete(index);
  }
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}
