import { Controller, Get, type INestApplication } from '@nestjs/common';
import request from 'supertest';
import { CurrentUser, ErrorCode, RevocationPoller, type AuthenticatedCaller } from '@app/jwt-auth';
import { createTestIssuer, type TestIssuer } from '@app/jwt-auth/testing';
import { createTestKey, signAccessToken, type TestKey } from './support/jwks-fixture.js';
import { bootConsumer } from './support/consumer-app.js';
import { ScriptedServer } from './support/scripted-server.js';
import { bootResource, CollectingLogger } from './support/verifier-app.js';

const METADATA = '/.well-known/oauth-authorization-server';
const POLL_MS = 200;

@Controller()
class MeController {
  @Get('me')
  me(@CurrentUser() caller: AuthenticatedCaller): { tokenId: string } {
    return { tokenId: caller.tokenId };
  }
}

const me = (app: INestApplication, token: string) => request(app.getHttpServer()).get('/me').auth(token, { type: 'bearer' });

/** Polls until `token` is refused as revoked (401 invalid_token), on the real clock; fails past the deadline. */
async function refusedSoon(app: INestApplication, token: string, deadlineMs = 15_000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const response = await me(app, token);
    if (response.status === 401) {
      expect(response.body).toMatchObject({ code: ErrorCode.TokenInvalid });
      expect(response.headers['www-authenticate']).toContain('error="invalid_token"');
      return;
    }
    expect(response.status).toBe(200);
    if (Date.now() > deadline) throw new Error(`still accepted ${deadlineMs} ms after the revocation`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe("forRoot({ issuer, audience }) discovers the revocation feed in the issuer's metadata (docs/revocation.md, Discovery)", () => {
  let kit: TestIssuer;
  let app: INestApplication;

  beforeAll(async () => {
    kit = await createTestIssuer({ revocations: true });
    app = await bootConsumer({ issuer: kit.issuer, audience: kit.audience, revocationPollInterval: POLL_MS }, { controllers: [MeController] });
  });
  afterAll(async () => {
    await app?.close();
    await kit?.close();
  });

  it("finds the kit's feed without being told its address", async () => {
    await me(app, await kit.sign()).expect(200);
    const poller = app.get(RevocationPoller);
    const deadline = Date.now() + 10_000;
    while (poller.discoveryState !== 'found' && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));

    expect(poller.feedUri).toBe(kit.revocationFeedUri);
  });

  it("refuses a listed session's tokens within a poll, and not another session's", async () => {
    const [listed, other] = [await kit.sign({ sid: 'session-1' }), await kit.sign({ sid: 'session-2' })];
    await me(app, listed).expect(200);
    kit.revoke({ sid: 'session-1' });

    await refusedSoon(app, listed);
    await me(app, other).expect(200);
  });

  it('refuses a listed token (jti), and a revoked client’s tokens issued before the revocation', async () => {
    const token = await kit.sign({ jti: 'token-1' });
    const client = await kit.sign({ username: undefined, sub: 'svc', client_id: 'svc', iat: Math.floor(Date.now() / 1000) - 5 });
    await me(app, token).expect(200);
    await me(app, client).expect(200);
    kit.revoke({ jti: 'token-1' });
    kit.revoke({ client_id: 'svc' });

    await refusedSoon(app, token);
    await refusedSoon(app, client);
    await me(app, await kit.sign()).expect(200);
  });
});

/** An issuer on a scripted server: its JWKS, its metadata (503 while `down`) advertising `/feed`, which lists jti `listed`. */
async function startScriptedIssuer(): Promise<{ server: ScriptedServer; sign(claims?: Record<string, unknown>): Promise<string>; down: boolean }> {
  const key: TestKey = await createTestKey('ES256');
  const server = await ScriptedServer.start();
  const issuer = { server, sign: (claims = {}) => signAccessToken(key, { claims: { iss: server.url, ...claims } }), down: false };
  const now = Math.floor(Date.now() / 1000);
  const entries = [{ type: 'jti', value: 'listed', revoked_at: now, expires_at: now + 3600 }];
  server.handler = (req, res) => {
    const path = (req.url ?? '').split('?')[0];
    const json = (status: number, body: unknown) => void res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (path === '/.well-known/jwks.json') return json(200, { keys: [key.publicJwk] });
    if (path === METADATA)
      return issuer.down ? json(503, { error: 'down' }) : json(200, { issuer: server.url, revocation_feed_endpoint: `${server.url}/feed` });
    if (path === '/feed') return json(200, { issuer: server.url, cursor: '1', full: true, entries });
    json(404, {});
  };
  return issuer;
}

describe('while the issuer metadata cannot be read', () => {
  let issuer: Awaited<ReturnType<typeof startScriptedIssuer>>;
  let app: INestApplication;
  const logs = new CollectingLogger();

  beforeAll(async () => {
    issuer = await startScriptedIssuer();
    issuer.down = true;
    app = await bootConsumer(
      { issuer: issuer.server.url, audience: 'resource-service', revocationPollInterval: POLL_MS },
      { controllers: [MeController], logger: logs },
    );
  });
  afterAll(async () => {
    await app?.close();
    await issuer?.server.stop();
  });

  it('verifies as before, retries with backoff, warns once; enforces the feed once the metadata is back', async () => {
    const listed = await issuer.sign({ jti: 'listed' });
    await me(app, listed).expect(200);
    const deadline = Date.now() + 10_000;
    while (issuer.server.count(METADATA) < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(issuer.server.count(METADATA)).toBeGreaterThanOrEqual(2);
    await me(app, listed).expect(200);

    issuer.down = false;
    await refusedSoon(app, listed);
    await me(app, await issuer.sign()).expect(200);
    const warnings = logs.lines.filter((line) => line.startsWith('warn ') && line.includes("cannot read the issuer's metadata"));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('answered HTTP 503');
    expect(logs.lines.some((line) => line.startsWith('log ') && line.includes(`revocation feed ${issuer.server.url}/feed found`))).toBe(true);
  });
});

describe('the metadata is not read when the feed is configured or off', () => {
  let issuer: Awaited<ReturnType<typeof startScriptedIssuer>>;

  beforeAll(async () => {
    issuer = await startScriptedIssuer();
  });
  afterAll(() => issuer?.server.stop());

  it.each([
    ['revocationFeedUri: false', false as const, 200],
    ['an explicit revocationFeedUri', '/feed', 401],
  ])('%s: no metadata request at all', async (_case, feed, listedStatus) => {
    issuer.server.paths.length = 0;
    const revocationFeedUri = feed === false ? false : `${issuer.server.url}${feed}`;
    const app = await bootConsumer({ issuer: issuer.server.url, audience: 'resource-service', revocationFeedUri }, { controllers: [MeController] });
    try {
      await me(app, await issuer.sign()).expect(200);
      await me(app, await issuer.sign({ jti: 'listed' })).expect(listedStatus);
      expect(issuer.server.count('/.well-known/jwks.json')).toBe(1);
      expect(issuer.server.count(METADATA)).toBe(0);
      expect(app.get(RevocationPoller).discoveryState).toBe('off');
    } finally {
      await app.close();
    }
  });
});

describe('the resource-service never reads the metadata: its feed is configured (docs/configuration.md)', () => {
  let issuer: Awaited<ReturnType<typeof startScriptedIssuer>>;

  beforeAll(async () => {
    issuer = await startScriptedIssuer();
  });
  afterAll(() => issuer?.server.stop());

  it.each([
    ['REVOCATION_FEED_URI=off (the bench baseline)', { REVOCATION_FEED_URI: 'off' }],
    ['REVOCATION_FEED_URI unset (${AUTH_ISSUER}/oauth/revocations)', {}],
  ])('%s', async (_case, env) => {
    issuer.server.paths.length = 0;
    const url = issuer.server.url;
    const app = await bootResource({ AUTH_ISSUER: url, AUTH_AUDIENCE: 'resource-service', JWKS_URI: `${url}/.well-known/jwks.json`, ...env });
    try {
      await request(app.getHttpServer())
        .get('/resource/protected')
        .auth(await issuer.sign({ jti: 'listed' }), { type: 'bearer' })
        .expect(200);
      expect(issuer.server.count(METADATA)).toBe(0);
      expect(issuer.server.count('/oauth/revocations')).toBe('REVOCATION_FEED_URI' in env ? 0 : 1);
    } finally {
      await app.close();
    }
  });
});
