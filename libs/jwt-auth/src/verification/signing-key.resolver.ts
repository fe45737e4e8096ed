import { createPublicKey, type KeyObject } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { JwksClient, type SigningKey } from 'jwks-rsa';
import { JWT_AUTH_CLOCK, JWT_AUTH_SETTINGS, MAX_KNOWN_KEYS } from '../jwt-auth.constants.js';
import { JwksUnreachableError, TokenInvalidError } from '../jwt-auth.errors.js';
import type { JwtAuthClock, JwtAuthSettings } from '../interfaces/jwt-auth-options.interface.js';
import { createJwksFetcher } from './jwks-fetcher.js';
import { JwksStatus } from './jwks-status.js';

export interface ResolvedKey {
  kid: string;
  /** The imported public key; the same object for as long as the published key is unchanged. */
  key: KeyObject;
  /** The JWK's `alg`, when it was published with one. */
  jwkAlg: string | undefined;
  /** The SPKI PEM jwks-rsa produced, kept to notice a changed key under the same `kid`. */
  pem: string;
}

/** One successful read of the JWK set: every usable key by `kid`, and when (verifier clock, ms). */
interface KeySet {
  keys: ReadonlyMap<string, ResolvedKey>;
  readAt: number;
}

/** An outage is logged at warn at most this often; the requests it fails are logged at debug. */
const OUTAGE_WARNING_INTERVAL_MS = 60_000;
/** After a failed read, requests use the last key set for this long before the endpoint is tried again. */
export const READ_RETRY_AFTER_FAILURE_MS = 5_000;

/** jwks-rsa errors that mean the set was read but holds no usable signing key (an empty set, say). */
const EMPTY_SET_ANSWERS = new Set(['JwksError', 'SigningKeyNotFoundError']);

/**
 * Finds the public key of a `kid` in the issuer's JWK set. jwks-rsa (without its own cache and rate
 * limit) turns the JWKs (RSA, EC, OKP/Ed25519) into SPKI PEM; the HTTP GET is our `createJwksFetcher`.
 * The resolver keeps the whole set of the last read, each key imported once into a KeyObject:
 * - while the set is younger than the JWKS cache age, every `kid` it lists resolves without a fetch —
 *   including keys the issuer published before they sign, so a rotation costs no fetch at all;
 * - a `kid` the fresh set does not list makes it read the set again, at most
 *   `jwksRequestsPerMinute` times a minute; past that it is answered 503 (the set cannot be consulted);
 * - once the set is older than the cache age, the next request reads it again whatever the rate
 *   limit (a flood of made-up `kid`s cannot keep a revoked key alive), and a `kid` the new set no
 *   longer lists is refused: a revoked key is refused no later than the cache age after its removal;
 * - when the set cannot be read (network error, timeout, non-2xx, not a key set), the last set keeps
 *   working, however old; a `kid` it does not list is a 503. For known keys the endpoint is tried
 *   again after a few seconds, so an outage does not make every request wait for a timeout.
 * The clock is the verifier's (injected in tests), so cache ages are exact there.
 */
@Injectable()
export class SigningKeyResolver {
  private readonly logger = new Logger(SigningKeyResolver.name);
  private readonly client: JwksClient;
  private readonly maxAgeMs: number;
  private readonly readsPerMinute: number;
  private keySet: KeySet | undefined;
  private reading: Promise<KeySet> | undefined;
  private readonly unknownKidReads: number[] = [];
  private lastFailure = Number.NEGATIVE_INFINITY;
  private lastOutageWarning = Number.NEGATIVE_INFINITY;

  constructor(
    @Inject(JWT_AUTH_SETTINGS) settings: JwtAuthSettings,
    private readonly status: JwksStatus,
    @Inject(JWT_AUTH_CLOCK) private readonly clock: JwtAuthClock,
  ) {
    this.maxAgeMs = settings.jwksCacheMaxAge;
    this.readsPerMinute = settings.jwksRequestsPerMinute;
    const fetchJwks = createJwksFetcher(settings.jwksTimeout);
    this.client = new JwksClient({
      jwksUri: settings.jwksUri,
      cache: false,
      rateLimit: false,
      fetcher: async (uri: string) => {
        try {
          const keySet = await fetchJwks(uri);
          status.recordFetch();
          return keySet;
        } catch (error) {
          status.recordFetchFailure();
          throw error;
        }
      },
    });
  }

