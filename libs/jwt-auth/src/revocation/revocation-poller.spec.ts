import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AuthenticatedCaller } from '@app/contracts';
import type { JwtAuthSettings } from '../interfaces/jwt-auth-options.interface.js';
import type { JwtAuthMetrics } from '../interfaces/jwt-auth-metrics.interface.js';
import { resolveJwtAuthOptions } from '../jwt-auth.options.js';
import { RevocationFeedDiscovery } from './revocation-feed-discovery.js';
import { RevocationFeedStaleError } from './revocation-feed-stale.error.js';
import { RevocationPoller } from './revocation-poller.js';

const ISSUER = 'https://issuer.test';
const NOW = 1_800_000_000_000;
const entry = (type: string, value: string) => ({ type, value, revoked_at: NOW / 1000, expires_at: NOW / 1000 + 930 });
const caller = (sessionId: string, tokenId = 'j'): AuthenticatedCaller => ({ userId: 'u', username: 'ann', sessionId, scopes: [], tokenId, expiresAt: 0 });

/** A feed the test scripts: each request is recorded and answered by `answer`. */
class FakeFeed {
  readonly requests: IncomingMessage[] = [];
  answer: (req: IncomingMessage) => { status: number; body?: unknown; etag?: string } = () => ({ status: 503 });
  private server?: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      this.requests.push(req);
      const { status, body, etag } = this.answer(req);
      if (etag) res.setHeader('etag', etag);
      res.writeHead(status, { 'content-type': 'application/json' }).end(body === undefined ? undefined : JSON.stringify(body));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/oauth/revocations`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server!.close(() => resolve()));
  }
}

/** The debug-log reason of the refusal `check` throws; undefined when it accepts. */
function refusal(check: () => void): string | undefined {
  try {
    check();
    return undefined;
  } catch (error: unknown) {
    return (error as { reason: string }).reason;
  }
}

describe('RevocationPoller on an injected clock', () => {
  const feed = new FakeFeed();
  let now: number;
  let polls: Array<[string, number]>;
  const metrics: JwtAuthMetrics = { verification: () => undefined, jwksFetch: () => undefined, revocationFeed: (result, age) => polls.push([result, age]) };
  const poller = (options: { maxStaleness?: number; uri?: string | false } = {}) => {
    const settings: JwtAuthSettings = resolveJwtAuthOptions({
      jwksUri: `${ISSUER}/jwks`,
      issuer: ISSUER,
      audience: 'api',
      algorithms: ['RS256'],
      clockTolerance: 0,
      revocationFeedUri: options.uri ?? feed.url,
      revocationMaxStaleness: options.maxStaleness,
      jwksTimeout: 1_000,
    });
    return new RevocationPoller(settings, () => now, metrics, new RevocationFeedDiscovery(settings));
  };

  beforeAll(() => feed.start());
  afterAll(() => feed.stop());
  beforeEach(() => {
    now = NOW;
    polls = [];
    feed.requests.length = 0;
  });

  it('reads everything first, then asks only for what is new with the cursor and the ETag', async () => {
    feed.answer = (req) =>
      req.url!.includes('since=')
        ? req.headers['if-none-match'] === 'W/"7"'
          ? { status: 200, etag: 'W/"8"', body: { issuer: ISSUER, cursor: '8', full: false, entries: [entry('jti', 'j2')] } }
          : { status: 500 }
        : { status: 200, etag: 'W/"7"', body: { issuer: ISSUER, cursor: '7', full: true, entries: [entry('sid', 's1')] } };
    const revocations = poller();
    expect(await revocations.poll()).toBe('ok');
    expect(refusal(() => revocations.check(caller('s1')))).toBe('revoked: its session (sid) is listed');
    expect(() => revocations.check(caller('s2'))).not.toThrow();

    expect(await revocations.poll()).toBe('ok');
    expect(feed.requests[1].url).toBe('/oauth/revocations?since=7');
    expect(refusal(() => revocations.check(caller('s2', 'j2')))).toBe('revoked: its jti is listed');
    expect(refusal(() => revocations.check(caller('s1')))).toMatch(/^revoked: /);
    expect(polls).toEqual([
      ['ok', 0],
      ['ok', 0],
    ]);
  });

  it('a 304 keeps the list and counts as a good read', async () => {
    feed.answer = (req) =>
      req.headers['if-none-match']
        ? { status: 304 }
        : { status: 200, etag: 'W/"3"', body: { issuer: ISSUER, cursor: '3', full: true, entries: [entry('sid', 's1')] } };
    const revocations = poller();
    await revocations.poll();
    now += 10_000;
    expect(await revocations.poll()).toBe('not_modified');
    expect(revocations.ageMs).toBe(0);
    expect(refusal(() => revocations.check(caller('s1')))).toMatch(/^revoked/);
  });

  it('while the feed cannot be read, keeps the last list, and its age grows', async () => {
    feed.answer = () => ({ status: 200, etag: 'W/"1"', body: { issuer: ISSUER, cursor: '1', full: true, entries: [entry('sid', 's1')] } });
    const revocations = poller();
    await revocations.poll();
    for (const bad of [{ status: 503 }, { status: 200, body: { issuer: 'https://other.test', cursor: '2', full: true, entries: [] } }, { status: 302 }]) {
      feed.answer = () => bad;
      now += 5_000;
      expect(await revocations.poll()).toBe('error');
      expect(refusal(() => revocations.check(caller('s1')))).toMatch(/^revoked/);
    }
    expect(polls.map(([, age]) => age)).toEqual([0, 5, 10, 15]);
  });

  it('refuses a malformed body as a whole', async () => {
    feed.answer = () => ({ status: 200, body: { issuer: ISSUER, cursor: '1', full: true, entries: [entry('sid', 's1'), { type: 'sid', value: 5 }] } });
    const revocations = poller();
    expect(await revocations.poll()).toBe('error');
    expect(revocations.size).toBe(0);
  });

  it('fails closed with revocationMaxStaleness once the list is older than that, and recovers on the next read', async () => {
    feed.answer = () => ({ status: 200, body: { issuer: ISSUER, cursor: '1', full: true, entries: [] } });
    const revocations = poller({ maxStaleness: 30_000 });
    await revocations.poll();
    feed.answer = () => ({ status: 503 });
    now += 30_000;
    await revocations.poll();
    expect(() => revocations.check(caller('s9'))).not.toThrow();
    now += 1;
    expect(() => revocations.check(caller('s9'))).toThrow(RevocationFeedStaleError);
    feed.answer = () => ({ status: 200, body: { issuer: ISSUER, cursor: '1', full: true, entries: [] } });
    await revocations.poll();
    expect(() => revocations.check(caller('s9'))).not.toThrow();
  });

  it('without the option fails open however old the list is', async () => {
    feed.answer = () => ({ status: 503 });
    const revocations = poller();
    now += 86_400_000;
    await revocations.poll();
    expect(() => revocations.check(caller('s9'))).not.toThrow();
  });

  it('with revocationFeedUri: false does nothing and refuses nothing, even with a staleness bound', async () => {
    const revocations = poller({ uri: false, maxStaleness: 1_000 });
    await revocations.onApplicationBootstrap();
    now += 86_400_000;
    expect(revocations.enabled).toBe(false);
    expect(revocations.discoveryState).toBe('off');
    expect(feed.requests).toHaveLength(0);
    expect(() => revocations.check(caller('s1'))).not.toThrow();
  });

  it('drops entries once expired', async () => {
    feed.answer = () => ({ status: 200, body: { issuer: ISSUER, cursor: '1', full: true, entries: [entry('sid', 's1')] } });
    const revocations = poller();
    await revocations.poll();
    expect(revocations.size).toBe(1);
    now += 930_000;
    feed.answer = () => ({ status: 503 });
    await revocations.poll();
    expect(revocations.size).toBe(0);
  });
});
