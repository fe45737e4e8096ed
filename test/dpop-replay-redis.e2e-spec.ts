import { randomUUID } from 'node:crypto';
import { Controller, Get, type INestApplication } from '@nestjs/common';
import { createClient, type RedisClientType } from 'redis';
import request from 'supertest';
import {
  CurrentUser,
  RedisDpopReplayStore,
  SUPPORTED_ALGORITHMS,
  type AuthenticatedCaller,
  type JwtAuthDpopOptions,
  type VerificationOutcome,
} from '@app/jwt-auth';
import { createTestIssuer, type TestDpopKey, type TestIssuer } from '@app/jwt-auth/testing';
import { bootConsumer } from './support/consumer-app.js';
import { TcpProxy } from './support/tcp-proxy.js';
import { CollectingLogger } from './support/verifier-app.js';

const REDIS_PORT = 6379;
const PUBLIC_URL = 'http://orders.test';

@Controller()
class OrdersController {
  @Get('orders')
  orders(@CurrentUser() caller: AuthenticatedCaller): { tokenId: string } {
    return { tokenId: caller.tokenId };
  }
}

/**
 * docs/dpop.md "Replay": two instances of a team's service behind one load balancer. With a shared
 * `RedisDpopReplayStore` a proof is accepted once across both; with the default memory store, once
 * per instance. Redis out of reach: DPoP requests are refused (503, fail closed), nothing leaks.
 */
describe('DPoP replay across two instances of a consumer app', () => {
  let kit: TestIssuer;
  let key: TestDpopKey;
  const prefix = `test:dpop-e2e:${randomUUID()}:`;
  const clients: RedisClientType[] = [];
  const apps: INestApplication[] = [];

  async function redisClient(port = REDIS_PORT): Promise<RedisClientType> {
    const client: RedisClientType = createClient({ url: `redis://127.0.0.1:${port}` });
    client.on('error', () => undefined); // reconnections are the client's business; the store sees failed commands
    clients.push(client);
    await client.connect();
    return client;
  }

  async function instance(
    dpop: JwtAuthDpopOptions = {},
    extra: { logger?: CollectingLogger; outcomes?: VerificationOutcome[] } = {},
  ): Promise<INestApplication> {
    const metrics = { verification: (outcome: VerificationOutcome) => extra.outcomes?.push(outcome), jwksFetch: () => undefined };
    const app = await bootConsumer(
      { issuer: kit.issuer, audience: kit.audience, dpop: { publicUrl: PUBLIC_URL, ...dpop }, metrics },
      { controllers: [OrdersController], logger: extra.logger },
    );
    apps.push(app);
    return app;
  }

  /** One captured request: the bound token and one proof of `GET /orders`. */
  async function capturedRequest(): Promise<{ token: string; proof: string }> {
    const token = await kit.sign({}, { dpop: key });
    return { token, proof: await key.proof('GET', `${PUBLIC_URL}/orders`, { accessToken: token }) };
  }

  const send = (app: INestApplication, { token, proof }: { token: string; proof: string }) =>
    request(app.getHttpServer()).get('/orders').set('Authorization', `DPoP ${token}`).set('DPoP', proof);

  beforeAll(async () => {
    kit = await createTestIssuer({ audience: 'orders-service' });
    key = await kit.dpop();
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    const admin = await redisClient();
    const keys = await admin.keys(`${prefix}*`);
    if (keys.length > 0) await admin.del(keys);
    for (const client of clients) client.destroy();
    await kit.close();
  });

  it('with one Redis store shared by both: a proof accepted by A and replayed to B is refused 401 invalid_dpop_proof', async () => {
    const a = await instance({ replayStore: new RedisDpopReplayStore(await redisClient(), { keyPrefix: prefix }) });
    const b = await instance({ replayStore: new RedisDpopReplayStore(await redisClient(), { keyPrefix: prefix }) });
    const captured = await capturedRequest();

    await send(a, captured).expect(200);
    const replayed = await send(b, captured);

    expect(replayed.status).toBe(401);
    expect(replayed.headers['www-authenticate']).toBe(
      `DPoP error="invalid_dpop_proof", error_description="Invalid DPoP proof: the proof was used before (jti)", algs="${SUPPORTED_ALGORITHMS.join(' ')}"`,
    );
    expect(replayed.body).toMatchObject({ statusCode: 401, code: 'ERR_DPOP_PROOF_INVALID' });
    await send(a, captured).expect(401);
    // A fresh proof of the same token is a new request: accepted by either.
    await send(b, { token: captured.token, proof: await key.proof('GET', `${PUBLIC_URL}/orders`, { accessToken: captured.token }) }).expect(200);
  });

  it('with the default memory store: the same replay to B is accepted once (each instance remembers its own proofs)', async () => {
    const a = await instance();
    const b = await instance();
    const captured = await capturedRequest();

    await send(a, captured).expect(200);
    await send(a, captured).expect(401);
    await send(b, captured).expect(200);
    await send(b, captured).expect(401);
  });

  it('Redis out of reach under a running app: DPoP requests refused 503 with nothing of Redis or the request in the answer, bearer requests unaffected; accepted again once Redis is back', async () => {
    const proxy = new TcpProxy(REDIS_PORT);
    const port = await proxy.start();
    const logger = new CollectingLogger();
    const outcomes: VerificationOutcome[] = [];
    const app = await instance({ replayStore: new RedisDpopReplayStore(await redisClient(port), { keyPrefix: prefix, timeoutMs: 300 }) }, { logger, outcomes });
    await send(app, await capturedRequest()).expect(200);

    await proxy.stop();
    const captured = await capturedRequest();
    const started = Date.now();
    const refused = await send(app, captured);

    expect(refused.status).toBe(503);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(refused.body).toEqual({
      statusCode: 503,
      error: 'Service Unavailable',
      code: 'ERR_SERVICE_UNAVAILABLE',
      message: 'DPoP proofs cannot be checked right now; try again later',
    });
    expect(refused.headers['www-authenticate']).toBeUndefined();
    const answer = JSON.stringify([refused.headers, refused.body]);
    for (const secret of [String(port), '127.0.0.1', 'Redis', 'ECONNREFUSED', captured.token, captured.proof]) expect(answer).not.toContain(secret);
    expect(outcomes.at(-1)).toBe('replay_store_unavailable');
    const warnings = logger.lines.filter((line) => line.startsWith('warn ') && line.includes('DPoP replay store: '));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).not.toContain(captured.token);
    expect(warnings[0]).not.toContain(captured.proof);
    // Only DPoP requests need the store: an unbound bearer token is still served.
    await request(app.getHttpServer())
      .get('/orders')
      .auth(await kit.sign(), { type: 'bearer' })
      .expect(200);

    await proxy.start(port);
    const deadline = Date.now() + 10_000;
    let status = 0;
    while (status !== 200 && Date.now() < deadline) {
      status = (await send(app, await capturedRequest())).status;
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(status).toBe(200);
    await proxy.stop();
  });

  it('a client whose connection was closed: refused 503 at once, never a 500', async () => {
    const client = await redisClient();
    const app = await instance({ replayStore: new RedisDpopReplayStore(client, { keyPrefix: prefix }) });
    client.destroy();

    const refused = await send(app, await capturedRequest());

    expect(refused.status).toBe(503);
    expect(refused.body.code).toBe('ERR_SERVICE_UNAVAILABLE');
  });
});
