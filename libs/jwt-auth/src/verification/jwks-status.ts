import { Inject, Injectable } from '@nestjs/common';
import type { JwtAuthSettings } from '../interfaces/jwt-auth-options.interface.js';
import { JWT_AUTH_SETTINGS } from '../jwt-auth.constants.js';
import { createJwksFetcher } from './jwks-fetcher.js';

/** Whether this verifier has ever read the key set, for readiness checks; probes it when not. */
@Injectable()
export class JwksStatus {
  private fetched = false;

  constructor(@Inject(JWT_AUTH_SETTINGS) private readonly settings: JwtAuthSettings) {}

  /** Called by the key resolver after each successful JWKS fetch. */
  recordFetch(): void {
    this.fetched = true;
  }

  get everFetched(): boolean {
    return this.fetched;
  }

  /** Ready once the key set has been read; until then, fetches it now (throws JwksFetchError). */
  async ensureReachable(): Promise<void> {
    if (this.fetched) return;
    await createJwksFetcher(this.settings.jwksTimeout)(this.settings.jwksUri);
    this.recordFetch();
  }
}
