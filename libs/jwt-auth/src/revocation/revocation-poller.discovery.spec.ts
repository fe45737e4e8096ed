import { Logger, type LoggerService } from '@nestjs/common';
import type { AuthenticatedCaller } from '@app/contracts';
import type { JwtAuthModuleOptions } from '../interfaces/jwt-auth-options.interface.js';
import type { JwtAuthMetrics } from '../interfaces/jwt-auth-metrics.interface.js';
import { resolveJwtAuthOptions } from '../jwt-auth.options.js';
import { ScriptedServer } from '../testing/scripted-server.js';
import { createTestIssuer } from '../testing/test-issuer.js';
import { RevocationFeedDiscovery } from './revocation-feed-discovery.js';
import { RevocationFeedStaleError } from './revocation-feed-stale.error.js';
import { RevocationPoller } from './revocation-poller.js';

const caller = (sessionId: string, tokenId = 'j'): AuthenticatedCaller => ({ userId: 'u', username: 'ann', sessionId, scopes: [], tokenId, expiresAt: 0 });
const quiet: LoggerService = { log: () => undefined, error: () => undefined, warn: () => undefined, debug: () => undefined };

async function until(done: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within 10 s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The poller with discovery, its ages on an injected clock; the metadata and feed reads are real HTTP. */
describe('RevocationPoller with a discovered feed', () => {
  let now: number;
  let polls: Array<[string, number]>;
  let running: RevocationPoller | undefined;
  const servers: Array<{ close(): Promise<void> } | { stop(): Promise<void> }> = [];
  const started = <T extends { close(): Promise<void> } | { stop(): Promise<void> }>(server: T): T => {
    servers.push(server);
    return server;
  };
  const metrics: JwtAuthMetrics = { verification: () => undefined, jwksFetch: () => undefined, revocationFeed: (result, age) => polls.push([result, age]) };
  const poller = (options: Pick<JwtAuthModuleOptions, 'issuer'> & Partial<JwtAuthModuleOptions>) => {
    const settings = resolveJwtAuthOptions({ audience: 'api', jwksTimeout: 500, revocationPollInterval: 100, ...options });
    running = new RevocationPoller(settings, () => now, metrics, new RevocationFeedDiscovery(settings));
    return running;
  };

  beforeAll(() => Logger.overrideLogger(quiet));
  beforeEach(() => {
    now = 1_800_000_000_000;
    polls = [];
  });
  afterEach(async () => {
    running?.onApplicationShutdown();
    for (const server of servers.splice(0)) await ('close' in server ? server.close() : server.stop());
  });

  it('does not wait for the metadata at start, and checks nothing until a feed is known', async () => {
    const silent = started(await ScriptedServer.start());
    silent.handler = () => undefined;
    const revocations = poller({ issuer: silent.url });

    await revocations.onApplicationBootstrap();
    expect(revocations.discoveryState).toBe('pending');
    expect(revocations.enabled).toBe(false);
    expect(() => revocations.check(caller('s1'))).not.toThrow();
  });

  it("follows the feed the issuer's metadata advertises: reads it, polls it, refuses what it lists", async () => {
    const kit = started(await createTestIssuer({ revocations: true }));
    now = Date.now(); // the kit's entries are dated on the real clock
    kit.revoke({ sid: 's1' });
    const revocations = poller({ issuer: kit.issuer });
    await revocations.onApplicationBootstrap();

    await until(() => revocations.size === 1, 'the discovered feed is read');
    expect(revocations.feedUri).toBe(kit.revocationFeedUri);
    expect(revocations.discoveryState).toBe('found');
    expect(() => revocations.check(caller('s1'))).toThrow(/^revoked: /);
    kit.revoke({ jti: 'j2' });
    await until(() => revocations.size === 2, 'a later entry is polled');
    expect(() => revocations.check(caller('s2', 'j2'))).toThrow(/^revoked: /);
    expect(() => revocations.check(caller('s2'))).not.toThrow();
  });

  it('with revocationMaxStaleness, fails closed once no feed is known that long after start (the metadata unreadable)', async () => {
    const down = started(await ScriptedServer.start());
    down.answerJson({ error: 'down' }, 503);
    const revocations = poller({ issuer: down.url, revocationMaxStaleness: 60_000 });
    await revocations.onApplicationBootstrap();
    await until(() => revocations.discoveryState === 'failing', 'the first metadata read fails');

    expect(polls).toEqual([['error', 0]]);
    now += 60_000;
    expect(() => revocations.check(caller('s9'))).not.toThrow();
    now += 1;
    expect(() => revocations.check(caller('s9'))).toThrow(RevocationFeedStaleError);
    expect(() => revocations.check(caller('s9'))).toThrow(
      expect.objectContaining({ reason: expect.stringContaining('no revocation feed known 60 s after start') }),
    );
  });

  it('without revocationMaxStaleness, an unreadable metadata document never refuses a token', async () => {
    const down = started(await ScriptedServer.start());
    down.answerJson({ error: 'down' }, 503);
    const revocations = poller({ issuer: down.url });
    await revocations.onApplicationBootstrap();
    await until(() => revocations.discoveryState === 'failing', 'the first metadata read fails');

    now += 86_400_000;
    expect(() => revocations.check(caller('s9'))).not.toThrow();
  });

  it('metadata that names no feed: nothing to be stale, nothing refused, even with revocationMaxStaleness', async () => {
    const kit = started(await createTestIssuer());
    const revocations = poller({ issuer: kit.issuer, revocationMaxStaleness: 1_000 });
    await revocations.onApplicationBootstrap();
    await until(() => revocations.discoveryState === 'not_advertised', 'the metadata is read');

    now += 86_400_000;
    expect(() => revocations.check(caller('s9'))).not.toThrow();
    expect(revocations.enabled).toBe(false);
  });

  it('a configured feed wins: the metadata is never read', async () => {
    const server = started(await ScriptedServer.start());
    server.handler = (request, response) => {
      const feed = request.url?.startsWith('/feed');
      const body = feed
        ? { issuer: server.url, cursor: '1', full: true, entries: [] }
        : { issuer: server.url, revocation_feed_endpoint: `${server.url}/other` };
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    const revocations = poller({ issuer: server.url, revocationFeedUri: `${server.url}/feed` });
    await revocations.onApplicationBootstrap();
    await revocations.poll();

    expect(revocations.discoveryState).toBe('off');
    expect(revocations.feedUri).toBe(`${server.url}/feed`);
    expect(server.paths.slice(0, 2)).toEqual(['/feed', '/feed?since=1']);
    expect(server.count('/.well-known')).toBe(0);
  });
});
