export {
  LOG_LEVELS,
  loadObservabilityConfig,
  type InvalidSetting,
  type LogFormat,
  type LogLevel,
  type ObservabilityConfig,
} from './config/observability.config.js';
export type { HttpTimeouts } from './config/http-timeouts.config.js';
export { ObservabilityModule } from './observability.module.js';
export type { ObservabilityModuleOptions } from './observability.options.js';
export { loggerParams, type LogDestination } from './logging/logger-options.js';
export { REDACTED, REDACTED_PATHS } from './logging/redaction.js';
export { REQUEST_ID_HEADER, requestIdOf } from './logging/request-id.js';
export { METRICS_REGISTRY } from './metrics/metrics-registry.js';
export { createMetricsController, type MetricsControllerOptions } from './metrics/metrics.controller.js';
export { HttpMetrics, UNMATCHED_ROUTE, type HttpSample, type HttpSampleListener } from './metrics/http-metrics.js';
export { VerifierMetrics } from './metrics/verifier-metrics.js';
export { ShutdownState } from './shutdown/shutdown-state.js';
export { ApiErrorResponses, API_DOCS_PATH, BEARER_SCHEME, createApiDocument, type ApiDocsInfo } from './http/api-docs.js';
export { configureHttpApp, createFastifyAdapter, nestLoggingOptions, type HttpAppSetup, type NestLoggerOption } from './http/configure-app.js';
export { answerHealth, ApiHealthResponses, shutdownIndicator } from './shutdown/shutdown.indicator.js';
