import { Inject, Injectable } from '@nestjs/common';
import { Counter, Gauge, type Registry } from 'prom-client';
import { METRICS_REGISTRY } from './metrics-registry.js';

/**
 * The verifier's counters: `jwt_verifications_total{outcome}`, `jwks_fetches_total{result}`,
 * `revocation_feed_polls_total{result}`, and the gauge `revocation_feed_age_seconds`.
 * Structurally the `JwtAuthMetrics` hook of `@app/jwt-auth` (pass it as the module's `metrics`
 * option); this library cannot import that one, and needs not.
 */
@Injectable()
export class VerifierMetrics {
  private readonly verifications: Counter<'outcome'>;
  private readonly fetches: Counter<'result'>;
  private readonly feedPolls: Counter<'result'>;
  private readonly feedAge: Gauge;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    this.verifications = new Counter({
      name: 'jwt_verifications_total',
      help: 'Bearer token checks on protected routes, by outcome (ok, expired, invalid_signature, unknown_kid, ...)',
      labelNames: ['outcome'],
      registers: [registry],
    });
    this.fetches = new Counter({
      name: 'jwks_fetches_total',
      help: 'JWKS downloads by result (ok, error)',
      labelNames: ['result'],
      registers: [registry],
    });
    for (const result of ['ok', 'error']) this.fetches.inc({ result }, 0);
    this.feedPolls = new Counter({
      name: 'revocation_feed_polls_total',
      help: 'Polls of the revocation feed by result (ok: new entries read, not_modified: 304, error: unreadable, the last list kept)',
      labelNames: ['result'],
      registers: [registry],
    });
    for (const result of ['ok', 'not_modified', 'error']) this.feedPolls.inc({ result }, 0);
    this.feedAge = new Gauge({
      name: 'revocation_feed_age_seconds',
      help: 'How old the revocation list in force is: 0 after a good poll, growing while the feed cannot be read',
      registers: [registry],
    });
  }

  verification(outcome: string): void {
    this.verifications.inc({ outcome });
  }

  jwksFetch(result: 'ok' | 'error'): void {
    this.fetches.inc({ result });
  }

  revocationFeed(result: 'ok' | 'not_modified' | 'error', ageSeconds: number): void {
    this.feedPolls.inc({ result });
    this.feedAge.set(ageSeconds);
  }
}
