import { createPublicKey, type KeyObject } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { JwksClient, type SigningKey } from 'jwks-rsa';
import { JWT_AUTH_CLOCK, JWT_AUTH_SETTINGS, MAX_KNOWN_KEYS } from '../jwt-auth.constants.js';
import { JwksUnreachableError, TokenInvalidError } from '../jwt-auth.errors.js';
import type { JwtAuthClock, JwtAuthSettings } from '../interfaces/jwt-auth-options.interface.js';
import { createJwksFetcher } from './jwks-fetcher.js';
import { JwksStatus } from './jwks-status.js';
import { KeySetRead } from './key-set-read.js';

export interface ResolvedKey {
  kid: string;
  /** The imported public key; the same object for as long as the published key is unchanged. */
  key: KeyObject;
  /** The JWK's `alg`, when it was published with one. */
  jwkAlg: string | undefined;
  /** The SPKI PEM jwks-rsa produced, kept to notice a changed key under the same `kid`. */
  pem: string;
}

/** An outage is logged at warn at most this often; the requests it fails are logged at debug. */
const OUTAGE_WARNING_INTERVAL_MS = 60_000;

/**
 * jwks-rsa errors that mean the key set was read and holds no usable key for the `kid` (fetch failures
 * are JwksFetchError, raised by our fetcher; a refetch refused by the rate limit is JwksRateLimitError).
 */
const KEY_SET_ANSWERS = new Set(['SigningKeyNotFoundError', 'JwksError']);

/**
 * Finds the public key of a `kid`. jwks-rsa caches keys per `kid`, rate-limits refetches on unknown
 * `kid`s, picks the key by `kid` and turns JWKs (RSA, EC and OKP/Ed25519) into SPKI PEM; the HTTP GET
 * is our `createJwksFetcher`. On top of jwks-rsa:
 * - the PEM is imported once per kid+PEM into a KeyObject, so requests do not re-parse it;
 * - the last good key of each `kid` is remembered. When the key set cannot be consulted (network
 *   error, timeout, non-2xx, bad JSON, or the refetch rate limit), a remembered key keeps working,
 *   however old. When the key set answers without the `kid`, the key is forgotten and refused;
 * - the latest key set read is kept, so `isConfirmed` can tell whether a key is still published
 *   (the verified-token cache trusts a cached token only while its key is).
 */
@Injectable()
export class SigningKeyResolver {
  private readonly logger = new Logger(SigningKeyResolver.name);
  private readonly client: JwksClient;
  private readonly known = new Map<string, ResolvedKey>();
  private readonly maxAgeMs: number;
  private lastRead: KeySetRead | undefined;
  private lastOutageWarning = Number.NEGATIVE_INFINITY;

  constructor(
    @Inject(JWT_AUTH_SETTINGS) settings: JwtAuthSettings,
    status: JwksStatus,
    @Inject(JWT_AUTH_CLOCK) private readonly clock: JwtAuthClock,
  ) {
    this.maxAgeMs = settings.jwksCacheMaxAge;
    const fetchJwks = createJwksFetcher(settings.jwksTimeout);
    this.client = new JwksClient({
      jwksUri: settings.jwksUri,
      cache: true,
      cacheMaxAge: settings.jwksCacheMaxAge,
      rateLimit: true,
      jwksRequestsPerMinute: settings.jwksRequestsPerMinute,
      fetcher: async (uri: string) => {
        const keySet = await fetchJwks(uri);
        status.recordFetch();
        this.lastRead = new KeySetRead(keySet.keys, this.clock());
        return keySet;
      },
    });
  }

  async resolve(kid: string): Promise<ResolvedKey> {
    let signingKey: SigningKey;
    try {
      signingKey = await this.client.getSigningKey(kid);
    } catch (error: unknown) {
      return this.whenLookupFailed(kid, error);
    }
    return this.remember(kid, signingKey);
  }

  /**
   * Whether `resolved` is the key this resolver holds for its `kid` AND the latest key set read, no
   * older than the JWKS cache age, publishes that very key under that `kid`. False after a read that
   * dropped or replaced the key, and once the cache age has passed since the last read (then only a
   * full lookup, which refetches, can confirm the key again).
   */
  isConfirmed(resolved: ResolvedKey): boolean {
    const read = this.lastRead;
    if (read === undefined) return false;
    const age = this.clock() - read.at;
    if (age < 0 || age >= this.maxAgeMs) return false;
    return this.known.get(resolved.kid) === resolved && read.publishes(resolved);
  }

  private remember(kid: string, signingKey: SigningKey): ResolvedKey {
    const pem = signingKey.getPublicKey();
    const jwkAlg = typeof signingKey.alg === 'string' ? signingKey.alg : undefined;
    const current = this.known.get(kid);
    if (current && current.pem === pem && current.jwkAlg === jwkAlg) return current;

    const resolved: ResolvedKey = { kid, key: createPublicKey(pem), jwkAlg, pem };
    this.known.delete(kid);
    this.known.set(kid, resolved);
    if (this.known.size > MAX_KNOWN_KEYS) {
      const oldest = this.known.keys().next().value;
      if (oldest !== undefined) this.known.delete(oldest);
    }
    return resolved;
  }

  private whenLookupFailed(kid: string, error: unknown): ResolvedKey {
    const name = error instanceof Error ? error.name : 'unknown error';
    if (KEY_SET_ANSWERS.has(name)) {
      this.known.delete(kid);
      throw new TokenInvalidError(`kid ${JSON.stringify(kid.slice(0, 64))} is not in the key set (${name})`);
    }

    if (name === 'JwksRateLimitError') {
      this.logger.debug('JWKS refetch rate limit reached; using last known keys only');
    } else if (performance.now() - this.lastOutageWarning > OUTAGE_WARNING_INTERVAL_MS) {
      this.lastOutageWarning = performance.now();
      const detail = error instanceof Error ? error.message : name;
      this.logger.warn(`JWKS endpoint cannot be consulted (${detail}); verifying with last known keys only`);
    }
    const lastKnown = this.known.get(kid);
    if (lastKnown) return lastKnown;
    throw new JwksUnreachableError(`key set not reachable (${name}) and kid is not known`);
  }
}
