import { createMetricsController } from '@app/observability';
import { type DynamicModule, Module } from '@nestjs/common';
import { KeysModule } from '../keys/keys.module.js';
import { AuthMetrics } from './auth-metrics.js';

const MetricsController = createMetricsController({
  summary: 'Prometheus metrics (process, HTTP, logins, tokens, keys)',
  example: 'auth_logins_total{outcome="success"} 3',
});

/** The auth-service's metrics (global, so sessions and keys code can count too) and GET /metrics. */
@Module({})
export class MetricsModule {
  static forRoot(serve: boolean): DynamicModule {
    return {
      module: MetricsModule,
      global: true,
      imports: [KeysModule],
      controllers: serve ? [MetricsController] : [],
      providers: [AuthMetrics],
      exports: [AuthMetrics],
    };
  }
}
