import { parseDuration } from '@app/contracts';
import { type HttpTimeouts, loadHttpTimeouts } from './http-timeouts.config.js';

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
  /** How long the HTTP server waits on a client (HTTP_*_TIMEOUT). */
  httpTimeouts: HttpTimeouts;
}

export type Environment = Record<string, string | undefined>;

/** Builds the calling service's own configuration error, so that each service reports it its way. */
export type InvalidSetting = (variable: string, problem: string) => Error;

const MAX_SHUTDOWN_GRACE_MS = 10 * 60_000;

/**
 * Reads LOG_LEVEL, LOG_FORMAT, API_DOCS, CORS_ORIGINS, SHUTDOWN_GRACE, METRICS and the HTTP_*_TIMEOUT
 * variables (http-timeouts.config.ts). Unset or blank means
 * the default; a bad value throws `invalid(variable, problem)`.
 */
export function loadObservabilityConfig(env: Environment, production: boolean, invalid: InvalidSetting): ObservabilityConfig {
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  return {
    logLevel: oneOf(read('LOG_LEVEL') ?? 'info', LOG_LEVELS, 'LOG_LEVEL', invalid),
    logFormat: oneOf(read('LOG_FORMAT') ?? (production ? 'json' : 'pretty'), ['json', 'pretty'] as const, 'LOG_FORMAT', invalid),
    apiDocs: flag(read('API_DOCS'), !production, 'API_DOCS', invalid),
    corsOrigins: origins(read('CORS_ORIGINS'), invalid),
    shutdownGraceMs: grace(read('SHUTDOWN_GRACE') ?? '10s', invalid),
    metrics: flag(read('METRICS'), true, 'METRICS', invalid),
    httpTimeouts: loadHttpTimeouts(env, invalid),
  };
}

function oneOf<T extends string>(value: string, allowed: readonly T[], name: string, invalid: InvalidSetting): T {
  if (!(allowed as readonly string[]).includes(value)) throw invalid(name, `must be one of ${allowed.join(', ')} (got "${value}")`);
  return value as T;
}

const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off']);

function flag(value: string | undefined, fallback: boolean, name: string, invalid: InvalidSetting): boolean {
  if (value === undefined) return fallback;
  if (TRUE.has(value.toLowerCase())) return true;
  if (FALSE.has(value.toLowerCase())) return false;
  throw invalid(name, `must be true or false (got "${value}")`);
}

function grace(value: string, invalid: InvalidSetting): number {
  const ms = parseDuration(value);
  if (ms === undefined || ms > MAX_SHUTDOWN_GRACE_MS) {
    throw invalid('SHUTDOWN_GRACE', `must be a duration from 0s to 10m such as 10s or 500ms (got "${value}")`);
  }
  return ms;
}

/** `*`, or a comma-separated list of origins: scheme://host[:port], http or https, nothing after. */
function origins(value: string | undefined, invalid: InvalidSetting): string[] {
  if (value === undefined) return [];
  if (value === '*') return ['*'];
  return value.split(',').map((item) => {
    const text = item.trim().replace(/\/$/, '');
    let url: URL | undefined;
    try {
      url = new URL(text);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.origin !== text) {
      throw invalid('CORS_ORIGINS', `must be "*" or a comma-separated list of origins like https://app.example.com (got "${item.trim()}")`);
    }
    return url.origin;
  });
}
