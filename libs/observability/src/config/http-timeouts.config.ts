import { ConfigValidationError, duration, type Environment, integer } from '@app/config';

/** How long the HTTP server waits on a client (docs/operations.md "HTTP timeouts"), milliseconds. */
export interface HttpTimeouts {
  /** HTTP_HEADERS_TIMEOUT: from the first byte of a request to the end of its headers. */
  headersTimeoutMs: number;
  /** HTTP_REQUEST_TIMEOUT: from the first byte of a request to the end of its body. */
  requestTimeoutMs: number;
  /** HTTP_KEEP_ALIVE_TIMEOUT: how long a kept-alive connection may sit idle between requests. */
  keepAliveTimeoutMs: number;
  /** HTTP_MAX_IDLE_CONNECTIONS: beyond this many idle kept-alive connections, the longest-idle are closed. */
  maxIdleConnections: number;
  /** HTTP_CONNECTION_TIMEOUT: a connection on which no byte moves either way for this long is closed. */
  connectionTimeoutMs: number;
}

const RANGE = { min: 100, max: 10 * 60_000 };

/**
 * HTTP_HEADERS_TIMEOUT (10s), HTTP_REQUEST_TIMEOUT (15s), HTTP_KEEP_ALIVE_TIMEOUT (75s) and
 * HTTP_CONNECTION_TIMEOUT (30s): durations from 100ms to 10m; the headers timeout may not exceed
 * the request timeout (node refuses that). HTTP_MAX_IDLE_CONNECTIONS (1000): 1 to 1,000,000.
 *
 * The keep-alive timeout is 75 s so that we outlast the idle timeout of whatever pools connections
 * to us (AWS ALB and nginx's upstream keepalive: 60 s; node's http.Agent and undici: a few seconds):
 * the side that closes an idle connection must be the client, or it may send its next request on a
 * connection we are closing and lose it (a 502 behind a proxy, ECONNRESET for a client; docs/operations.md
 * "HTTP timeouts"). Idle connections are bounded by count instead (idle-connections.ts).
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
    keepAliveTimeoutMs: duration(env, 'HTTP_KEEP_ALIVE_TIMEOUT', { fallback: '75s', ...RANGE }),
    maxIdleConnections: integer(env, 'HTTP_MAX_IDLE_CONNECTIONS', { fallback: 1000, min: 1, max: 1_000_000 }),
    connectionTimeoutMs: duration(env, 'HTTP_CONNECTION_TIMEOUT', { fallback: '30s', ...RANGE }),
  };
}
