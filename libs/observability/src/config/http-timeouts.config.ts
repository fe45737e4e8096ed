import { parseDuration } from '@app/contracts';
import type { Environment, InvalidSetting } from './observability.config.js';

/** How long the HTTP server waits on a client (docs/operations.md "HTTP timeouts"), milliseconds. */
export interface HttpTimeouts {
  /** HTTP_HEADERS_TIMEOUT: from the first byte of a request to the end of its headers. */
  headersTimeoutMs: number;
  /** HTTP_REQUEST_TIMEOUT: from the first byte of a request to the end of its body. */
  requestTimeoutMs: number;
  /** HTTP_KEEP_ALIVE_TIMEOUT: how long a kept-alive connection may sit idle between requests. */
  keepAliveTimeoutMs: number;
  /** HTTP_CONNECTION_TIMEOUT: a connection on which no byte moves either way for this long is closed. */
  connectionTimeoutMs: number;
}

const MIN_MS = 100;
const MAX_MS = 10 * 60_000;

/**
 * Reads HTTP_HEADERS_TIMEOUT (10s), HTTP_REQUEST_TIMEOUT (15s), HTTP_KEEP_ALIVE_TIMEOUT (5s) and
 * HTTP_CONNECTION_TIMEOUT (30s): durations from 100ms to 10m; the headers timeout may not exceed
 * the request timeout (node refuses that). Unset or blank means the default.
 */
export function loadHttpTimeouts(env: Environment, invalid: InvalidSetting): HttpTimeouts {
  const timeout = (name: string, fallback: string): number => {
    const value = env[name]?.trim() || fallback;
    const ms = parseDuration(value);
    if (ms === undefined || ms < MIN_MS || ms > MAX_MS) {
      throw invalid(name, `must be a duration from 100ms to 10m such as 10s or 500ms (got "${value}")`);
    }
    return ms;
  };
  const requestTimeoutMs = timeout('HTTP_REQUEST_TIMEOUT', '15s');
  const headersTimeoutMs = timeout('HTTP_HEADERS_TIMEOUT', '10s');
  if (headersTimeoutMs > requestTimeoutMs) {
    throw invalid('HTTP_HEADERS_TIMEOUT', `must not exceed HTTP_REQUEST_TIMEOUT (${requestTimeoutMs} ms), got ${headersTimeoutMs} ms`);
  }
  return {
    headersTimeoutMs,
    requestTimeoutMs,
    keepAliveTimeoutMs: timeout('HTTP_KEEP_ALIVE_TIMEOUT', '5s'),
    connectionTimeoutMs: timeout('HTTP_CONNECTION_TIMEOUT', '30s'),
  };
}
