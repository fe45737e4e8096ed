import { Inject, Injectable } from '@nestjs/common';
import type { JwtAuthMetrics } from '../interfaces/jwt-auth-metrics.interface.js';
import type { JwtAuthSettings } from '../interfaces/jwt-auth-options.interface.js';
import { JWT_AUTH_METRICS, JWT_AUTH_SETTINGS } from '../jwt-auth.constants.js';
import { createJwksFetcher } from './jwks-fetcher.js';

/**
 * Whether this verifier has ever read the key set, for readiness checks; probes it when not.
 * Every fetch result goes to the `metrics` hook.
 */
@Injectable()
export class JwksStatus {
  private fetched = false;

  constructor(
    @Inject(JWT_AUTH_SETTINGS) private readonly settings: JwtAuthSettings,
    @Inject(JWT_AUTH_METRICS) private readonly metrics: JwtAuthMetrics,
  ) {}

  /** Called by the key resolver after each successful JWKS fetch. */
  recordFetch(): void {
    this.fetched = true;
    this.metrics.jwksFetch('ok');
  }

  /** A JWKS fetch failed (network, timeout, redirect, non-2xx, body too big, not a key set). */
  recordFetchFailure(): void {
    this.metrics.jwksFetch('error');
  }

  get everFetched(): boolean {
    return this.fetched;
  }

  /** Ready once the key set has been read; until then, fetches it now (throws JwksFetchError). */
  async ensureReachable(): Promise<void> {
    if (this.fetched) return;
    try {
      await createJwksFetcher({ timeoutMs: this.settings.jwksTimeout, maxBytes: this.settings.jwksMaxBytes })(this.settings.jwksUri);
    } catch (error: unknown) {
      this.recordFetchFailure();
      throw error;
    }
    this.recordFetch();
  }
}
