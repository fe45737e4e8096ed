import { isIP } from 'node:net';
import { isJwsAlgorithm, parseDuration, type JwsAlgorithm, SUPPORTED_ALGORITHMS, USERNAME_PATTERN } from '@app/contracts';
import { loadObservabilityConfig, type ObservabilityConfig } from '@app/observability';
import { type JwksRouteConfig, loadJwksRouteConfig } from './jwks-route.config.js';

export type Environment = Record<string, string | undefined>;

/** A bad setting: the service refuses to start and names the variable. */
export class ConfigValidationError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
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
  source: 'pem' | 'managed';
  dir: string;
  algorithm: JwsAlgorithm;
  rsaBits: number;
  production: boolean;
  /** Max-age of the JWKS HTTP answer, seconds. */
  jwksMaxAgeSeconds: number;
  /** `managed` only: the rotation schedule (docs/key-rotation.md). */
  managed: ManagedKeysConfig;
}

export interface ManagedKeysConfig {
  rotationIntervalMs: number;
  activationDelayMs: number;
  retentionMs: number;
  /** How often each replica re-reads the shared key table and runs due rotations. */
  syncIntervalMs: number;
  /** Set: one encrypted key set for the cluster. Unset: each replica keeps its own keys in memory. */
  encryptionSecret?: string;
}

export interface DatabaseConfig {
  url?: string;
  dataDir: string;
}

export interface DemoUserConfig {
  username: string;
  password: string;
}

export interface SessionsConfig {
  /** Idle lifetime of one refresh token (`REFRESH_TOKEN_TTL`): each rotation starts it again. */
  refreshTokenTtlMs: number;
  /** Absolute end of a session counted from its login (`SESSION_MAX_AGE`); rotation never passes it. */
  maxAgeMs: number;
}

export interface SecurityConfig {
  /** Peers whose `X-Forwarded-For` is believed: IP addresses or CIDR blocks (`TRUSTED_PROXIES`). */
  trustedProxies: string[];
  registrationEnabled: boolean;
}

/**
 * One counter's rule: `maxFailures` failures lock it for `lockoutMs`, and each further failure after a
 * lockout doubles that, up to `maxLockoutMs`. A counter is forgotten `windowMs` after its last failure
 * or lockout end.
 */
export interface ThrottlePolicy {
  maxFailures: number;
  windowMs: number;
  lockoutMs: number;
  maxLockoutMs: number;
}

export interface ThrottleConfig {
  /** Failed logins per username, whether or not the user exists. */
  loginAccount: ThrottlePolicy;
  /** Failed logins per client address (IPv6: per /64). */
  loginAddress: ThrottlePolicy;
  /** Registration attempts per client address, successful or not. */
  register: ThrottlePolicy;
}

export interface AuthConfig {
  http: HttpConfig;
  tokens: TokensConfig;
  keys: KeysConfig;
  /** The JWKS route: its path and extra answer headers (JWKS_PATH, JWKS_HEADERS). */
  jwks: JwksRouteConfig;
  database: DatabaseConfig;
  sessions: SessionsConfig;
  security: SecurityConfig;
  throttle: ThrottleConfig;
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
  // Surrounding blanks dropped, as the resource-service does; nothing else is changed.
  const text = env[name]?.trim() || fallback;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigValidationError(name, `must be an http(s) URL (got "${text}")`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigValidationError(name, `must be an http(s) URL (got "${text}")`);
  }
  // Verbatim, trailing slash included: AUTH_ISSUER is the `iss` of every token, which verifiers
  // compare as an exact string (RFC 8414 issuer identity); URLs are derived from it with joinUrl.
  return text;
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

function flag(env: Environment, name: string, fallback: boolean): boolean {
  const text = (env[name] ?? '').trim().toLowerCase();
  if (text === '') return fallback;
  if (text === 'true' || text === '1') return true;
  if (text === 'false' || text === '0') return false;
  throw new ConfigValidationError(name, `must be true or false (got "${env[name]}")`);
}

/** A comma-separated list of IP addresses and CIDR blocks (`10.0.0.0/8`, `fd00::/8`). */
function addressList(env: Environment, name: string): string[] {
  const text = env[name] ?? '';
  if (text.trim() === '') return [];
  return text.split(',').map((entry) => {
    const item = entry.trim();
    const [address, prefix, extra] = item.split('/');
    const family = isIP(address ?? '');
    const bits = family === 6 ? 128 : 32;
    const prefixOk = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= bits);
    if (family === 0 || !prefixOk || extra !== undefined) {
      throw new ConfigValidationError(name, `must be a comma-separated list of IP addresses or CIDR blocks (got "${item}")`);
    }
    return item;
  });
}