  async resolve(kid: string): Promise<ResolvedKey> {
    const current = this.keySet;
    if (current && this.isFresh(current)) {
      const known = current.keys.get(kid);
      if (known) return known;
      if (!this.mayReadForUnknownKid()) throw new JwksUnreachableError(`kid ${quote(kid)} is unknown and the JWKS refetch limit is reached`);
    } else if (current?.keys.has(kid) && performance.now() - this.lastFailure < READ_RETRY_AFTER_FAILURE_MS) {
      // The endpoint failed moments ago: known keys go on without every request waiting on it again.
      return this.fromLastSet(kid, 'the last read failed moments ago');
    }

    let read: KeySet;
    try {
      read = await this.read();
    } catch (error: unknown) {
      return this.fromLastSet(kid, error instanceof Error ? error.message : 'unknown error');
    }
    const key = read.keys.get(kid);
    if (!key) throw new TokenInvalidError(`kid ${quote(kid)} is not in the key set`);
    return key;
  }

  /**
   * Whether `resolved` is the very key the current set lists under its `kid`, and that set is younger
   * than the JWKS cache age: the verified-token cache serves a token only while its key is confirmed.
   */
  isConfirmed(resolved: ResolvedKey): boolean {
    const current = this.keySet;
    return current !== undefined && this.isFresh(current) && current.keys.get(resolved.kid) === resolved;
  }

  private isFresh(set: KeySet): boolean {
    const age = this.clock() - set.readAt;
    return age >= 0 && age < this.maxAgeMs;
  }

  /** Sliding one-minute window over the reads that unknown `kid`s caused. */
  private mayReadForUnknownKid(): boolean {
    const now = performance.now();
    while (this.unknownKidReads.length > 0 && now - this.unknownKidReads[0] >= 60_000) this.unknownKidReads.shift();
    if (this.unknownKidReads.length >= this.readsPerMinute) return false;
    this.unknownKidReads.push(now);
    return true;
  }

  /** One read at a time: concurrent requests share it. */
  private read(): Promise<KeySet> {
    this.reading ??= this.fetchKeySet().finally(() => {
      this.reading = undefined;
    });
    return this.reading;
  }

  private async fetchKeySet(): Promise<KeySet> {
    let signingKeys: SigningKey[];
    try {
      signingKeys = await this.client.getSigningKeys();
    } catch (error: unknown) {
      if (!(error instanceof Error) || !EMPTY_SET_ANSWERS.has(error.name)) {
        this.lastFailure = performance.now();
        throw error;
      }
      signingKeys = [];
    }
    const keys = new Map<string, ResolvedKey>();
    for (const signingKey of signingKeys) {
      if (typeof signingKey.kid !== 'string' || keys.has(signingKey.kid)) continue;
      if (keys.size >= MAX_KNOWN_KEYS) {
        this.logger.warn(`the key set lists more than ${MAX_KNOWN_KEYS} keys; the rest are ignored`);
        break;
      }
      keys.set(signingKey.kid, this.imported(signingKey));
    }
    this.keySet = { keys, readAt: this.clock() };
    return this.keySet;
  }

  /** The previous ResolvedKey when the kid still names the same key and alg, so imports happen once per key. */
  private imported(signingKey: SigningKey): ResolvedKey {
    const kid = signingKey.kid;
    const pem = signingKey.getPublicKey();
    const jwkAlg = typeof signingKey.alg === 'string' ? signingKey.alg : undefined;
    const previous = this.keySet?.keys.get(kid);
    if (previous && previous.pem === pem && previous.jwkAlg === jwkAlg) return previous;
    return { kid, key: createPublicKey(pem), jwkAlg, pem };
  }

  private fromLastSet(kid: string, reason: string): ResolvedKey {
    if (performance.now() - this.lastOutageWarning > OUTAGE_WARNING_INTERVAL_MS) {
      this.lastOutageWarning = performance.now();
      this.logger.warn(`JWKS endpoint cannot be consulted (${reason}); verifying with last known keys only`);
    }
    const lastKnown = this.keySet?.keys.get(kid);
    if (lastKnown) return lastKnown;
    throw new JwksUnreachableError(`key set not reachable and kid ${quote(kid)} is not known`);
  }
}

function quote(kid: string): string {
  return JSON.stringify(kid.slice(0, 64));
}
