import { isJwsAlgorithm, parseDuration, type JwsAlgorithm, SUPPORTED_ALGORITHMS, USERNAME_PATTERN } from '@app/contracts';
import { loadObservabilityConfig, type ObservabilityConfig } from '@app/observability';

export type Environment = Record<string, string | undefined>;

/** A bad setting: the service refuses to start and names the variable. */
export class ConfigValidationError extends Error {
  constructor(readonly variable: string, problem: string) {
    super(`Invalid configuration: ${variable} ${problem}`);
    this.name = 'ConfigValidationError';
  }
}

export interface HttpConfig {
  port: number;
  production: boolean;
  nodeEnv: string;
}

export interface TokensConfig {
  issuer: string;
  audiences: string[];
  accessTokenTtlMs: number;
  refreshTokenTtlMs: number;
  algorithm: JwsAlgorithm;
  clockToleranceMs: number;
}

export interface KeysConfig {
  source: 'pem';
  dir: string;
  algorithm: JwsAlgorithm;
  rsaBits: number;
  production: boolean;
  /** Max-age of the JWKS HTTP answer, seconds. */
  jwksMaxAgeSeconds: number;
}

export interface DatabaseConfig {
  url?: string;
  dataDir: string;
}

export interface DemoUserConfig {
  username: string;
  password: string;
}

export interface AuthConfig {
  http: HttpConfig;
  tokens: TokensConfig;
  keys: KeysConfig;
  database: DatabaseConfig;
  demoUser?: DemoUserConfig;
  /** Logs, metrics, API docs, CORS and shutdown (LOG_LEVEL, LOG_FORMAT, METRICS, API_DOCS, CORS_ORIGINS, SHUTDOWN_GRACE). */
  observability: ObservabilityConfig;
}

/** The one place the auth-service reads the process environment. */
export function readEnvironment(): Environment {
  return process.env;
}

function duration(env: Environment, name: string, fallback: string, min: number, max: number): number {
  const text = env[name] ?? fallback;
  const ms = parseDuration(text);
  if (ms === undefined) throw new ConfigValidationError(name, `must be a duration such as 30s, 15m, 12h or 7d (got "${text}")`);
  if (ms < min || ms > max) throw new ConfigValidationError(name, `must be between ${min} ms and ${max} ms (got "${text}")`);
  return ms;
}

function httpUrl(env: Environment, name: string, fallback: string): string {
  const text = env[name] ?? fallback;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigValidationError(name, `must be an http(s) URL (got "${text}")`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigValidationError(name, `must be an http(s) URL (got "${text}")`);
  }
  return text.replace(/\/+$/, '');
}

function integer(env: Environment, name: string, fallback: number, min: number, max: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new ConfigValidationError(name, `must be an integer from ${min} to ${max} (got "${text}")`);
  }
  return Number(text);
}

function demoUser(env: Environment, production: boolean): DemoUserConfig | undefined {
  const text = env.DEMO_USER;
  if (production) {
    if (text !== undefined && text !== '') {
      throw new ConfigValidationError('DEMO_USER', 'is refused when NODE_ENV=production: create users with `npm run cli -- users add`');
    }
    return undefined;
  }
  if (text === '') return undefined;
  const value = text ?? 'testuser:password';
  const split = value.indexOf(':');
  const username = value.slice(0, split);
  const password = value.slice(split + 1);
  if (split < 1 || !USERNAME_PATTERN.test(username) || password.length < 1) {
    throw new ConfigValidationError('DEMO_USER', 'must be <username>:<password> (or empty to create none)');
  }
  return { username, password };
}

const MINUTE = 60_000;
const DAY = 86_400_000;

/** Validates the environment of the auth-service; throws ConfigValidationError naming the first bad variable. */
export function loadAuthConfig(env: Environment): AuthConfig {
  const nodeEnv = env.NODE_ENV ?? 'development';
  const production = nodeEnv === 'production';
  const port = integer(env, 'PORT', 3000, 0, 65535);
  const issuer = httpUrl(env, 'AUTH_ISSUER', 'http://localhost:3000');
  const audiences = (env.AUTH_AUDIENCE ?? 'resource-service').split(',').map((a) => a.trim());
  if (audiences.some((a) => a === '')) throw new ConfigValidationError('AUTH_AUDIENCE', 'must be a comma-separated list of non-empty names');

  const algorithm = env.JWT_ALGORITHM ?? 'RS256';
  if (!isJwsAlgorithm(algorithm)) {
    throw new ConfigValidationError('JWT_ALGORITHM', `must be one of ${SUPPORTED_ALGORITHMS.join(', ')} (got "${algorithm}")`);
  }
  const source = env.KEYS_SOURCE ?? 'pem';
  if (source !== 'pem') {
    throw new ConfigValidationError('KEYS_SOURCE', `must be "pem" in this version (got "${source}")`);
  }

  return {
    http: { port, production, nodeEnv },
    tokens: {
      issuer,
      audiences,
      algorithm,
      accessTokenTtlMs: duration(env, 'ACCESS_TOKEN_TTL', '15m', 1000, DAY),
      refreshTokenTtlMs: duration(env, 'REFRESH_TOKEN_TTL', '30d', MINUTE, 365 * DAY),
      clockToleranceMs: duration(env, 'CLOCK_TOLERANCE', '30s', 0, 5 * MINUTE),
    },
    keys: {
      source,
      dir: env.KEYS_DIR || './keys',
      algorithm,
      rsaBits: integer(env, 'KEY_RSA_BITS', 2048, 2048, 8192),
      production,
      jwksMaxAgeSeconds: 300,
    },
    database: { url: env.DATABASE_URL || undefined, dataDir: env.DATA_DIR || './data' },
    demoUser: demoUser(env, production),
    observability: loadObservabilityConfig(env, production, (variable, problem) => new ConfigValidationError(variable, problem)),
  };
}
