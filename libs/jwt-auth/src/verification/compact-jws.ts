/** Three non-empty base64url segments: a signed compact JWS, nothing else (no JWE, no unsigned token). */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** UTF-8 that refuses invalid byte sequences instead of replacing them (as jose decodes). */
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Value of each base64url character (`-1` where a character is not one). */
const SEXTET = new Int8Array(128).fill(-1);
for (const [i, c] of [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'].entries()) SEXTET[c.charCodeAt(0)] = i;

/** The three segments of a compact JWS, as sent. */
export interface CompactJws {
  header: string;
  payload: string;
  signature: string;
  /** `header.payload`: the bytes the signature covers (ASCII). */
  signingInput: string;
}

/** Splits a compact JWS; `undefined` unless it is exactly three non-empty base64url segments. */
export function splitCompactJws(token: string): CompactJws | undefined {
  if (!COMPACT_JWS.test(token)) return undefined;
  const first = token.indexOf('.');
  const second = token.indexOf('.', first + 1);
  return {
    header: token.slice(0, first),
    payload: token.slice(first + 1, second),
    signature: token.slice(second + 1),
    signingInput: token.slice(0, second),
  };
}

/**
 * Decodes one base64url segment of characters already known to be of the base64url alphabet (the
 * shape check above), strictly: no padding (the alphabet has no `=`), no length of 4n+1 (no whole
 * byte), and the unused low bits of the last character zero, so each byte string has exactly one
 * encoding. `undefined` otherwise. (jose on Node 20 goes through `atob`, which refuses 4n+1 but ignores
 * non-zero trailing bits; refusing them too is stricter.)
 */
export function decodeSegment(segment: string): Buffer | undefined {
  const tail = segment.length % 4;
  if (tail === 1) return undefined;
  if (tail !== 0) {
    const last = SEXTET[segment.charCodeAt(segment.length - 1)];
    const unusedBits = tail === 2 ? 0b1111 : 0b11;
    if (last < 0 || (last & unusedBits) !== 0) return undefined;
  }
  return Buffer.from(segment, 'base64url');
}

/**
 * Parses a decoded header or payload: strict UTF-8, JSON, and a plain object at the top (no array,
 * string, number or null). `undefined` otherwise.
 */
export function parseJsonObject(bytes: Uint8Array): Record<string, unknown> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(STRICT_UTF8.decode(bytes));
  } catch {
    return undefined;
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** `decodeSegment` then `parseJsonObject`. */
export function decodeJsonSegment(segment: string): Record<string, unknown> | undefined {
  const bytes = decodeSegment(segment);
  return bytes === undefined ? undefined : parseJsonObject(bytes);
}
