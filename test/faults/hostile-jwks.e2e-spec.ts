import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JWK } from 'jose';
import { TEST_AUDIENCE, TEST_ISSUER, createTestKey, signAccessToken, type TestKey } from '../support/jwks-fixture.js';
import { BUILT, ServiceProcess, sleep } from '../support/service-process.js';

/**
 * The built resource-service, as a process, in front of a JWKS server that turns hostile: each way
 * a key set can be too big, too slow, malformed, redirected or bloated. Throughout, the key that
 * worked keeps working, unknown kids get 401 or 503 (never 500), and the process's RSS stays bounded;
 * once the server behaves again, a newly published key is found. See docs/security-model.md.
 */

const CACHE_MAX_AGE_MS = 300;
const MAX_BYTES = 2 * 1024 * 1024;
const HUGE_BYTES = 50 * 1024 * 1024;
const RSS_HEADROOM_BYTES = 60 * 1024 * 1024;

type Mode = 'good' | 'huge' | 'huge-announced' | 'trickle' | 'invalid-json' | 'html' | 'redirect' | 'not-a-set' | 'not-modified' | 'many-keys' | 'wrong-types';

/** A JWKS endpoint whose `mode` the test switches; `/huge` always streams 50 MB. */
class HostileJwks {
  mode: Mode = 'good';
  keys: JWK[] = [];
  requests: string[] = [];
  /** Bytes each huge answer managed to write before the verifier hung up. */
  hugeWritten: number[] = [];
  private readonly server = createServer((request, response) => this.answer(request, response));

