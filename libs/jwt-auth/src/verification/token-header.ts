import { decodeProtectedHeader } from 'jose';
import { FORBIDDEN_KEY_SOURCE_HEADERS, type JwsAlgorithm } from '@app/contracts';
import { MAX_TOKEN_LENGTH } from '../jwt-auth.constants.js';
import { TokenInvalidError } from '../jwt-auth.errors.js';

/** Three non-empty base64url segments: a signed compact JWS, nothing else (no JWE, no unsigned token). */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

export interface TrustedHeader {
  alg: JwsAlgorithm;
  kid: string;
}

/**
 * Reads the protected header and refuses, before any key is looked up, everything the verifier will
 * never accept: malformed tokens, a header that names its own key source, any `crit` extension,
 * an `alg` outside the pinned list (so `none` in any letter case and every HMAC), and a missing `kid`.
 */
export function readTrustedHeader(token: string, algorithms: readonly JwsAlgorithm[]): TrustedHeader {
  if (token.length > MAX_TOKEN_LENGTH) throw new TokenInvalidError(`token longer than ${MAX_TOKEN_LENGTH} characters`);
  if (!COMPACT_JWS.test(token)) throw new TokenInvalidError('not a compact JWS of three base64url segments');

  let header: Record<string, unknown>;
  try {
    header = decodeProtectedHeader(token);
  } catch (error: unknown) {
    throw new TokenInvalidError(`unreadable protected header (${describe(error)})`);
  }

  const keySource = FORBIDDEN_KEY_SOURCE_HEADERS.find((name) => name in header);
  if (keySource) throw new TokenInvalidError(`header names a key source ("${keySource}")`);
  if ('crit' in header) throw new TokenInvalidError('header carries "crit"; no extension is understood');

  const { alg, kid } = header;
  if (typeof alg !== 'string' || !(algorithms as readonly string[]).includes(alg)) {
    throw new TokenInvalidError(`header alg ${printable(alg)} is not one of ${algorithms.join(', ')}`);
  }
  if (typeof kid !== 'string' || kid === '') throw new TokenInvalidError('header has no "kid"');
  return { alg: alg as JwsAlgorithm, kid };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.name : 'unknown error';
}

/** A short, escaped rendering of an attacker-chosen header value for the debug log. */
function printable(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value.slice(0, 32)) : typeof value;
}
