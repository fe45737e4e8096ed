import type { HttpTimeouts } from '../config/http-timeouts.config.js';

/**
 * How often node looks for requests past their headers or request timeout. Its default is 30 s, which
 * let a slowloris connection live up to 30 s past the timeout; at 1 s a slow client is cut within
 * the timeout plus a second (docs/operations.md "HTTP timeouts").
 */
const TIMEOUT_CHECK_INTERVAL_MS = 1_000;

/** The fastify server options that bound how long a client may hold a connection. */
export interface ServerTimeoutOptions {
  connectionTimeout: number;
  requestTimeout: number;
  keepAliveTimeout: number;
  http: { headersTimeout: number; requestTimeout: number; connectionsCheckingInterval: number };
}

/**
 * fastify sets `requestTimeout`, `keepAliveTimeout` and `connectionTimeout` (node's socket
 * inactivity timeout) on the node server it creates; `headersTimeout` and the checking interval
 * are node `createServer` options, which fastify passes through from `http`. fastify's own defaults
 * are no request timeout and a 72 s keep-alive.
 */
export function serverTimeoutOptions(timeouts: HttpTimeouts): ServerTimeoutOptions {
  return {
    connectionTimeout: timeouts.connectionTimeoutMs,
    requestTimeout: timeouts.requestTimeoutMs,
    keepAliveTimeout: timeouts.keepAliveTimeoutMs,
    http: {
      headersTimeout: timeouts.headersTimeoutMs,
      // node checks headersTimeout <= requestTimeout when the server is created, before fastify sets the latter.
      requestTimeout: timeouts.requestTimeoutMs,
      connectionsCheckingInterval: Math.min(TIMEOUT_CHECK_INTERVAL_MS, timeouts.headersTimeoutMs),
    },
  };
}
