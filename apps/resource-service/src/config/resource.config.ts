import { SUPPORTED_ALGORITHMS, isJwsAlgorithm, joinUrl, parseDuration, type JwsAlgorithm } from '@app/contracts';
import { loadObservabilityConfig, type ObservabilityConfig } from '@app/observability';

/** The resource service's settings, validated; the only place that reads the environment. */
export interface ResourceConfig {
  port: number;
  issuer: string;
  audience: string;
  jwksUri: string;
  /** Seconds of leeway on `exp`/`nbf`. */
  clockToleranceSeconds: number;
  algorithms: JwsAlgorithm[];
  /** Longest token lifetime `exp - iat` accepted, seconds (JWT_MAX_TOKEN_AGE). */
  maxTokenAgeSeconds: number;
  jwksCacheMaxAgeMs: number;
  jwksRequestsPerMinute: number;
  jwksTimeoutMs: number;
  /** Largest JWKS body read (JWKS_MAX_BYTES). */
  jwksMaxBytes: number;
  /** Verified tokens remembered by the verifier (0 = no cache). */
  verifiedTokenCacheSize: number;
  nodeEnv: string;
  /** Logs, metrics, API docs, CORS and shutdown (LOG_LEVEL, LOG_FORMAT, METRICS, API_DOCS, CORS_ORIGINS, SHUTDOWN_GRACE). */
  observability: ObservabilityConfig;
}

export type Environment = Record<string, string | undefined>;

/** A bad environment value; the message names the variable. */
export class ConfigValidationError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`${variable} ${problem}`);
    this.name = 'ConfigValidationError';
  }
}

const MAX_CLOCK_TOLERANCE_MS = 5 * 60_000;
const DEFAULT_ISSUER = 'http://localhost:3000';

/** The process environment; main.ts hands it to `loadResourceConfig`. */
export function readEnvironment(): Environment {
  return { ...process.env };
}

export function loadResourceConfig(env: Environment): ResourceConfig {
  const nodeEnv = text(env, 'NODE_ENV') ?? 'development';
  if (nodeEnv === 'production' && text(env, 'AUTH_ISSUER') === undefined) {
    throw new ConfigValidationError('AUTH_ISSUER', `must be set when NODE_ENV=production (the default ${DEFAULT_ISSUER} is for local use only)`);
  }
  const issuer = httpUrl(env, 'AUTH_ISSUER', DEFAULT_ISSUER);
  return {
    port: port(env, 'PORT', 3001),
    issuer,
    audience: text(env, 'AUTH_AUDIENCE') ?? 'resource-service',
    jwksUri: httpUrl(env, 'JWKS_URI', joinUrl(issuer, '.well-known/jwks.json')),
    clockToleranceSeconds: duration(env, 'CLOCK_TOLERANCE', '30s', { min: 0, max: MAX_CLOCK_TOLERANCE_MS }) / 1000,
    algorithms: algorithms(env, 'JWT_ALGORITHMS'),
    maxTokenAgeSeconds: duration(env, 'JWT_MAX_TOKEN_AGE', '1d', { min: 1000, max: 365 * 86_400_000 }) / 1000,
    jwksCacheMaxAgeMs: duration(env, 'JWKS_CACHE_MAX_AGE', '10m', { min: 1, max: 24 * 3_600_000 }),
    jwksRequestsPerMinute: wholeNumber(env, 'JWKS_REQUESTS_PER_MINUTE', 10, { min: 1, max: 10_000 }),
    jwksTimeoutMs: duration(env, 'JWKS_TIMEOUT', '5s', { min: 1, max: 60_000 }),
    jwksMaxBytes: wholeNumber(env, 'JWKS_MAX_BYTES', 512 * 1024, { min: 1024, max: 64 * 1024 * 1024 }),
    verifiedTokenCacheSize: wholeNumber(env, 'JWT_VERIFIED_CACHE_SIZE', 10_000, { min: 0, max: 1_000_000 }),
    nodeEnv,
    observability: loadObservabilityConfig(env, nodeEnv === 'production', (variable, problem) => new ConfigValidationError(variable, problem)),
  };
}

/** The value with surrounding blanks removed; unset and blank both mean "use the default". */
function text(env: Environment, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function httpUrl(env: Environment, name: string, fallback: string): string {
  const value = text(env, name) ?? fallback;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigValidationError(name, `must be an http(s) URL, got "${value}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigValidationError(name, `must be an http(s) URL, got "${value}"`);
  }
  return value;
}

function port(env: Environment, name: string, fallback: number): number {
  return wholeNumber(env, name, fallback, { min: 0, max: 65_535 });
}

function wholeNumber(env: Environment, name: string, fallback: number, range: { min: number; max: number }): number {
  const value = text(env, name);
  if (value === undefined) return fallback;
  const parsed = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(parsed) || parsed < range.min || parsed > range.max) {
    throw new ConfigValidationError(name, `must be a whole number from ${range.min} to ${range.max}, got "${value}"`);
  }
  return parsed;
}

function duration(env: Environment, name: string, fallback: string, range: { min: number; max: number }): number {
  const value = text(env, name) ?? fallback;
  const ms = parseDuration(value);
  if (ms === undefined) {
    throw new ConfigValidationError(name, `must be a duration such as 30s, 500ms or 5m, got "${value}"`);
  }
  if (ms < range.min || ms > range.max) {
    throw new ConfigValidationError(name, `must be between ${range.min}ms and ${range.max}ms, got "${value}"`);
  }
  return ms;
}

function algorithms(env: Environment, name: string): JwsAlgorithm[] {
  const value = text(env, name);
  if (value === undefined) return [...SUPPORTED_ALGORITHMS];
  const names = value.split(',').map((item) => item.trim());
  const unknown = names.filter((item) => !isJwsAlgorithm(item));
  if (unknown.length > 0 || names.length === 0) {
    const listed = unknown.map((item) => `"${item}"`).join(', ');
    throw new ConfigValidationError(name, `holds unsupported algorithm(s) ${listed}; allowed: ${SUPPORTED_ALGORITHMS.join(', ')}`);
  }
  return [...new Set(names as JwsAlgorithm[])];
}
