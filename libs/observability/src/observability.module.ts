import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { loggerParams } from './logging/logger-options.js';
import { HttpMetrics } from './metrics/http-metrics.js';
import { createMetricsRegistry, METRICS_REGISTRY } from './metrics/metrics-registry.js';
import { VerifierMetrics } from './metrics/verifier-metrics.js';
import { OBSERVABILITY_OPTIONS, type ObservabilityModuleOptions } from './observability.options.js';
import { ShutdownState } from './shutdown/shutdown-state.js';

/**
 * Logging (nestjs-pino), the metrics registry and HTTP metrics, and the shutdown state, global to
 * the service. Import it once, in the root module; `configureHttpApp` (in the app factory) wires
 * the parts that live on the fastify instance.
 */
@Module({})
export class ObservabilityModule {
  static forRoot(options: ObservabilityModuleOptions): DynamicModule {
    const providers: Provider[] = [
      { provide: OBSERVABILITY_OPTIONS, useValue: options },
      { provide: METRICS_REGISTRY, useFactory: () => createMetricsRegistry(options.config.metrics) },
      HttpMetrics,
      ShutdownState,
      ...(options.verifier ? [VerifierMetrics] : []),
    ];
    return {
      module: ObservabilityModule,
      global: true,
      imports: [LoggerModule.forRoot(loggerParams(options.config, options.service, options.logs))],
      providers,
      exports: providers,
    };
  }
}
