import { isJwsAlgorithm, joinUrl, parseDuration, SUPPORTED_ALGORITHMS } from '@app/contracts';
import {
  DEFAULT_CLOCK_TOLERANCE_SECONDS,
  DEFAULT_DPOP_PROOF_WINDOW_SECONDS,
  DEFAULT_JWKS_CACHE_MAX_AGE_MS,
  DEFAULT_JWKS_MAX_BYTES,
  DEFAULT_JWKS_REQUESTS_PER_MINUTE,
  DEFAULT_JWKS_TIMEOUT_MS,
  DEFAULT_MAX_TOKEN_AGE_SECONDS,
  DEFAULT_REVOCATION_POLL_INTERVAL_MS,
  DEFAULT_VERIFIED_TOKEN_CACHE_SIZE,
} from './jwt-auth.constants.js';
import { JwtAuthOptionsError } from './jwt-auth.errors.js';
import type {
  JwtAuthClientSettings,
  JwtAuthDpopOptions,
  JwtAuthDpopSettings,
  JwtAuthDuration,
  JwtAuthModuleOptions,
  JwtAuthSettings,
} from './interfaces/jwt-auth-options.interface.js';
import type { JwtAuthMetrics } from './interfaces/jwt-auth-metrics.interface.js';
import { issuerMetadataUris } from './revocation/issuer-metadata-uris.js';

const NO_METRICS: JwtAuthMetrics = { verification: () => undefined, jwksFetch: () => undefined };

/**
 * Validates the module options and applies the defaults; a bad option stops the application at start.
 * `{ issuer, audience }` is enough: the JWKS is then read at `${issuer}/.well-known/jwks.json`, and
 * the revocation feed discovered from the issuer's metadata (`revocationFeedUri: false` turns that off).
 */
export function resolveJwtAuthOptions(options: JwtAuthModuleOptions): JwtAuthSettings {
  if (typeof options !== 'object' || options === null) throw new JwtAuthOptionsError('options', 'must be an object with at least issuer and audience');
  if (typeof options.issuer !== 'string' || options.issuer === '') {
    throw new JwtAuthOptionsError('issuer', 'must be a non-empty string');
  }
  const jwksUri = options.jwksUri ?? (isHttpUrl(options.issuer) ? joinUrl(options.issuer, '.well-known/jwks.json') : undefined);
  if (jwksUri === undefined) throw new JwtAuthOptionsError('jwksUri', 'must be given when the issuer is not an http(s) URL');
  if (!isHttpUrl(jwksUri)) throw new JwtAuthOptionsError('jwksUri', 'must be an http(s) URL');
  const feed = options.revocationFeedUri;
  if (feed !== undefined && feed !== false && !isHttpUrl(feed)) {
    throw new JwtAuthOptionsError('revocationFeedUri', 'must be an http(s) URL, or false to turn the revocation check off');
  }
  const algorithms = options.algorithms ?? [...SUPPORTED_ALGORITHMS];
  const audiences = Array.isArray(options.audience) ? options.audience : [options.audience];
  if (audiences.length === 0 || audiences.some((aud) => typeof aud !== 'string' || aud === '')) {
    throw new JwtAuthOptionsError('audience', 'must be a non-empty string or a list of them');
  }
  if (!Array.isArray(algorithms) || algorithms.length === 0) {
    throw new JwtAuthOptionsError('algorithms', 'must list at least one algorithm');
  }
  const unknown = algorithms.filter((alg) => !isJwsAlgorithm(alg));
  if (unknown.length > 0) {
    throw new JwtAuthOptionsError('algorithms', `holds unsupported value(s): ${unknown.join(', ')}`);
  }
  return {
    jwksUri,
    issuer: options.issuer,
    audience: options.audience,
    algorithms: Object.freeze([...new Set(algorithms)]),
    clockTolerance: nonNegative('clockTolerance', duration('clockTolerance', options.clockTolerance, SECONDS) ?? DEFAULT_CLOCK_TOLERANCE_SECONDS),
    maxTokenAge: positive('maxTokenAge', duration('maxTokenAge', options.maxTokenAge, SECONDS) ?? DEFAULT_MAX_TOKEN_AGE_SECONDS),
    jwksCacheMaxAge: positive('jwksCacheMaxAge', duration('jwksCacheMaxAge', options.jwksCacheMaxAge, MILLISECONDS) ?? DEFAULT_JWKS_CACHE_MAX_AGE_MS),
    jwksRequestsPerMinute: positiveInteger('jwksRequestsPerMinute', options.jwksRequestsPerMinute ?? DEFAULT_JWKS_REQUESTS_PER_MINUTE),
    jwksTimeout: positive('jwksTimeout', duration('jwksTimeout', options.jwksTimeout, MILLISECONDS) ?? DEFAULT_JWKS_TIMEOUT_MS),
    jwksMaxBytes: positiveInteger('jwksMaxBytes', options.jwksMaxBytes ?? DEFAULT_JWKS_MAX_BYTES),
    metrics: options.metrics ?? NO_METRICS,
    verifiedTokenCacheSize: wholeNumber('verifiedTokenCacheSize', options.verifiedTokenCacheSize ?? DEFAULT_VERIFIED_TOKEN_CACHE_SIZE),
    revocationFeedUri: feed === false ? undefined : feed,
    issuerMetadataUris: feed === undefined ? issuerMetadataUris(options.issuer) : [],
    revocationPollInterval: positive(
      'revocationPollInterval',
      duration('revocationPollInterval', options.revocationPollInterval, MILLISECONDS) ?? DEFAULT_REVOCATION_POLL_INTERVAL_MS,
    ),
    revocationMaxStaleness: nonNegative('revocationMaxStaleness', duration('revocationMaxStaleness', options.revocationMaxStaleness, MILLISECONDS) ?? 0),
    client: resolveClient(options.client),
    dpop: resolveDpopOptions(options.dpop ?? {}),
  };
}

