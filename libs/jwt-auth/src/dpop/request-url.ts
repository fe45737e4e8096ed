import { normalizedHtu } from './proof-rules.js';

/** What the URL of a request is read from, on express (`originalUrl`, `protocol`) and fastify (`url`, `protocol`) alike. */
export interface UrlOfRequest {
  headers: Record<string, unknown>;
  url?: string;
  originalUrl?: string;
  protocol?: string;
}

/**
 * The URL a proof sent with this request must name (`htu`), normalized as `normalizedHtu` does:
 * `publicUrl` (the origin and path prefix clients use, when a proxy in front changes them) plus the
 * request's path, or else the request's own scheme (the framework's `protocol`, which honours its
 * trust-proxy setting), `Host` header and path. Undefined when that is no URL: nothing can match it.
 * A forged `Host` gains nothing: the proof must name the same URL, and the client signed the real one.
 */
export function requestHtu(request: UrlOfRequest, publicUrl: string | undefined): string | undefined {
  const path = request.originalUrl ?? request.url ?? '/';
  if (!path.startsWith('/')) return undefined;
  if (publicUrl !== undefined) return normalizedHtu(publicUrl + path);
  const host = request.headers.host;
  if (typeof host !== 'string' || host === '') return undefined;
  return normalizedHtu(`${request.protocol === 'https' ? 'https' : 'http'}://${host}${path}`);
}
