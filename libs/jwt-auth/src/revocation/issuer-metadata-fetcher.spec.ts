import { ScriptedServer } from '../testing/scripted-server.js';
import { advertisedFeedProblem, fetchAdvertisedFeed, MetadataFetchError } from './issuer-metadata-fetcher.js';

const MAX_BYTES = 8 * 1024;
const PATH = '/.well-known/oauth-authorization-server';

describe('fetchAdvertisedFeed (against a local server)', () => {
  let server: ScriptedServer;
  let issuer: string;
  const read = (uri = `${issuer}${PATH}`, signal?: AbortSignal) => fetchAdvertisedFeed(uri, { timeoutMs: 500, maxBytes: MAX_BYTES, issuer, signal });

  // A server per test: a connection cut in one test is never a pooled one in the next.
  beforeEach(async () => {
    server = await ScriptedServer.start();
    issuer = server.url;
  });
  afterEach(() => server.stop());

  it("gives the feed the issuer's metadata advertises", async () => {
    server.answerJson({ issuer, jwks_uri: `${issuer}/jwks`, revocation_feed_endpoint: `${issuer}/oauth/revocations` });

    await expect(read()).resolves.toBe(`${issuer}/oauth/revocations`);
  });

  it('gives undefined when the metadata advertises no feed', async () => {
    server.answerJson({ issuer, jwks_uri: `${issuer}/jwks` });

    await expect(read()).resolves.toBeUndefined();
  });

  const advertising = (feed: unknown) => (own: string) => ({ issuer: own, revocation_feed_endpoint: feed });
  it.each([
    ['another issuer', () => ({ issuer: 'http://evil.test', revocation_feed_endpoint: 'http://evil.test/feed' }), /"issuer" is not/],
    ['no issuer', () => ({ revocation_feed_endpoint: 'http://127.0.0.1:1/feed' }), /"issuer" is not/],
    ['an issuer differing by a trailing /', (own: string) => ({ issuer: `${own}/` }), /"issuer" is not/],
    ['a JSON array', (own: string) => [{ issuer: own }], /not a JSON object/],
    ['a JSON string', () => 'metadata', /not a JSON object/],
    ['a feed that is a file: URL', advertising('file:///etc/passwd'), /"revocation_feed_endpoint" is not an http\(s\) URL/],
    ['a feed that is a javascript: URL', advertising('javascript:alert(1)'), /"revocation_feed_endpoint" is not an http\(s\) URL/],
    ['a feed that is no URL', advertising('feed'), /"revocation_feed_endpoint" is not a URL/],
    ['a feed that is a number', advertising(42), /"revocation_feed_endpoint" is not a URL/],
    ['a feed that is null', advertising(null), /"revocation_feed_endpoint" is not a URL/],
    ['a feed URL of 3 KB', advertising(`http://127.0.0.1/${'a'.repeat(3000)}`), /"revocation_feed_endpoint" is not a URL/],
  ])('refuses a document with %s', async (_case, document: (own: string) => unknown, message) => {
    server.answerJson(document(issuer));

    await expect(read()).rejects.toThrow(message);
  });

  it('refuses a body that is not JSON, and never puts the body in its message', async () => {
    // Short: node 20's JSON.parse message would quote all of it.
    server.handler = (_request, response) => void response.writeHead(200, { 'content-type': 'text/html' }).end('secret-mk');

    const error = (await read().then(
      () => undefined,
      (caught: unknown) => caught,
    )) as Error;
    expect(error).toBeInstanceOf(MetadataFetchError);
    expect(error.message).toBe('unreadable body (the body is not JSON (9 bytes))');
    expect(error.message).not.toContain('secret');
  });

  it('does not follow a redirect, even to a good document on the same server', async () => {
    server.handler = (request, response) => {
      if (request.url === PATH) return void response.writeHead(302, { location: '/good' }).end();
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ issuer, revocation_feed_endpoint: `${issuer}/feed` }));
    };

    await expect(read()).rejects.toThrow('answered HTTP 302, redirects are not followed');
    expect(server.paths).toEqual([PATH]);
  });

  it.each([404, 500, 204])('refuses an HTTP %d', async (status) => {
    server.answerJson({ issuer, revocation_feed_endpoint: `${issuer}/feed` }, status);

    await expect(read()).rejects.toThrow(`answered HTTP ${status}`);
  });

  it('refuses a body announced over the size limit', async () => {
    server.handler = (_request, response) => void response.writeHead(200, { 'content-length': String(MAX_BYTES + 1) }).end(' '.repeat(MAX_BYTES + 1));

    await expect(read()).rejects.toThrow(`body of ${MAX_BYTES + 1} bytes is over the ${MAX_BYTES}-byte limit`);
  });

  it('stops reading a streamed body (no content-length) past the limit, so the rest is never downloaded', async () => {
    let written = 0;
    const closed = new Promise<void>((resolve) => {
      server.handler = (_request, response) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.write(`{"issuer":${JSON.stringify(issuer)},"pad":"`);
        const chunk = Buffer.alloc(16 * 1024, 'p');
        const pump = () => {
          while (written < 50 * 1024 * 1024 && !response.destroyed) {
            written += chunk.length;
            if (!response.write(chunk)) return void response.once('drain', pump);
          }
          response.end('"}');
        };
        response.on('close', () => resolve());
        pump();
      };
    });

    await expect(read()).rejects.toThrow(`body over the ${MAX_BYTES}-byte limit`);
    await closed;
    expect(written).toBeLessThan(10 * 1024 * 1024);
  });

  it('gives up on a server that never finishes its answer, at the timeout', async () => {
    server.handler = (_request, response) => void response.writeHead(200, { 'content-type': 'application/json' }).write('{"issuer":');

    await expect(read()).rejects.toThrow(/^unreadable body \((TimeoutError|AbortError)/);
  });

  it('ends at once when its signal is aborted (the application shutting down)', async () => {
    server.handler = () => undefined;
    const shutdown = new AbortController();
    const reading = read(undefined, shutdown.signal);
    shutdown.abort();

    await expect(reading).rejects.toThrow(/^no answer \(AbortError/);
  });

  it('fails with "no answer" when no one listens', async () => {
    await server.stop();
    await expect(read()).rejects.toThrow(/^no answer \(TypeError/);
    server = await ScriptedServer.start();
  });
});

describe('advertisedFeedProblem', () => {
  it.each([
    ['https://auth.example.com/oauth/revocations', 'https:', undefined],
    ['http://auth:3000/oauth/revocations', 'http:', undefined],
    ['https://feed.example.com/r', 'http:', undefined],
    ['http://auth.example.com/oauth/revocations', 'https:', 'is plain http in a document read over https'],
    ['ftp://auth.example.com/r', 'https:', 'is not an http(s) URL'],
    ['/oauth/revocations', 'https:', 'is not a URL'],
  ])('%s read over %s: %s', (feed, protocol, problem) => {
    expect(advertisedFeedProblem(feed, protocol)).toBe(problem);
  });
});
