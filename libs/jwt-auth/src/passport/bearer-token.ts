import { ExtractJwt, type JwtFromRequestFunction } from 'passport-jwt';

const fromAuthHeader: JwtFromRequestFunction = ExtractJwt.fromAuthHeaderAsBearerToken();
const PREFIX = 'Bearer ';

/**
 * The bearer token of a request, as passport-jwt's `fromAuthHeaderAsBearerToken` reads it. The common
 * form, `Bearer <token>` with one space, is read without passport-jwt's regular expression (which
 * scanned the ~900-character header on every request); any other form goes to passport-jwt. The one
 * difference: whitespace inside the token is kept, so `Bearer <token> junk` is refused as a malformed
 * token instead of being cut at the space (RFC 6750 allows nothing after the token).
 */
export function bearerToken(request: { headers: Record<string, unknown> }): string | null {
  const header = request.headers.authorization;
  if (typeof header === 'string' && header.startsWith(PREFIX) && header.length > PREFIX.length && header.charCodeAt(PREFIX.length) > 0x20) {
    return header.slice(PREFIX.length);
  }
  return fromAuthHeader(request as Parameters<JwtFromRequestFunction>[0]);
}