const SECOND = 1000;
const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/** Shortest secret accepted for KEYS_ENCRYPTION_SECRET: 32 characters, e.g. `openssl rand -base64 32`. */
export const MIN_ENCRYPTION_SECRET_LENGTH = 32;

/** Shortest KEY_ACTIVATION_DELAY: time to write the next key and for every replica to read it. */
export const MIN_ACTIVATION_DELAY_MS = SECOND;

/**
 * The rotation schedule, refused at start when it would break an invariant of DESIGN.md:
 * a key must be published KEY_ACTIVATION_DELAY before it signs, so the delay is shorter than the
 * interval; and it must stay published ACCESS_TOKEN_TTL + CLOCK_TOLERANCE after its last signature,
 * so KEY_RETENTION (counted from activation) covers the signing interval plus that.
 */
function managedKeys(env: Environment, accessTokenTtlMs: number, clockToleranceMs: number): ManagedKeysConfig {
  const rotationIntervalMs = duration(env, 'KEY_ROTATION_INTERVAL', '7d', SECOND, 365 * DAY);
  const activationDelayMs = duration(env, 'KEY_ACTIVATION_DELAY', '10m', 0, 30 * DAY);
  const retentionMs = duration(env, 'KEY_RETENTION', '28d', SECOND, 3 * 365 * DAY);
  const syncIntervalMs = duration(env, 'KEY_SYNC_INTERVAL', '10s', 100, 10 * MINUTE);
  if (activationDelayMs >= rotationIntervalMs) {
    throw new ConfigValidationError(
      'KEY_ACTIVATION_DELAY',
      `must be shorter than KEY_ROTATION_INTERVAL (${env.KEY_ACTIVATION_DELAY ?? '10m'} >= ${env.KEY_ROTATION_INTERVAL ?? '7d'}): the next key would be published before the current one starts signing`,
    );
  }
  // docs/key-rotation.md "The guarantee": the successor is written and read by every replica within the delay.
  if (activationDelayMs < MIN_ACTIVATION_DELAY_MS) {
    throw new ConfigValidationError(
      'KEY_ACTIVATION_DELAY',
      `must be at least ${MIN_ACTIVATION_DELAY_MS / 1000}s (got ${env.KEY_ACTIVATION_DELAY}): the next key must be written and read by every replica before the current one stops signing`,
    );
  }
  const rsaBits = integer(env, 'KEY_RSA_BITS', 2048, 2048, 8192);
  if (rsaBits > 4096 && /^(RS|PS)/.test(env.JWT_ALGORITHM ?? 'RS256') && rotationIntervalMs < MINUTE) {
    throw new ConfigValidationError(
      'KEY_ROTATION_INTERVAL',
      `must be at least 1m with KEY_RSA_BITS=${rsaBits}: generating the next key can take longer than the interval`,
    );
  }
  const needed = rotationIntervalMs + accessTokenTtlMs + clockToleranceMs;
  if (retentionMs < needed) {
    throw new ConfigValidationError(
      'KEY_RETENTION',
      `must be at least KEY_ROTATION_INTERVAL + ACCESS_TOKEN_TTL + CLOCK_TOLERANCE (${needed / 1000}s), got ${retentionMs / 1000}s: ` +
        'a key would leave the JWKS while tokens it signed are still valid',
    );
  }
  const secret = env.KEYS_ENCRYPTION_SECRET;
  if (secret !== undefined && secret !== '' && secret.length < MIN_ENCRYPTION_SECRET_LENGTH) {
    throw new ConfigValidationError(
      'KEYS_ENCRYPTION_SECRET',
      `must be at least ${MIN_ENCRYPTION_SECRET_LENGTH} characters of random data (openssl rand -base64 32)`,
    );
  }
  return { rotationIntervalMs, activationDelayMs, retentionMs, syncIntervalMs, encryptionSecret: secret || undefined };
}

