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
 * and cut off at `maxBytes`. Resolves with the document, a JSON object naming `issuer` exactly;
 * anything else is a MetadataFetchError.
 */
export async function fetchIssuerMetadata(uri: string, limits: MetadataFetchLimits): Promise<Record<string, unknown>> {
  const timeout = AbortSignal.timeout(limits.timeoutMs);
  const body = await getJson(
    uri,
    { accept: 'application/json', signal: limits.signal ? AbortSignal.any([timeout, limits.signal]) : timeout, maxBytes: limits.maxBytes },
    (message) => new MetadataFetchError(message),
  );
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new MetadataFetchError('the body is not a JSON object');
  const document = body as Record<string, unknown>;
  if (document.issuer !== limits.issuer) throw new MetadataFetchError(`its "issuer" is not ${JSON.stringify(limits.issuer)}`);
  return document;
}

/**
 * The `revocation_feed_endpoint` the issuer's metadata advertises (`fetchIssuerMetadata`), undefined
 * when it advertises none. Refused: an advertised feed that is not an http(s) URL, or is plain http in
 * a document read over https.
 */
export async function fetchAdvertisedFeed(uri: string, limits: MetadataFetchLimits): Promise<string | undefined> {
  return advertisedEndpoint(await fetchIssuerMetadata(uri, limits), 'revocation_feed_endpoint', uri);
}

/** An endpoint member of a metadata document read from `uri`: undefined when absent, a MetadataFetchError when unusable. */
export function advertisedEndpoint(document: Record<string, unknown>, member: string, uri: string): string | undefined {
  const endpoint = document[member];
  if (endpoint === undefined) return undefined;
  const problem = advertisedFeedProblem(endpoint, new URL(uri).protocol);
  if (problem) throw new MetadataFetchError(`its "${member}" ${problem}`);
  return endpoint as string;
}

/** What is wrong with an advertised endpoint (`revocation_feed_endpoint`, `token_endpoint`), read over `metadataProtocol`; undefined when nothing. */
export function advertisedFeedProblem(feed: unknown, metadataProtocol: string): string | undefined {
  if (typeof feed !== 'string' || feed.length > MAX_URL_LENGTH || !URL.canParse(feed)) return 'is not a URL';
  const { protocol } = new URL(feed);
  if (protocol !== 'http:' && protocol !== 'https:') return 'is not an http(s) URL';
  if (metadataProtocol === 'https:' && protocol === 'http:') return 'is plain http in a document read over https';
  return undefined;
}