  get uri(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/jwks.json`;
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private answer(request: IncomingMessage, response: ServerResponse): void {
    this.requests.push(`${this.mode} ${request.url}`);
    const json = (body: string, status = 200, type = 'application/json'): void => void response.writeHead(status, { 'content-type': type }).end(body);
    if (request.url === '/huge') return this.streamHuge(response);
    switch (this.mode) {
      case 'good':
        return json(JSON.stringify({ keys: this.keys }));
      case 'huge':
        return this.streamHuge(response);
      case 'huge-announced':
        response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(HUGE_BYTES) });
        return void response.write('{"keys":[');
      case 'trickle': {
        response.writeHead(200, { 'content-type': 'application/json' });
        const body = JSON.stringify({ keys: this.keys });
        let sent = 0;
        const timer = setInterval(() => response.write(body[sent++ % body.length]), 100);
        return void response.on('close', () => clearInterval(timer));
      }
      case 'invalid-json':
        return json('{"keys": [{"kty": "EC",');
      case 'html':
        return json('<!doctype html><html><body><h1>Sign in</h1></body></html>', 200, 'text/html');
      case 'redirect':
        return void response.writeHead(302, { location: '/huge' }).end();
      case 'not-a-set':
        return json('{"keys":{"0":{}}}');
      case 'not-modified':
        return void response.writeHead(304).end();
      case 'many-keys':
      case 'wrong-types':
        return json(JSON.stringify({ keys: this.keys }));
    }
  }

  private streamHuge(response: ServerResponse): void {
    const chunk = Buffer.alloc(64 * 1024, ' ');
    let written = 0;
    response.writeHead(200, { 'content-type': 'application/json' });
    response.write('{"keys":[');
    const pump = () => {
      while (written < HUGE_BYTES && !response.destroyed) {
        written += chunk.length;
        if (!response.write(chunk)) return void response.once('drain', pump);
      }
      response.end(']}');
    };
    response.on('close', () => this.hugeWritten.push(written));
    pump();
  }
}

/** Importable Ed25519 entries nobody holds the private half of. */
const junk = (count: number): JWK[] =>
  Array.from({ length: count }, (_, index) => ({
    kty: 'OKP',
    crv: 'Ed25519',
    x: randomBytes(32).toString('base64url'),
    kid: `junk-${index}`,
    alg: 'EdDSA',
    use: 'sig',
  }));

async function rssOf(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
}

describe('fault: a hostile JWKS in front of the built resource-service', () => {
  const jwks = new HostileJwks();
  const statuses: number[] = [];
  const rss: Array<[string, number]> = [];
  let service: ServiceProcess;
  let known: TestKey;
  let baseline: number;

  const call = async (key: TestKey, kid = key.kid): Promise<number> => {
    const token = await signAccessToken(key, { header: { kid } });
    const response = await fetch(`${service.url}/resource/protected`, { headers: { authorization: `Bearer ${token}` } });
    await response.arrayBuffer();
    statuses.push(response.status);
    return response.status;
  };
  const record = async (label: string) => rss.push([label, await rssOf(service.child.pid!)]);

  beforeAll(async () => {
    known = await createTestKey('ES256');
    jwks.keys = [known.publicJwk];
    await jwks.start();
    service = await ServiceProcess.start(BUILT.resource, {
      AUTH_ISSUER: TEST_ISSUER,
      AUTH_AUDIENCE: TEST_AUDIENCE,
      JWKS_URI: jwks.uri,
      JWKS_CACHE_MAX_AGE: `${CACHE_MAX_AGE_MS}ms`,
      JWKS_REQUESTS_PER_MINUTE: '6000',
      JWKS_TIMEOUT: '1s',
      JWKS_MAX_BYTES: String(MAX_BYTES),
      JWT_VERIFIED_CACHE_SIZE: '0',
    });
    for (let warm = 0; warm < 20; warm += 1) expect(await call(known)).toBe(200);
    await record('start (good set, key in use)');
    baseline = rss[0][1];
  }, 60_000);

  afterAll(async () => {
    await service?.stop();
    await jwks.stop();
    const table = rss.map(([label, bytes]) => `  ${label.padEnd(48)} ${(bytes / 1024 / 1024).toFixed(1)} MB`).join('\n');
    process.stdout.write(`hostile-jwks: resource-service VmRSS\n${table}\n`);
  });

  /** The mode's refetches: unknown kids force reads; the known key keeps answering 200 meanwhile. */
  async function underMode(mode: Mode, unknownStatus: 401 | 503): Promise<void> {
    jwks.mode = mode;
    const before = jwks.requests.length;
    const stranger = await createTestKey('ES256');
    for (let round = 0; round < 3; round += 1) {
      expect(await call(stranger)).toBe(unknownStatus);
      await sleep(CACHE_MAX_AGE_MS + 50);
      const burst = await Promise.all([...Array(10).keys()].map(() => call(known)));
      expect(burst).toEqual(Array(10).fill(200));
    }
    expect(jwks.requests.length).toBeGreaterThanOrEqual(before + 3);
    await record(`after ${mode}`);
  }

  it.each<[Mode]>([['huge'], ['huge-announced'], ['trickle'], ['invalid-json'], ['html'], ['redirect'], ['not-a-set'], ['not-modified']])(
    'keeps the known key through a %s answer; unknown kids are 503 (the set cannot be read)',
    async (mode) => {
      await underMode(mode, 503);
    },
    30_000,
  );

  it('never downloads more of a 50 MB body than a few MB, and never follows the redirect', () => {
    expect(jwks.hugeWritten.length).toBeGreaterThanOrEqual(3);
    for (const written of jwks.hugeWritten) expect(written).toBeLessThan(MAX_BYTES + 8 * 1024 * 1024);
    expect(jwks.requests.filter((line) => line.startsWith('redirect /huge'))).toEqual([]);
  });

  it('keeps the key in use, and finds a kid asked for, when 10,000 keys list them last', async () => {
    const listedLast = await createTestKey('ES256');
    jwks.keys = [...junk(10_000), known.publicJwk, listedLast.publicJwk];
    await underMode('many-keys', 401);

    expect(await call(listedLast)).toBe(200);
    expect(await call(known, 'junk-9999')).toBe(401);
  }, 30_000);

  it('skips entries of the wrong kty, alg or use, even under the known kid', async () => {
    const { kid } = known;
    jwks.keys = [
      { kty: 'oct', k: randomBytes(32).toString('base64url'), kid, alg: 'HS256' },
      { ...known.publicJwk, alg: 'RS256' },
      { ...known.publicJwk, use: 'enc' },
      { kty: 'RSA', n: 'AQAB', e: 'AQAB', kid: 'tiny-rsa', alg: 'RS256' },
      { kty: 'EC', crv: 'P-256', x: 'AA', y: 'AA', kid: 'off-curve', alg: 'ES256' },
      known.publicJwk,
    ];
    await underMode('wrong-types', 401);

    expect(await call(known, 'tiny-rsa')).toBe(401);
    expect(await call(known, 'off-curve')).toBe(401);
  }, 30_000);

  it('finds a newly published key once the server serves a good set again', async () => {
    const successor = await createTestKey('ES256');
    jwks.keys = [known.publicJwk, successor.publicJwk];
    jwks.mode = 'good';

    expect(await call(successor)).toBe(200);
    expect(await call(known)).toBe(200);
    await record('after recovery');
  }, 30_000);

  it('answered no request 500, kept RSS within start + 60 MB, and said why in a warning', () => {
    expect(statuses.filter((status) => status >= 500 && status !== 503)).toEqual([]);
    const warning = service.records.find((line) => String(line.msg).startsWith('JWKS endpoint cannot be consulted'));
    expect(String(warning?.msg)).toContain(`body over the ${MAX_BYTES}-byte limit`);
    for (const [label, bytes] of rss) expect({ label, overBaseline: bytes - baseline < RSS_HEADROOM_BYTES }).toEqual({ label, overBaseline: true });
  });
});
