import type { JWTPayload } from 'jose';
import { type Actor, type AuthenticatedCaller, MAX_ACT_DEPTH } from '@app/contracts';
import { TokenInvalidError } from '../jwt-auth.errors.js';

/**
 * Builds `request.user` from claims already verified (signature, iss, aud, exp, nbf, typ and presence
 * of the required claims: claims-set.ts, claim-times.ts), checking the types of the claims it reads.
 * A token with `username` is a user's (`AuthenticatedUser`); one without is a client's own, and must
 * then name its client as `sub` = `client_id` (RFC 9068, client credentials: `AuthenticatedClient`).
 */
export function toAuthenticatedUser(payload: JWTPayload): AuthenticatedCaller {
  const { sub, jti, exp, iat, username, scope, client_id: clientId, sid, act, cnf } = payload;
  if (!isNonEmptyString(sub)) throw new TokenInvalidError('"sub" is not a non-empty string');
  if (!isNonEmptyString(jti)) throw new TokenInvalidError('"jti" is not a non-empty string');
  if (scope !== undefined && typeof scope !== 'string') throw new TokenInvalidError('"scope" is not a string');
  if (clientId !== undefined && !isNonEmptyString(clientId)) throw new TokenInvalidError('"client_id" is not a non-empty string');
  if (sid !== undefined && !isNonEmptyString(sid)) throw new TokenInvalidError('"sid" is not a non-empty string');
  if (typeof exp !== 'number') throw new TokenInvalidError('"exp" is not a number');
  const issuedAt = typeof iat === 'number' ? { issuedAt: iat } : {};
  const bound = cnf === undefined ? {} : { keyThumbprint: confirmedKey(cnf) };
  const scopes = scope === undefined ? [] : scope.split(' ').filter((item) => item !== '');
  if (username === undefined) {
    if (clientId === undefined || clientId !== sub) throw new TokenInvalidError('a token without "username" must have "sub" = "client_id"');
    return { clientId, scopes, tokenId: jti, expiresAt: exp, ...issuedAt, ...bound };
  }
  if (!isNonEmptyString(username)) throw new TokenInvalidError('"username" is not a non-empty string');
  const actor = act === undefined ? undefined : toActor(act, 1);
  return {
    userId: sub,
    username,
    ...(clientId === undefined ? {} : { clientId }),
    ...(sid === undefined ? {} : { sessionId: sid }),
    scopes,
    tokenId: jti,
    expiresAt: exp,
    ...issuedAt,
    ...(actor === undefined ? {} : { actor }),
    ...bound,
  };
}

/**
 * RFC 8693 4.1 `act`, nested at most MAX_ACT_DEPTH deep (the issuer never nests deeper): each level an
 * object with a non-empty string `sub`. Anything else refuses the token, as any other mistyped claim.
 */
function toActor(act: unknown, depth: number): Actor {
  if (depth > MAX_ACT_DEPTH) throw new TokenInvalidError(`"act" is nested deeper than ${MAX_ACT_DEPTH}`);
  if (typeof act !== 'object' || act === null || Array.isArray(act)) throw new TokenInvalidError('"act" is not an object');
  const { sub, act: before } = act as Record<string, unknown>;
  if (!isNonEmptyString(sub)) throw new TokenInvalidError('"act.sub" is not a non-empty string');
  return before === undefined ? { subject: sub } : { subject: sub, actor: toActor(before, depth + 1) };
}

/**
 * RFC 9449 §6.1 / RFC 7800: the `jkt` of `cnf`. A `cnf` this verifier cannot check (no `jkt`, another
 * confirmation method such as mTLS's `x5t#S256`) is refused rather than ignored: the token would
 * otherwise work as a bearer token for whoever holds it.
 */
function confirmedKey(cnf: unknown): string {
  const jkt = typeof cnf === 'object' && cnf !== null ? (cnf as Record<string, unknown>).jkt : undefined;
  if (!isNonEmptyString(jkt)) throw new TokenInvalidError('"cnf" has no "jkt" string (a confirmation method this verifier cannot check)');
  return jkt;
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}
