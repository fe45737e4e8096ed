import type { ObservabilityConfig } from './config/observability.config.js';
import type { LogDestination } from './logging/logger-options.js';

export interface ObservabilityModuleOptions {
  /** The service name on every log line (`service`) and in the API docs. */
  service: string;
  config: ObservabilityConfig;
  /** Default stdout; tests pass a stream to read the lines, or `silent`. */
  logs?: LogDestination;
  /** Also provide `VerifierMetrics` (services that verify tokens with @app/jwt-auth). */
  verifier?: boolean;
}

export const OBSERVABILITY_OPTIONS = Symbol('OBSERVABILITY_OPTIONS');
