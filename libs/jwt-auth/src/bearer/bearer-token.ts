const PREFIX = 'Bearer ';
/** RFC 6750's `Authorization: Bearer <token>`, read as passport-jwt's `fromAuthHeaderAsBearerToken` reads it. */
const SCHEME_AND_VALUE = /(\S+)\s+(\S+)/;

/**
 * The bearer token of a request (express's and fastify's both carry `headers`). The common form,
 * `Bearer <token>` with one space, is read without a regular expression (which would scan the
 * ~900-character header on every request); any other form (another case, more whitespace) with
 * passport-jwt's expression, so a token passport-jwt would find is found here too. The one
 * difference: in the common form whitespace inside the token is kept, so `Bearer <token> junk` is
 * refused as a malformed token instead of being cut at the space (RFC 6750 allows nothing after it).
 */
export function bearerToken(request: { headers: Record<string, unknown> }): string | null {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return null;
  if (header.startsWith(PREFIX) && header.length > PREFIX.length && header.charCodeAt(PREFIX.length) > 0x20) {
    return header.slice(PREFIX.length);
  }
  const match = SCHEME_AND_VALUE.exec(header);
  return match !== null && match[1].toLowerCase() === 'bearer' ? match[2] : null;
}
