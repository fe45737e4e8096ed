import { hash, timingSafeEqual } from 'node:crypto';
import type { JwsAlgorithm } from '@app/contracts';
import { decodeJsonSegment, splitCompactJws, type CompactJws } from '../verification/compact-jws.js';
import { InvalidDpopProofError } from './dpop.errors.js';

/**
 * The rules of RFC 9449 §4.3 (and §7.1 at a resource server), one function each, in the order
 * `DpopProofVerifier` applies them (docs/dpop.md "The checks"). Each throws InvalidDpopProofError
 * naming the rule; none does I/O.
 */

/** Longest proof read: an RSA-4096 key and signature fit in ~2.5 KB; anything longer is not a proof of ours. */
export const MAX_PROOF_LENGTH = 8 * 1024;
/** Longest `jti` remembered: the replay record keeps a digest, but the proof's size is bounded anyway. */
export const MAX_JTI_LENGTH = 256;

/** The media type of a proof (RFC 9449 §4.2), compared as media types are: case-insensitive, `application/` optional. */
const PROOF_TYPE = 'dpop+jwt';

/**
 * Exactly one `DPoP` header (§4.3 step 1). Node joins repeated headers with `, ` (express and
 * fastify both read node's headers), and a compact JWS has no comma, so a comma means two headers;
 * an array (a framework keeping them apart) too. Undefined when there is none.
 */
export function singleProof(header: unknown): string | undefined {
  if (header === undefined) return undefined;
  if (typeof header !== 'string' || header.includes(',')) throw new InvalidDpopProofError('send exactly one DPoP header');
  return header;
}

/** A compact JWS of bounded length (§4.3 step 2: "a well-formed JWT"). */
export function proofSegments(proof: string): CompactJws {
  const jws = proof.length <= MAX_PROOF_LENGTH ? splitCompactJws(proof) : undefined;
  if (jws === undefined) throw new InvalidDpopProofError('the proof is not a compact JWS');
  return jws;
}

export interface ProofHeader {
  alg: JwsAlgorithm;
  jwk: unknown;
}

/** §4.3 steps 4-5: `typ` is `dpop+jwt`, `alg` one of ours (all asymmetric: never `none` or HMAC), a `jwk`; no `crit`. */
export function proofHeader(segment: string, algorithms: readonly JwsAlgorithm[]): ProofHeader {
  const header = decodeJsonSegment(segment);
  if (header === undefined) throw new InvalidDpopProofError('the proof header is unreadable');
  const { typ, alg, jwk } = header;
  if (typeof typ !== 'string' || typ.toLowerCase().replace(/^application\//, '') !== PROOF_TYPE) {
    throw new InvalidDpopProofError('the proof "typ" must be dpop+jwt');
  }
  if (typeof alg !== 'string' || !(algorithms as readonly string[]).includes(alg)) {
    throw new InvalidDpopProofError(`the proof "alg" must be one of ${algorithms.join(', ')}`);
  }
  if ('crit' in header) throw new InvalidDpopProofError('the proof header carries "crit"; no extension is understood');
  return { alg: alg as JwsAlgorithm, jwk };
}

/** The claims every proof has (§4.2), types checked. */
export interface ProofClaims {
  jti: string;
  htm: string;
  htu: string;
  iat: number;
  ath?: string;
  nonce?: string;
}

/** The payload, once the signature holds: `jti`, `htm`, `htu`, `iat` present and typed; `ath` and `nonce` strings when present. */
export function proofClaims(segment: string): ProofClaims {
  const payload = decodeJsonSegment(segment);
  if (payload === undefined) throw new InvalidDpopProofError('the proof payload is unreadable');
  const { jti, htm, htu, iat, ath, nonce } = payload;
  if (typeof jti !== 'string' || jti === '' || jti.length > MAX_JTI_LENGTH) {
    throw new InvalidDpopProofError(`the proof "jti" must be a string of 1 to ${MAX_JTI_LENGTH} characters`);
  }
  if (typeof htm !== 'string') throw new InvalidDpopProofError('the proof has no "htm"');
  if (typeof htu !== 'string') throw new InvalidDpopProofError('the proof has no "htu"');
  if (typeof iat !== 'number' || !Number.isFinite(iat)) throw new InvalidDpopProofError('the proof "iat" is not a NumericDate');
  if (ath !== undefined && typeof ath !== 'string') throw new InvalidDpopProofError('the proof "ath" is not a string');
  if (nonce !== undefined && typeof nonce !== 'string') throw new InvalidDpopProofError('the proof "nonce" is not a string');
  return { jti, htm, htu, iat, ath, nonce };
}

/** §4.3 step 8: `htm` is the request's method (methods are case-sensitive, RFC 9110 §9.1). */
export function checkHtm(claims: ProofClaims, method: string): void {
  if (claims.htm !== method) throw new InvalidDpopProofError('the proof "htm" does not match the request method');
}

/**
 * A URL as §4.3 step 9 compares it: scheme and host lowercased, the default port dropped, dot
 * segments resolved (RFC 3986 §6.2.2, §6.2.3, all done by WHATWG URL parsing), query and fragment
 * ignored. Undefined when it is not an absolute http(s) URL.
 */
export function normalizedHtu(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
  parsed.search = '';
  parsed.hash = '';
  return parsed.href;
}

/**
 * §4.3 step 9: `htu` names this request's URL (`expected`, its query dropped). The same text is the
 * common case and needs no parsing; anything else is compared normalized.
 */
export function checkHtu(claims: ProofClaims, expected: string): void {
  if (claims.htu === expected) return;
  const normalized = normalizedHtu(claims.htu);
  if (normalized === undefined || normalized !== normalizedHtu(expected)) throw new InvalidDpopProofError('the proof "htu" does not match the request URL');
}

/**
 * §4.3 step 11 and §11.1: `iat` within the proof window plus the clock tolerance of now, in the past
 * and in the future alike (seconds).
 */
export function checkIat(claims: ProofClaims, now: number, windowSeconds: number, toleranceSeconds: number): void {
  const skew = now - claims.iat;
  const limit = windowSeconds + toleranceSeconds;
  if (skew > limit) throw new InvalidDpopProofError('the proof is too old ("iat")', `proof iat ${skew} s in the past, window ${limit} s`);
  if (-skew > limit) throw new InvalidDpopProofError('the proof "iat" is in the future', `proof iat ${-skew} s in the future, window ${limit} s`);
}

/** RFC 9449 §4.2: `ath` = base64url(SHA-256(the access token's ASCII)). */
export function accessTokenHash(accessToken: string): string {
  return hash('sha256', accessToken, 'base64url');
}

/** §4.3 step 10 (resource server): `ath` is the hash of the access token presented with the proof. */
export function checkAth(claims: ProofClaims, accessToken: string): void {
  if (claims.ath === undefined || !sameText(claims.ath, accessTokenHash(accessToken))) {
    throw new InvalidDpopProofError('the proof "ath" does not match the access token');
  }
}

/** §4.3 step 12 (resource server): the proof's key is the one the token is bound to (`cnf.jkt`). */
export function checkJkt(jkt: string, boundJkt: string): void {
  if (!sameText(jkt, boundJkt)) throw new InvalidDpopProofError('the proof is signed by another key than the token is bound to');
}

/** Equality of two short strings in time independent of where they differ. */
export function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
