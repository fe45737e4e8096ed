import { type DynamicModule, Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller.js';

/** GET /metrics; the counters themselves come from @app/observability (HTTP, verifier). */
@Module({})
export class MetricsModule {
  static forRoot(serve: boolean): DynamicModule {
    return { module: MetricsModule, controllers: serve ? [MetricsController] : [] };
  }
}
