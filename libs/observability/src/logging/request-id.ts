import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Header that carries the request id in and out (a proxy's or the caller's correlation id). */
export const REQUEST_ID_HEADER = 'x-request-id';

/** What an incoming id may look like: UUIDs, ULIDs, trace ids; no spaces, quotes or control characters. */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:/+=@-]{1,128}$/;

/**
 * The caller's `X-Request-Id` when it is one short, safe token, else a new UUID: a hostile header
 * can neither forge log structure nor bloat every line of the request.
 */
export function requestIdOf(header: string | string[] | undefined): string {
  return typeof header === 'string' && SAFE_REQUEST_ID.test(header) ? header : randomUUID();
}

/** fastify's `genReqId`: the id becomes `request.id`, which pino-http and the response header reuse. */
export function genReqId(request: IncomingMessage): string {
  return requestIdOf(request.headers[REQUEST_ID_HEADER]);
}
