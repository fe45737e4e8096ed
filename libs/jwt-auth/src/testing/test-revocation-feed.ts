import type { IncomingMessage, ServerResponse } from 'node:http';
import { DEFAULT_CLOCK_TOLERANCE_SECONDS, DEFAULT_MAX_TOKEN_AGE_SECONDS } from '../jwt-auth.constants.js';
import type { RevocationEntry } from '../revocation/revocation-index.js';

/** What to revoke: a session (every token with that `sid`), one token (`jti`), or a client's tokens issued until now. */
export type TestRevocation = { sid: string } | { jti: string } | { client_id: string };

/** The path the kit serves its feed at, as the auth-service does. */
export const TEST_REVOCATION_FEED_PATH = '/oauth/revocations';

/**
 * The auth-service's revocation feed in memory (docs/revocation.md, "The feed"): `{issuer, cursor,
 * full, entries}`, everything without `since` (or with a cursor beyond the latest), only newer entries
 * with it, a weak ETag `W/"<latest>"` and a 304 when `If-None-Match` names it. The cursor is the
 * number of entries. Entries outlive any token a default verifier accepts (`maxTokenAge` + tolerance).
 */
export class TestRevocationFeed {
  private readonly entries: RevocationEntry[] = [];

  constructor(private readonly issuer: string) {}

  revoke(target: TestRevocation): void {
    const named = Object.entries(target as Record<string, unknown>);
    const [type, value] = named[0] ?? [];
    if (named.length !== 1 || !['sid', 'jti', 'client_id'].includes(type!) || typeof value !== 'string' || value === '') {
      throw new TypeError('revoke() takes exactly one of { sid }, { jti } or { client_id }, a non-empty string');
    }
    // Rounded up as the auth-service does: a client's token issued earlier in this second is covered.
    const revokedAt = Math.ceil(Date.now() / 1000);
    const expiresAt = revokedAt + DEFAULT_MAX_TOKEN_AGE_SECONDS + DEFAULT_CLOCK_TOLERANCE_SECONDS;
    this.entries.push({ type: type as RevocationEntry['type'], value, revoked_at: revokedAt, expires_at: expiresAt });
  }

  answer(request: IncomingMessage, response: ServerResponse): void {
    const latest = this.entries.length;
    const etag = `W/"${latest}"`;
    const since = new URL(request.url ?? '/', 'http://kit').searchParams.get('since');
    const cursor = since === null ? undefined : /^\d{1,15}$/.test(since) ? Number(since) : Number.NaN;
    const headers = { 'content-type': 'application/json', etag, 'cache-control': 'no-cache' };
    if (Number.isNaN(cursor)) {
      response.writeHead(400, headers).end(JSON.stringify({ error: 'since must be a cursor from an earlier answer (digits)' }));
      return;
    }
    if (request.headers['if-none-match'] === etag && (cursor === undefined || cursor === latest)) {
      response.writeHead(304, headers).end();
      return;
    }
    const full = cursor === undefined || cursor > latest;
    const entries = full ? this.entries : this.entries.slice(cursor ?? 0);
    response.writeHead(200, headers).end(JSON.stringify({ issuer: this.issuer, cursor: String(latest), full, entries }));
  }
}
