import { ConfigValidationError, duration, type Environment } from '@app/config';

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

const RANGE = { min: 100, max: 10 * 60_000 };

/**
 * HTTP_HEADERS_TIMEOUT (10s), HTTP_REQUEST_TIMEOUT (15s), HTTP_KEEP_ALIVE_TIMEOUT (5s) and
 * HTTP_CONNECTION_TIMEOUT (30s): durations from 100ms to 10m; the headers timeout may not exceed
 * the request timeout (node refuses that).
 */
export function readHttpTimeouts(env: Environment): HttpTimeouts {
  const requestTimeoutMs = duration(env, 'HTTP_REQUEST_TIMEOUT', { fallback: '15s', ...RANGE });
  const headersTimeoutMs = duration(env, 'HTTP_HEADERS_TIMEOUT', { fallback: '10s', ...RANGE });
  if (headersTimeoutMs > requestTimeoutMs) {
    throw new ConfigValidationError('HTTP_HEADERS_TIMEOUT', `must not exceed HTTP_REQUEST_TIMEOUT (${requestTimeoutMs} ms), got ${headersTimeoutMs} ms`);
  }
  return {
    headersTimeoutMs,
    requestTimeoutMs,
    keepAliveTimeoutMs: duration(env, 'HTTP_KEEP_ALIVE_TIMEOUT', { fallback: '5s', ...RANGE }),
    connectionTimeoutMs: duration(env, 'HTTP_CONNECTION_TIMEOUT', { fallback: '30s', ...RANGE }),
  };
}
