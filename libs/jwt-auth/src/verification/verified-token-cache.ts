import { Inject, Injectable } from '@nestjs/common';
import type { JWTPayload } from 'jose';
import type { AuthenticatedUser } from '@app/contracts';
import { JWT_AUTH_CLOCK, JWT_AUTH_SETTINGS } from '../jwt-auth.constants.js';
import type { JwtAuthClock, JwtAuthSettings } from '../interfaces/jwt-auth-options.interface.js';
import { SigningKeyResolver, type ResolvedKey } from './signing-key.resolver.js';

interface Entry {
  user: AuthenticatedUser;
  key: ResolvedKey;
  /** `nbf` and `exp` in clock milliseconds: a hit needs notBefore <= now < expires, no tolerance. */
  notBefore: number;
  expires: number;
}

/**
 * Remembers tokens that passed full verification, so the same token seen again skips the header
 * checks, the key lookup and the signature check. Safe because a hit needs all of:
 * - the exact token string (the Map key is the whole compact JWS: any other byte is another token);
 * - `nbf <= now < exp` on the verifier's clock, with no tolerance, so a cached token is never
 *   accepted where full verification would refuse it (tokens accepted only thanks to the clock
 *   tolerance are not cached at all);
 * - its signing key still confirmed by the key set (`SigningKeyResolver.isConfirmed`): the latest
 *   JWKS read, no older than the JWKS cache age, lists that `kid` with that very key. A read that
 *   drops or replaces the key ends every hit at once; otherwise a revoked key's tokens fall back to
 *   full verification, which refetches, once the cache age has passed: the same bound as without
 *   this cache.
 * Only successes are stored; a refused token is verified (and refused) again each time.
 * Bounded: at most `verifiedTokenCacheSize` entries, the oldest inserted dropped first; 0 disables it.
 */
@Injectable()
export class VerifiedTokenCache {
  private readonly entries = new Map<string, Entry>();
  private readonly capacity: number;

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
  get(token: string): AuthenticatedUser | undefined {
    const entry = this.entries.get(token);
    if (entry === undefined) return undefined;
    const now = this.clock();
    if (now < entry.notBefore || now >= entry.expires || !this.keys.isConfirmed(entry.key)) {
      this.entries.delete(token);
      return undefined;
    }
    return { ...entry.user, scopes: [...entry.user.scopes] };
  }

  /** Stores a token that just passed full verification with `key`, when it may be served later. */
  remember(token: string, user: AuthenticatedUser, key: ResolvedKey, payload: JWTPayload): void {
    if (this.capacity === 0 || typeof payload.exp !== 'number' || typeof payload.nbf !== 'number') return;
    const copy = { ...user, scopes: [...user.scopes] };
    const entry: Entry = { user: copy, key, notBefore: payload.nbf * 1000, expires: payload.exp * 1000 };
    const now = this.clock();
    if (now < entry.notBefore || now >= entry.expires || !this.keys.isConfirmed(key)) return;
    this.entries.delete(token);
    while (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(token, entry);
  }
}
