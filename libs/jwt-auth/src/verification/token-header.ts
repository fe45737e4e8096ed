import { FORBIDDEN_KEY_SOURCE_HEADERS, type JwsAlgorithm } from '@app/contracts';
import { MAX_TOKEN_LENGTH } from '@app/contracts';
import { TokenInvalidError } from '../jwt-auth.errors.js';
import { decodeJsonSegment, splitCompactJws, type CompactJws } from './compact-jws.js';

export interface TrustedHeader {
  alg: JwsAlgorithm;
  kid: string;
  /** The whole protected header (its `typ` is checked with the claims, once the signature holds). */
  header: Readonly<Record<string, unknown>>;
  /** The token's segments, for the signature check and the payload. */
  jws: CompactJws;
}

/**
 * Reads the protected header and refuses, before any key is looked up, everything the verifier will
 * never accept: malformed tokens, a header that names its own key source, any `crit` extension,
 * an `alg` outside the pinned list (so `none` in any letter case and every HMAC), and a missing `kid`.
 */
export function readTrustedHeader(token: string, algorithms: readonly JwsAlgorithm[]): TrustedHeader {
  if (token.length > MAX_TOKEN_LENGTH) throw new TokenInvalidError(`token longer than ${MAX_TOKEN_LENGTH} characters`);
  const jws = splitCompactJws(token);
  if (!jws) throw new TokenInvalidError('not a compact JWS of three base64url segments');

  const header = decodeJsonSegment(jws.header);
  if (!header) throw new TokenInvalidError('unreadable protected header (not canonical base64url of a UTF-8 JSON object)');

  const keySource = FORBIDDEN_KEY_SOURCE_HEADERS.find((name) => name in header);
  if (keySource) throw new TokenInvalidError(`header names a key source ("${keySource}")`);
  if ('crit' in header) throw new TokenInvalidError('header carries "crit"; no extension is understood');

  const { alg, kid } = header;
  if (typeof alg !== 'string' || !(algorithms as readonly string[]).includes(alg)) {
    throw new TokenInvalidError(`header alg ${printable(alg)} is not one of ${algorithms.join(', ')}`);
  }
  if (typeof kid !== 'string' || kid === '') throw new TokenInvalidError('header has no "kid"');
  return { alg: alg as JwsAlgorithm, kid, header, jws };
}

/** A short, escaped rendering of an attacker-chosen header value for the debug log. */
function printable(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value.slice(0, 32)) : typeof value;
}
