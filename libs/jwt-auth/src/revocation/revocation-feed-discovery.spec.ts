import { Logger, type LoggerService } from '@nestjs/common';
import type { JwtAuthModuleOptions } from '../interfaces/jwt-auth-options.interface.js';
import { resolveJwtAuthOptions } from '../jwt-auth.options.js';
import { ScriptedServer } from '../testing/scripted-server.js';
import { discoveryRetryDelay, RevocationFeedDiscovery, type FeedDiscoveryListener } from './revocation-feed-discovery.js';

const METADATA = '/.well-known/oauth-authorization-server';

/** Every line logged, as `<level> <message>`. */
class Lines implements LoggerService {
  readonly lines: string[] = [];
  log = (message: unknown) => void this.lines.push(`log ${String(message)}`);
  error = (message: unknown) => void this.lines.push(`error ${String(message)}`);
  warn = (message: unknown) => void this.lines.push(`warn ${String(message)}`);
  debug = (message: unknown) => void this.lines.push(`debug ${String(message)}`);
  of(level: string): string[] {
    return this.lines.filter((line) => line.startsWith(`${level} `));
  }
}

async function until(done: () => boolean, what: string, deadlineMs = 10_000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${deadlineMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('RevocationFeedDiscovery', () => {
  let server: ScriptedServer;
  let logs: Lines;
  const events: string[] = [];
  const listener: FeedDiscoveryListener = { found: (uri) => void events.push(`found ${uri}`), failed: () => void events.push('failed') };
  const discovery = (options: Partial<JwtAuthModuleOptions> = {}) =>
    new RevocationFeedDiscovery(resolveJwtAuthOptions({ issuer: server.url, audience: 'api', jwksTimeout: 500, ...options }));
  const metadata = (extra: Record<string, unknown> = {}) => ({ issuer: server.url, jwks_uri: `${server.url}/jwks`, ...extra });

  beforeAll(() => {
    logs = new Lines();
    Logger.overrideLogger(logs);
  });
  beforeEach(async () => {
    server = await ScriptedServer.start();
    logs.lines.length = 0;
    events.length = 0;
  });
  afterEach(() => server.stop());

  it("finds the feed the issuer's metadata advertises, and logs it once", async () => {
    server.answerJson(metadata({ revocation_feed_endpoint: `${server.url}/oauth/revocations` }));
    const found = discovery();
    expect(found.state).toBe('pending');

    expect(await found.attempt()).toBe('found');
    expect(found.feedUri).toBe(`${server.url}/oauth/revocations`);
    expect(server.paths).toEqual([METADATA]);
    expect(await found.attempt()).toBe('found');
    expect(server.paths).toHaveLength(1);
    expect(logs.of('log')).toEqual([`log revocation feed ${server.url}/oauth/revocations found in the issuer's metadata (${server.url}${METADATA})`]);
  });

  it('settles on not_advertised when the metadata names no feed, and reads it no more', async () => {
    server.answerJson(metadata());
    const none = discovery();

    expect(await none.attempt()).toBe('not_advertised');
    expect(await none.attempt()).toBe('not_advertised');
    expect(none.feedUri).toBeUndefined();
    expect(server.paths).toHaveLength(1);
    expect(logs.of('warn')).toEqual([]);
  });

  it('warns when a staleness bound is set but the metadata names no feed', async () => {
    server.answerJson(metadata());

    expect(await discovery({ revocationMaxStaleness: 60_000 }).attempt()).toBe('not_advertised');
    expect(logs.of('warn')).toEqual([expect.stringContaining('revocationMaxStaleness has no effect')]);
  });

  it('while the metadata cannot be read: failing, one warning for the whole outage, then found once it can', async () => {
    server.answerJson({ error: 'down' }, 503);
    const flaky = discovery();
    for (let i = 0; i < 3; i += 1) expect(await flaky.attempt()).toBe('failing');
    expect(flaky.awaiting).toBe(true);
    server.answerJson(metadata({ revocation_feed_endpoint: `${server.url}/feed` }));

    expect(await flaky.attempt()).toBe('found');
    expect(flaky.awaiting).toBe(false);
    const [warning, ...others] = logs.of('warn');
    expect(others).toEqual([]);
    expect(warning).toContain(`${server.url}${METADATA}: answered HTTP 503`);
    expect(warning).toContain('no revocation check until it is read');
    expect(logs.of('debug').filter((line) => line.includes('still unreadable'))).toHaveLength(2);
    expect(logs.of('log')).toEqual([expect.stringContaining("found in the issuer's metadata")]);
    expect(logs.of('log')[0]).toContain('after 3 failed read(s)');
  });

  it("the warning says when tokens will be refused if a staleness bound is set, and doesn't put the body in", async () => {
    server.answerJson({ error: 'secret-marker' }, 200);

    expect(await discovery({ revocationMaxStaleness: 120_000 }).attempt()).toBe('failing');
    expect(logs.of('warn')).toEqual([expect.stringContaining('tokens are refused (503) once 120 s have passed without a feed')]);
    expect(logs.lines.join('\n')).not.toContain('secret-marker');
  });

  it('retries on its own with backoff until the metadata can be read (real clock: the first retry is 1 s later)', async () => {
    let reads = 0;
    server.handler = (_request, response) => {
      reads += 1;
      const body = reads === 1 ? { error: 'down' } : metadata({ revocation_feed_endpoint: `${server.url}/feed` });
      response.writeHead(reads === 1 ? 503 : 200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    const retrying = discovery();
    retrying.start(listener);

    await until(() => retrying.state === 'found', 'found after a retry');
    expect(events).toEqual(['failed', `found ${server.url}/feed`]);
    expect(server.paths).toEqual([METADATA, METADATA]);
    retrying.stop();
  });

  it('backs off 1 s, 2 s, 4 s… and then reads at most once a minute', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 100, 10_000].map(discoveryRetryDelay)).toEqual([1, 2, 4, 8, 16, 32, 60, 60, 60, 60].map((s) => s * 1000));
  });

  it('an issuer with a path: the RFC 8414 location first, then its own path + /.well-known', async () => {
    const issuer = `${server.url}/auth`;
    server.handler = (request, response) => {
      const own = request.url === `/auth${METADATA}`;
      const body = own ? { issuer, revocation_feed_endpoint: `${issuer}/oauth/revocations` } : { error: 'not found' };
      response.writeHead(own ? 200 : 404, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    const pathed = discovery({ issuer });

    expect(await pathed.attempt()).toBe('found');
    expect(pathed.feedUri).toBe(`${issuer}/oauth/revocations`);
    expect(server.paths).toEqual([`${METADATA}/auth`, `/auth${METADATA}`]);
  });

  it.each([
    ['a configured feed', { revocationFeedUri: 'http://127.0.0.1:1/feed' }],
    ['revocationFeedUri: false', { revocationFeedUri: false as const }],
    ['an issuer that is not a URL', { issuer: 'urn:example:issuer', jwksUri: 'http://127.0.0.1:1/jwks' }],
  ])('is off with %s: no metadata read', async (_case, options) => {
    server.answerJson(metadata({ revocation_feed_endpoint: `${server.url}/feed` }));
    const off = discovery(options);
    off.start(listener);

    expect(off.state).toBe('off');
    expect(await off.attempt()).toBe('off');
    expect(server.paths).toEqual([]);
    expect(events).toEqual([]);
  });

  it('stop() aborts a read in flight: no warning, no retry', async () => {
    server.handler = () => undefined;
    const stopping = discovery();
    const reading = stopping.attempt();
    await until(() => server.paths.length === 1, 'the read reaches the server');
    stopping.stop();

    expect(await reading).toBe('pending');
    expect(await stopping.attempt()).toBe('pending');
    expect(logs.of('warn')).toEqual([]);
    expect(server.paths).toHaveLength(1);
  });
});
