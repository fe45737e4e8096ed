import { boolean, defineNamespace, duration, type Environment, isProduction, list, oneOf, setting } from '@app/config';
import { readMetricsToken } from '../metrics/metrics-token.js';
import { type HttpTimeouts, readHttpTimeouts } from './http-timeouts.config.js';

/** pino's levels; `debug` shows the verifier's refusal reasons, `silent` turns logging off. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export type LogFormat = 'json' | 'pretty';

/** The operational settings both services share (the `observability` config namespace). */
export interface ObservabilityConfig {
  logLevel: LogLevel;
  /** `json`: one JSON object per line (production); `pretty`: coloured, human-readable lines. */
  logFormat: LogFormat;
  /** Serve the OpenAPI UI at /docs and the document at /docs-json. */
  apiDocs: boolean;
  /** Origins CORS allows (`*` for any); empty: CORS is off and no Access-Control-* header is sent. */
  corsOrigins: string[];
  /** How long in-flight requests may run after SIGTERM before their connections are cut. */
  shutdownGraceMs: number;
  /** Collect metrics and serve GET /metrics. */
  metrics: boolean;
  /** METRICS_TOKEN: when set, GET /metrics needs `Authorization: Bearer <it>`; never logged. */
  metricsToken: string | undefined;
  /** How long the HTTP server waits on a client (HTTP_*_TIMEOUT). */
  httpTimeouts: HttpTimeouts;
}

/**
 * LOG_LEVEL, LOG_FORMAT, API_DOCS, CORS_ORIGINS, SHUTDOWN_GRACE, METRICS, METRICS_TOKEN and the HTTP_*_TIMEOUT
 * variables (http-timeouts.config.ts); NODE_ENV=production changes the log format and docs defaults.
 */
export const observabilityConfig = defineNamespace('observability', (env): ObservabilityConfig => ({
  logLevel: oneOf(env, 'LOG_LEVEL', LOG_LEVELS, 'info'),
  logFormat: oneOf(env, 'LOG_FORMAT', ['json', 'pretty'] as const, isProduction(env) ? 'json' : 'pretty'),
  apiDocs: boolean(env, 'API_DOCS', !isProduction(env)),
  corsOrigins: corsOrigins(env),
  shutdownGraceMs: duration(env, 'SHUTDOWN_GRACE', { fallback: '10s', min: 0, max: 10 * 60_000 }),
  metrics: boolean(env, 'METRICS', true),
  metricsToken: readMetricsToken(env),
  httpTimeouts: readHttpTimeouts(env),
}));

/** `*`, or a comma-separated list of origins: scheme://host[:port], http or https, nothing after. */
function corsOrigins(env: Environment): string[] {
  if (setting(env, 'CORS_ORIGINS') === '*') return ['*'];
  return list(env, 'CORS_ORIGINS', { fallback: [], entry: 'an origin like https://app.example.com, or "*" alone', parse: origin });
}

function origin(item: string): string | undefined {
  const text = item.replace(/\/$/, '');
  if (!URL.canParse(text)) return undefined;
  const url = new URL(text);
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === text ? url.origin : undefined;
}
