import { getJson } from '../verification/json-get.js';

export interface MetadataFetchLimits {
  timeoutMs: number;
  maxBytes: number;
  /** The `issuer` the document must name, exactly (RFC 8414 §3.3): a document of another issuer is refused. */
  issuer: string;
  /** Ends the request early (the application shutting down). */
  signal?: AbortSignal;
}

/** Any way a read of the metadata can fail; discovery retries. Its message never holds a body. */
export class MetadataFetchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MetadataFetchError';
  }
}

const MAX_URL_LENGTH = 2048;

/**
 * One GET of the issuer's metadata document, bounded like the JWKS read (jwks-fetcher.ts): a timeout
 * over the whole exchange, no redirects, only a 200 (as openid-client's discovery), the body streamed
 * and cut off at `maxBytes`. Resolves with the `revocation_feed_endpoint` it advertises, undefined when
 * it advertises none. Refused: a body that is not a JSON object naming `issuer` exactly, and an
 * advertised feed that is not an http(s) URL, or is plain http in a document read over https.
 */
export async function fetchAdvertisedFeed(uri: string, limits: MetadataFetchLimits): Promise<string | undefined> {
  const timeout = AbortSignal.timeout(limits.timeoutMs);
  const body = await getJson(
    uri,
    { accept: 'application/json', signal: limits.signal ? AbortSignal.any([timeout, limits.signal]) : timeout, maxBytes: limits.maxBytes },
    (message) => new MetadataFetchError(message),
  );
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new MetadataFetchError('the body is not a JSON object');
  const { issuer, revocation_feed_endpoint: feed } = body as Record<string, unknown>;
  if (issuer !== limits.issuer) throw new MetadataFetchError(`its "issuer" is not ${JSON.stringify(limits.issuer)}`);
  if (feed === undefined) return undefined;
  const problem = advertisedFeedProblem(feed, new URL(uri).protocol);
  if (problem) throw new MetadataFetchError(`its "revocation_feed_endpoint" ${problem}`);
  return feed as string;
}

/** What is wrong with an advertised `revocation_feed_endpoint`, read over `metadataProtocol`; undefined when nothing. */
export function advertisedFeedProblem(feed: unknown, metadataProtocol: string): string | undefined {
  if (typeof feed !== 'string' || feed.length > MAX_URL_LENGTH || !URL.canParse(feed)) return 'is not a URL';
  const { protocol } = new URL(feed);
  if (protocol !== 'http:' && protocol !== 'https:') return 'is not an http(s) URL';
  if (metadataProtocol === 'https:' && protocol === 'http:') return 'is plain http in a document read over https';
  return undefined;
}
