import { Inject, Injectable } from '@nestjs/common';
import { Counter, type Registry } from 'prom-client';
import { METRICS_REGISTRY } from './metrics-registry.js';

/**
 * The verifier's counters: `jwt_verifications_total{outcome}` and `jwks_fetches_total{result}`.
 * Structurally the `JwtAuthMetrics` hook of `@app/jwt-auth` (pass it as the module's `metrics`
 * option); this library cannot import that one, and needs not.
 */
@Injectable()
export class VerifierMetrics {
  private readonly verifications: Counter<'outcome'>;
  private readonly fetches: Counter<'result'>;

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
  }

  verification(outcome: string): void {
    this.verifications.inc({ outcome });
  }

  jwksFetch(result: 'ok' | 'error'): void {
    this.fetches.inc({ result });
  }
}