/** Defaults of `client` (DownstreamTokens). */
const DEFAULT_CLIENT_CACHE_SIZE = 1000;
const DEFAULT_CLIENT_TIMEOUT_MS = 5000;
const DEFAULT_REFRESH_BEFORE_MS = 30_000;

function resolveClient(client: JwtAuthModuleOptions['client']): JwtAuthClientSettings | undefined {
  if (client === undefined) return undefined;
  if (typeof client !== 'object' || client === null) throw new JwtAuthOptionsError('client', 'must be an object with id and secret');
  if (typeof client.id !== 'string' || client.id === '') throw new JwtAuthOptionsError('client.id', 'must be a non-empty string');
  if (typeof client.secret !== 'string' || client.secret === '') throw new JwtAuthOptionsError('client.secret', 'must be a non-empty string');
  if (client.tokenEndpoint !== undefined && !isHttpUrl(client.tokenEndpoint)) throw new JwtAuthOptionsError('client.tokenEndpoint', 'must be an http(s) URL');
  return {
    id: client.id,
    secret: client.secret,
    tokenEndpoint: client.tokenEndpoint,
    cacheSize: positiveInteger('client.cacheSize', client.cacheSize ?? DEFAULT_CLIENT_CACHE_SIZE),
    timeout: positive('client.timeout', duration('client.timeout', client.timeout, MILLISECONDS) ?? DEFAULT_CLIENT_TIMEOUT_MS),
    refreshBefore: nonNegative('client.refreshBefore', duration('client.refreshBefore', client.refreshBefore, MILLISECONDS) ?? DEFAULT_REFRESH_BEFORE_MS),
  };
}

function resolveDpopOptions(options: JwtAuthDpopOptions): JwtAuthDpopSettings {
  if (typeof options !== 'object' || options === null) throw new JwtAuthOptionsError('dpop', 'must be an object');
  const proofWindow = positive('dpop.proofWindow', duration('dpop.proofWindow', options.proofWindow, SECONDS) ?? DEFAULT_DPOP_PROOF_WINDOW_SECONDS);
  const { publicUrl, nonces, replayStore } = options;
  if (publicUrl !== undefined && !isHttpUrl(publicUrl)) throw new JwtAuthOptionsError('dpop.publicUrl', 'must be an http(s) URL');
  if (nonces !== undefined && typeof nonces !== 'boolean' && typeof nonces?.accepts !== 'function') {
    throw new JwtAuthOptionsError('dpop.nonces', 'must be a boolean or have current() and accepts(nonce) methods');
  }
  if (replayStore !== undefined && typeof replayStore?.claim !== 'function')
    throw new JwtAuthOptionsError('dpop.replayStore', 'must have a claim(key, expiresAt) method');
  return {
    required: options.required === true,
    proofWindow,
    publicUrl: publicUrl === undefined ? undefined : new URL(publicUrl).href.replace(/[?#].*$/, '').replace(/\/+$/, ''),
    nonces: nonces === false || nonces === undefined ? undefined : nonces,
    replayStore,
  };
}

/** The unit a bare number of a duration option is read in, as milliseconds; `JwtAuthSettings` keeps that unit. */
const SECONDS = 1000;
const MILLISECONDS = 1;
/** Text must name its unit: a bare `'900'` would be seconds to the environment's parser, milliseconds as a number here. */
const UNIT_GIVEN = /[a-z]\s*$/;

/**
 * A duration option in the unit of its setting: text (`'30s'`, `'500ms'`, parsed as the environment
 * is) converted to it, a number kept as it is (the option's unit; checked by the caller), undefined
 * when unset.
 */
function duration(name: string, value: JwtAuthDuration | undefined, unitMs: number): number | undefined {
  if (typeof value !== 'string') return value;
  const ms = UNIT_GIVEN.test(value) ? parseDuration(value) : undefined;
  if (ms === undefined) throw new JwtAuthOptionsError(name, `must be a duration such as '500ms', '30s', '15m', '12h' or '1d' (got "${value}")`);
  return ms / unitMs;
}

function isHttpUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    const { protocol } = new URL(value);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

function nonNegative(name: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new JwtAuthOptionsError(name, 'must be a finite number of zero or more');
  }
  return value;
}

function positive(name: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new JwtAuthOptionsError(name, 'must be a finite number above zero');
  }
  return value;
}

function wholeNumber(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new JwtAuthOptionsError(name, 'must be a whole number, zero or more');
  return value;
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) throw new JwtAuthOptionsError(name, 'must be a whole number above zero');
  return value;
}
