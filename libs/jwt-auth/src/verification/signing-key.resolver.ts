import { Inject, Injectable, Logger } from '@nestjs/common';
import { JWT_AUTH_CLOCK, JWT_AUTH_SETTINGS, MAX_KNOWN_KEYS } from '../jwt-auth.constants.js';
import { JwksUnreachableError, TokenInvalidError } from '../jwt-auth.errors.js';
import type { JwtAuthClock, JwtAuthSettings } from '../interfaces/jwt-auth-options.interface.js';
import { createJwksFetcher, type JwksFetcher } from './jwks-fetcher.js';
import { JwksStatus } from './jwks-status.js';
import { importKeySet, type ResolvedKey } from './key-set-import.js';
import { RefetchBudget } from './refetch-budget.js';

export type { ResolvedKey } from './key-set-import.js';

/** One successful read of the JWK set: the usable keys by `kid`, and when (verifier clock, ms). */
interface KeySet {
  keys: ReadonlyMap<string, ResolvedKey>;
  readAt: number;
}

/** A warning (outage, oversized set) is logged at most this often; refused requests at debug. */
const WARNING_INTERVAL_MS = 60_000;
/** After a failed read, known keys come from the last set for this long before the endpoint is tried again. */
export const READ_RETRY_AFTER_FAILURE_MS = 5_000;
/** Kids of requests waiting on one read that are kept first when the set is too big (the rest still resolve if kept). */
const MAX_WANTED_KIDS = MAX_KNOWN_KEYS;

/**
 * Finds the public key of a `kid` in the issuer's JWK set (docs/security-model.md, "Key retrieval").
 * It keeps the whole usable set of its last good read, each key imported once:
 * - while the set is younger than the JWKS cache age, every `kid` it lists resolves without a fetch;
 * - a `kid` the fresh set does not list starts a read if the refetch budget allows (RefetchBudget:
 *   `jwksRequestsPerMinute` deep, one more every 60 s / that number), or joins the read in flight;
 *   otherwise it is a 401: a fresh set is authoritative;
 * - once the set is older than the cache age, the next request reads it again whatever the budget
 *   (a flood of made-up `kid`s cannot keep a revoked key alive), and a `kid` it no longer lists is refused;
 * - when a read fails (network, timeout, redirect, non-2xx, body too big, not a key set) the last good
 *   set keeps working, however old. For `READ_RETRY_AFTER_FAILURE_MS` after a failure, known keys are
 *   answered from it without a fetch, and unknown `kid`s start one only within the budget; an unknown
 *   `kid` that cannot be checked is a 503.
 * One read at a time, shared by concurrent requests. Every age and interval is on the injected clock.
 */
@Injectable()
export class SigningKeyResolver {
  private readonly logger = new Logger(SigningKeyResolver.name);
  private readonly fetchJwks: JwksFetcher;
  private readonly budget: RefetchBudget;
  private keySet: KeySet | undefined;
  private reading: Promise<KeySet> | undefined;
  /** Kids that requests waiting on the current read look for. */
  private readonly wanted = new Set<string>();
  /** Kids handed out since they were last read: kept first by the next read while listed. */
  private readonly inUse = new Set<string>();
  private lastFailure = Number.NEGATIVE_INFINITY;
  private readonly lastWarning = { outage: Number.NEGATIVE_INFINITY, oversized: Number.NEGATIVE_INFINITY };

  constructor(
    @Inject(JWT_AUTH_SETTINGS) private readonly settings: JwtAuthSettings,
    private readonly status: JwksStatus,
    @Inject(JWT_AUTH_CLOCK) private readonly clock: JwtAuthClock,
  ) {
    this.fetchJwks = createJwksFetcher({ timeoutMs: settings.jwksTimeout, maxBytes: settings.jwksMaxBytes });
    this.budget = new RefetchBudget(settings.jwksRequestsPerMinute, clock);
  }

  /** The key of `kid` when the key set is younger than the cache age and lists it (no read needed), else undefined: then `resolve`. */
  known(kid: string): ResolvedKey | undefined {
    const current = this.keySet;
    if (!current || !within(current.readAt, this.settings.jwksCacheMaxAge, this.clock())) return undefined;
    const known = current.keys.get(kid);
    return known && this.handOut(known);
  }