function sessions(env: Environment, refreshTokenTtlMs: number): SessionsConfig {
  const maxAgeMs = duration(env, 'SESSION_MAX_AGE', '90d', MINUTE, 3650 * DAY);
  if (maxAgeMs < refreshTokenTtlMs) {
    throw new ConfigValidationError('SESSION_MAX_AGE', `must be at least REFRESH_TOKEN_TTL (${refreshTokenTtlMs} ms), got ${maxAgeMs} ms`);
  }
  return { refreshTokenTtlMs, maxAgeMs };
}

function throttle(env: Environment): ThrottleConfig {
  const windowMs = duration(env, 'LOGIN_FAILURE_WINDOW', '15m', SECOND, 7 * DAY);
  const lockoutMs = duration(env, 'LOGIN_LOCKOUT', '5m', SECOND, DAY);
  const maxLockoutMs = duration(env, 'LOGIN_LOCKOUT_MAX', '1h', SECOND, 7 * DAY);
  if (maxLockoutMs < lockoutMs) {
    throw new ConfigValidationError('LOGIN_LOCKOUT_MAX', `must be at least LOGIN_LOCKOUT (${lockoutMs} ms), got ${maxLockoutMs} ms`);
  }
  return {
    loginAccount: { maxFailures: integer(env, 'LOGIN_MAX_FAILURES', 5, 1, 1000), windowMs, lockoutMs, maxLockoutMs },
    loginAddress: { maxFailures: integer(env, 'LOGIN_ADDRESS_MAX_FAILURES', 20, 1, 100_000), windowMs, lockoutMs, maxLockoutMs },
    register: { maxFailures: integer(env, 'REGISTER_MAX_PER_ADDRESS', 5, 1, 10_000), windowMs: HOUR, lockoutMs: HOUR, maxLockoutMs: HOUR },
  };
}

const configError = (variable: string, problem: string) => new ConfigValidationError(variable, problem);

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
  const source = env.KEYS_SOURCE || 'pem';
  if (source !== 'pem' && source !== 'managed') {
    throw new ConfigValidationError('KEYS_SOURCE', `must be "pem" or "managed" (got "${source}")`);
  }
  const accessTokenTtlMs = duration(env, 'ACCESS_TOKEN_TTL', '15m', 1000, DAY);
  const clockToleranceMs = duration(env, 'CLOCK_TOLERANCE', '30s', 0, 5 * MINUTE);
  const managed = managedKeys(env, accessTokenTtlMs, clockToleranceMs);

  const refreshTokenTtlMs = duration(env, 'REFRESH_TOKEN_TTL', '30d', MINUTE, 365 * DAY);

  return {
    http: { port, production, nodeEnv },
    tokens: {
      issuer,
      audiences,
      algorithm,
      accessTokenTtlMs,
      refreshTokenTtlMs,
      clockToleranceMs,
    },
    keys: {
      source,
      dir: env.KEYS_DIR || './keys',
      algorithm,
      rsaBits: integer(env, 'KEY_RSA_BITS', 2048, 2048, 8192),
      production,
      // A JWKS answer is never cached longer than a new key waits before it signs (invariant 1).
      jwksMaxAgeSeconds: source === 'managed' ? Math.min(300, Math.floor(managed.activationDelayMs / 1000)) : 300,
      managed,
    },
    jwks: loadJwksRouteConfig(env, configError, source === 'managed' ? Math.floor(managed.activationDelayMs / 1000) : undefined),
    database: { url: env.DATABASE_URL || undefined, dataDir: env.DATA_DIR || './data' },
    sessions: sessions(env, refreshTokenTtlMs),
    security: { trustedProxies: addressList(env, 'TRUSTED_PROXIES'), registrationEnabled: flag(env, 'REGISTRATION_ENABLED', false) },
    throttle: throttle(env),
    demoUser: demoUser(env, production),
    observability: loadObservabilityConfig(env, production, (variable, problem) => new ConfigValidationError(variable, problem)),
  };
}
