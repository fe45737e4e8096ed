import { Public } from '@app/jwt-auth';
import { createMetricsController } from '@app/observability';
import { type DynamicModule, Module } from '@nestjs/common';

/** Scraped without a token, like the probes. */
const MetricsController = createMetricsController({
  summary: 'Prometheus metrics (process, HTTP, verifications, JWKS fetches)',
  example: 'jwt_verifications_total{outcome="ok"} 42',
  decorators: [Public()],
});

/** GET /metrics; the counters themselves come from @app/observability (HTTP, verifier). */
@Module({})
export class MetricsModule {
  static forRoot(serve: boolean): DynamicModule {
    return { module: MetricsModule, controllers: serve ? [MetricsController] : [] };
  }
}
