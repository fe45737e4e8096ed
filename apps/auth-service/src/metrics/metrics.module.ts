import { type DynamicModule, Module } from '@nestjs/common';
import { KeysModule } from '../keys/keys.module.js';
import { AuthMetrics } from './auth-metrics.js';
import { MetricsController } from './metrics.controller.js';

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
