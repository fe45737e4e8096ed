import type { Revocation } from './revocation.repository.js';

/** One answer of the feed, before it becomes JSON. */
export interface FeedPage {
  cursor: number;
  full: boolean;
  entries: Revocation[];
}

/** One entry as the feed serves it: times are NumericDates (seconds), rounded up. */
export interface FeedEntry {
  type: 'sid' | 'jti' | 'client_id';
  value: string;
  revoked_at: number;
  expires_at: number;
}

/** The feed's JSON body (docs/revocation.md "The feed"). */
export interface FeedBody {
  issuer: string;
  cursor: string;
  full: boolean;
  entries: FeedEntry[];
}

/** The weak ETag of every answer made up to cursor `latest`: the same cursor, the same entries (bar expired ones). */
export function feedEtag(latest: number): string {
  return `W/"${latest}"`;
}

const CURSOR = /^\d{1,15}$/;

/** `since` as a cursor; undefined when absent; null when it is not one (a 400). */
export function parseCursor(since: unknown): number | undefined | null {
  if (since === undefined) return undefined;
  return typeof since === 'string' && CURSOR.test(since) ? Number(since) : null;
}

/**
 * Rounded up, so that a `client_id` entry's `revoked_at` is never earlier than the revocation: its
 * rule "tokens with `iat` before `revoked_at` are refused" then covers a token issued in the same
 * second before the revocation (`iat` is whole seconds).
 */
const seconds = (ms: number) => Math.ceil(ms / 1000);

export function feedBody(issuer: string, page: FeedPage): FeedBody {
  return {
    issuer,
    cursor: String(page.cursor),
    full: page.full,
    entries: page.entries.map((e) => ({ type: e.type, value: e.value, revoked_at: seconds(e.revokedAt), expires_at: seconds(e.expiresAt) })),
  };
}