  async resolve(kid: string): Promise<ResolvedKey> {
    const now = this.clock();
    const current = this.keySet;
    if (current && within(current.readAt, this.settings.jwksCacheMaxAge, now)) {
      const known = current.keys.get(kid);
      if (known) return this.handOut(known);
      if (!this.reading && !this.budget.tryTake()) {
        throw new TokenInvalidError(`kid ${quote(kid)} is not in the key set; next refetch in ${this.budget.msUntilNext()} ms`);
      }
    } else if (within(this.lastFailure, READ_RETRY_AFTER_FAILURE_MS, now)) {
      // The endpoint failed moments ago: known keys go on without every request waiting on it again.
      if (current?.keys.has(kid) || (!this.reading && !this.budget.tryTake())) return this.fromLastSet(kid, 'the last read failed moments ago');
    }

    let read: KeySet;
    try {
      read = await this.read(kid);
    } catch (error: unknown) {
      return this.fromLastSet(kid, error instanceof Error ? error.message : 'unknown error');
    }
    const key = read.keys.get(kid);
    if (!key) throw new TokenInvalidError(`kid ${quote(kid)} is not in the key set`);
    return this.handOut(key);
  }

  /**
   * Whether `resolved` is the very key the current set lists under its `kid`, and that set is younger
   * than the JWKS cache age: the verified-token cache serves a token only while its key is confirmed.
   */
  isConfirmed(resolved: ResolvedKey): boolean {
    const current = this.keySet;
    return current !== undefined && within(current.readAt, this.settings.jwksCacheMaxAge, this.clock()) && current.keys.get(resolved.kid) === resolved;
  }

  private handOut(key: ResolvedKey): ResolvedKey {
    this.inUse.add(key.kid);
    return key;
  }

  /** One read at a time: concurrent requests share it, and the kids they wait for are kept first. */
  private read(kid: string): Promise<KeySet> {
    if (this.wanted.size < MAX_WANTED_KIDS) this.wanted.add(kid);
    this.reading ??= this.fetchKeySet().finally(() => {
      this.reading = undefined;
    });
    return this.reading;
  }

  private async fetchKeySet(): Promise<KeySet> {
    let document: { keys: unknown[] };
    try {
      document = await this.fetchJwks(this.settings.jwksUri);
    } catch (error: unknown) {
      this.wanted.clear();
      this.lastFailure = this.clock();
      this.status.recordFetchFailure();
      throw error;
    }
    this.status.recordFetch();
    const imported = importKeySet(document.keys, {
      algorithms: this.settings.algorithms,
      priority: [...this.inUse, ...this.wanted],
      previous: this.keySet?.keys,
      maxKeys: MAX_KNOWN_KEYS,
    });
    this.wanted.clear();
    for (const kid of this.inUse) if (!imported.keys.has(kid)) this.inUse.delete(kid);
    const ignored = imported.usable - imported.keys.size;
    if (ignored > 0 && this.mayWarn('oversized')) {
      this.logger.warn(
        `the key set lists ${document.keys.length} entries, ${imported.usable} usable; ${imported.keys.size} kept (keys in use first, at most ${MAX_KNOWN_KEYS}), ${imported.unimportable} not importable, the rest ignored`,
      );
    }
    this.lastFailure = Number.NEGATIVE_INFINITY;
    this.keySet = { keys: imported.keys, readAt: this.clock() };
    return this.keySet;
  }

  private fromLastSet(kid: string, reason: string): ResolvedKey {
    if (this.mayWarn('outage')) this.logger.warn(`JWKS endpoint cannot be consulted (${reason}); verifying with last known keys only`);
    const lastKnown = this.keySet?.keys.get(kid);
    if (lastKnown) return lastKnown;
    throw new JwksUnreachableError(`key set not reachable and kid ${quote(kid)} is not known (${reason})`);
  }

  private mayWarn(kind: 'outage' | 'oversized'): boolean {
    const now = this.clock();
    if (within(this.lastWarning[kind], WARNING_INTERVAL_MS, now)) return false;
    this.lastWarning[kind] = now;
    return true;
  }
}

/** Whether `now` is less than `durationMs` after `since`; a clock set back before `since` ends it. */
function within(since: number, durationMs: number, now: number): boolean {
  const age = now - since;
  return age >= 0 && age < durationMs;
}

function quote(kid: string): string {
  return JSON.stringify(kid.slice(0, 64));
}
