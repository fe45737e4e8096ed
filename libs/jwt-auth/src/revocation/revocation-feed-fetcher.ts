import { describeBodyFailure, readJsonBody } from '../verification/bounded-body.js';
import type { RevocationEntry } from './revocation-index.js';

/** The feed's answer, checked: `not_modified` for a 304 to our `If-None-Match`. */
export type FeedAnswer = { status: 'not_modified' } | { status: 'ok'; etag?: string; cursor: string; full: boolean; entries: RevocationEntry[] };

export interface FeedFetchLimits {
  timeoutMs: number;
  maxBytes: number;
  /** The `issuer` the feed must name: a feed of another issuer is refused. */
  issuer: string;
}

/** Any way a poll can fail; the poller keeps its last list. Its message never holds a body. */
export class FeedFetchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FeedFetchError';
  }
}

const TYPES = new Set(['sid', 'jti', 'client_id']);
const MAX_VALUE_LENGTH = 1024;

/**
 * One GET of the revocation feed, bounded like the JWKS read (jwks-fetcher.ts): a timeout over the
 * whole exchange, no redirects, the body streamed and cut off at `maxBytes`, and a body that is not
 * exactly the feed's shape refused as a whole (docs/revocation.md "The feed").
 */
export async function fetchFeed(uri: string, etag: string | undefined, limits: FeedFetchLimits): Promise<FeedAnswer> {
  let response: Response;
  try {
    response = await fetch(uri, {
      headers: { accept: 'application/json', ...(etag === undefined ? {} : { 'if-none-match': etag }) },
      redirect: 'manual',
      signal: AbortSignal.timeout(limits.timeoutMs),
    });
  } catch (error: unknown) {
    throw new FeedFetchError(`no answer (${(error as { name?: string } | undefined)?.name ?? 'unknown error'})`);
  }
  if (response.status === 304 && etag !== undefined) return { status: 'not_modified' };
  if (response.status !== 200) {
    await response.body?.cancel();
    throw new FeedFetchError(`answered HTTP ${response.status}`);
  }
  let body: unknown;
  try {
    body = await readJsonBody(response, limits.maxBytes);
  } catch (error: unknown) {
    throw new FeedFetchError(`unreadable body (${describeBodyFailure(error)})`);
  }
  const problem = feedProblem(body, limits.issuer);
  if (problem) throw new FeedFetchError(`not a revocation feed: ${problem}`);
  const feed = body as { cursor: string; full: boolean; entries: RevocationEntry[] };
  return { status: 'ok', etag: response.headers.get('etag') ?? undefined, cursor: feed.cursor, full: feed.full, entries: feed.entries };
}

function feedProblem(body: unknown, issuer: string): string | undefined {
  if (typeof body !== 'object' || body === null) return 'not an object';
  const { issuer: named, cursor, full, entries } = body as Record<string, unknown>;
  if (named !== issuer) return `issuer is not ${JSON.stringify(issuer)}`;
  if (typeof cursor !== 'string' || cursor === '' || cursor.length > 64) return 'cursor is not a short string';
  if (typeof full !== 'boolean') return 'full is not a boolean';
  if (!Array.isArray(entries)) return 'entries is not an array';
  const bad = entries.findIndex((entry) => !isEntry(entry));
  return bad >= 0 ? `entries[${bad}] is not {type, value, revoked_at, expires_at}` : undefined;
}

function isEntry(entry: unknown): entry is RevocationEntry {
  if (typeof entry !== 'object' || entry === null) return false;
  const { type, value, revoked_at: revokedAt, expires_at: expiresAt } = entry as Record<string, unknown>;
  return (
    typeof type === 'string' &&
    TYPES.has(type) &&
    typeof value === 'string' &&
    value !== '' &&
    value.length <= MAX_VALUE_LENGTH &&
    Number.isFinite(revokedAt) &&
    Number.isFinite(expiresAt)
  );
}
