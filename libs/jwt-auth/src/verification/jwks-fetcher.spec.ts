import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createJwksFetcher } from './jwks-fetcher.js';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

const MAX_BYTES = 64 * 1024;
const GOOD_SET = JSON.stringify({ keys: [{ kty: 'OKP', crv: 'Ed25519', x: 'A'.repeat(43), kid: 'k1' }] });

describe('createJwksFetcher (against a local server)', () => {
  let server: Server;
  let handler: Handler;
  let uri: string;
  const paths: string[] = [];
  const fetchJwks = createJwksFetcher({ timeoutMs: 500, maxBytes: MAX_BYTES });

  // A server per test: a connection cut in one test is never a pooled one in the next.
  beforeEach(async () => {
    server = createServer((request, response) => {
      paths.push(request.url ?? '');
      handler(request, response);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    uri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
  });

  afterEach(async () => {
    paths.length = 0;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const json =
    (body: string, status = 200, type = 'application/json'): Handler =>
    (_request, response) => {
      response.writeHead(status, { 'content-type': type }).end(body);
    };

  it('returns a JWK set', async () => {
    handler = json(GOOD_SET);

    await expect(fetchJwks(uri)).resolves.toEqual(JSON.parse(GOOD_SET));
  });

  it('reads a body of exactly the limit', async () => {
    handler = json(GOOD_SET.replace('{"keys"', `{"pad":"${'p'.repeat(MAX_BYTES - GOOD_SET.length - 10)}","keys"`));

    await expect(fetchJwks(uri)).resolves.toMatchObject({ keys: [{ kid: 'k1' }] });
  });

  it('stops reading a streamed body (no content-length) past the limit, so the rest is never downloaded', async () => {
    const chunk = Buffer.alloc(64 * 1024, ' ');
    let written = 0;
    const closed = new Promise<void>((resolve) => {
      handler = (_request, response) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.write('{"keys":[');
        const pump = () => {
          while (written < 50 * 1024 * 1024 && !response.destroyed) {
            written += chunk.length;
            if (!response.write(chunk)) return void response.once('drain', pump);
          }
          response.end();
        };
        response.on('close', resolve);
        pump();
      };
    });

    await expect(fetchJwks(uri)).rejects.toThrow(`body over the ${MAX_BYTES}-byte limit`);
    await closed;
    expect(written).toBeLessThan(8 * 1024 * 1024);
  });

  it('refuses a body whose content-length is over the limit without reading it', async () => {
    handler = (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(MAX_BYTES + 1) });
      response.write('{"keys":[');
    };

    await expect(fetchJwks(uri)).rejects.toThrow(`body of ${MAX_BYTES + 1} bytes is over the ${MAX_BYTES}-byte limit`);
  });

  it('cuts off a trickling body at the timeout', async () => {
    handler = (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      const timer = setInterval(() => response.write(' '), 100);
      response.on('close', () => clearInterval(timer));
    };

    await expect(fetchJwks(uri)).rejects.toThrow(/JWKS fetch failed: unreadable body \((TimeoutError|AbortError)/);
  });

  it('does not follow a redirect', async () => {
    handler = (request, response) => {
      if (request.url === '/jwks.json') response.writeHead(302, { location: '/elsewhere' }).end();
      else json(GOOD_SET)(request, response);
    };

    await expect(fetchJwks(uri)).rejects.toThrow('answered HTTP 302, redirects are not followed');
    expect(paths).toEqual(['/jwks.json']);
  });

  it.each([
    ['a 304 (no validator is ever sent)', json('', 304)],
    ['a 500', json('{"keys":[]}', 500)],
    ['invalid JSON', json('{"keys": [')],
    ['an HTML page with 200', json('<!doctype html><html><body>Sign in</body></html>', 200, 'text/html')],
    ['JSON that is no key set', json('{"status":"maintenance"}')],
    ['a bare array', json('[]')],
    ['keys that are not an array', json('{"keys":{"kid":"k1"}}')],
    ['null', json('null')],
    ['invalid UTF-8', (_request: IncomingMessage, response: ServerResponse) => void response.writeHead(200).end(Buffer.from([0x7b, 0xff, 0x7d]))],
  ])('refuses %s', async (_case, answer) => {
    handler = answer;

    await expect(fetchJwks(uri)).rejects.toMatchObject({ name: 'JwksFetchError' });
  });
});
