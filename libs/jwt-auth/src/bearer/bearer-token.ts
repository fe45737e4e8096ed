const PREFIX = 'Bearer ';
const DPOP_PREFIX = 'DPoP ';
/** RFC 6750's `Authorization: Bearer <token>`, read as passport-jwt's `fromAuthHeaderAsBearerToken` reads it. */
const SCHEME_AND_VALUE = /(\S+)\s+(\S+)/;

/** The access token of a request and the scheme it came in: `Bearer` (RFC 6750) or `DPoP` (RFC 9449 §7.1). */
export interface PresentedToken {
  scheme: 'bearer' | 'dpop';
  token: string;
}

/**
 * The access token of a request (express's and fastify's both carry `headers`). The common forms,
 * `Bearer <token>` and `DPoP <token>` with one space, are read without a regular expression (which
 * would scan the ~900-character header on every request); any other form (another case, more
 * whitespace) with passport-jwt's expression, so a token passport-jwt would find is found here too.
 * The one difference: in the common form whitespace inside the token is kept, so `Bearer <token> junk`
 * is refused as a malformed token instead of being cut at the space (RFC 6750 allows nothing after it).
 */
export function presentedToken(request: { headers: Record<string, unknown> }): PresentedToken | null {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return null;
  if (startsWithScheme(header, PREFIX)) return { scheme: 'bearer', token: header.slice(PREFIX.length) };
  if (startsWithScheme(header, DPOP_PREFIX)) return { scheme: 'dpop', token: header.slice(DPOP_PREFIX.length) };
  const match = SCHEME_AND_VALUE.exec(header);
  if (match === null) return null;
  const scheme = match[1].toLowerCase();
  return scheme === 'bearer' || scheme === 'dpop' ? { scheme, token: match[2] } : null;
}

/** The bearer token of a request: `presentedToken` in the `Bearer` scheme only. */
export function bearerToken(request: { headers: Record<string, unknown> }): string | null {
  const presented = presentedToken(request);
  return presented?.scheme === 'bearer' ? presented.token : null;
}

function startsWithScheme(header: string, prefix: string): boolean {
  return header.startsWith(prefix) && header.length > prefix.length && header.charCodeAt(prefix.length) > 0x20;
}
