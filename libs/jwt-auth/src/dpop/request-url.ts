/** What the URL of a request is read from, on express (`originalUrl`, `protocol`) and fastify (`url`, `protocol`) alike. */
export interface UrlOfRequest {
  headers: Record<string, unknown>;
  url?: string;
  originalUrl?: string;
  protocol?: string;
}

/**
 * The URL a proof sent with this request must name (`htu`), its query dropped (`checkHtu` compares
 * it normalized when the proof's text differs): `publicUrl` (the origin and path prefix clients use,
 * when a proxy in front changes them) plus the request's path, or else the request's own scheme (the
 * framework's `protocol`, which honours its trust-proxy setting), `Host` header and path. Undefined
 * when that is no URL: nothing can match it. A forged `Host` gains nothing: the proof must name the
 * same URL, and the client signed the real one.
 */
export function requestHtu(request: UrlOfRequest, publicUrl: string | undefined): string | undefined {
  const target = request.originalUrl ?? request.url ?? '/';
  if (!target.startsWith('/')) return undefined;
  const query = target.indexOf('?');
  const path = query === -1 ? target : target.slice(0, query);
  if (publicUrl !== undefined) return publicUrl + path;
  const host = request.headers.host;
  if (typeof host !== 'string' || host === '' || /[/?#@\\\s]/.test(host)) return undefined;
  return `${request.protocol === 'https' ? 'https' : 'http'}://${host}${path}`;
}
