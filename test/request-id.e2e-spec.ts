import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { startAuth, type RunningAuth } from './support/auth-app.js';
import { createTestKey, JwksFixture } from './support/jwks-fixture.js';
import { startResourceApp } from './support/verifier-app.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('X-Request-Id round trip', () => {
  let auth: RunningAuth;
  let jwks: JwksFixture;
  let resource: NestFastifyApplication;

  beforeAll(async () => {
    auth = await startAuth();
    jwks = await JwksFixture.start(await createTestKey('ES256'));
    resource = await startResourceApp(jwks);
  });
  afterAll(async () => {
    await resource.close();
    await jwks.stop();
    await auth.close();
  });

  it.each(['abc-123', '0af7651916cd43dd8448eb211c80319c', 'trace:01HZY3.span/7+x=='])("returns the caller's id %p", async (id) => {
    const res = await request(auth.url).get('/.well-known/jwks.json').set('X-Request-Id', id).expect(200);
    expect(res.headers['x-request-id']).toBe(id);
  });

  it.each([
    ['spaces', 'two words'],
    ['quotes and braces', '"},{"level":"fatal'],
    ['more than 128 characters', 'a'.repeat(129)],
    ['an empty value', ''],
  ])('replaces an id with %s by a generated UUID', async (_case, id) => {
    const res = await request(auth.url).get('/.well-known/jwks.json').set('X-Request-Id', id).expect(200);
    expect(res.headers['x-request-id']).toMatch(UUID);
  });

  it('generates a different UUID for each request without one', async () => {
    const ids = await Promise.all([1, 2, 3].map(async () => (await request(auth.url).get('/health/live')).headers['x-request-id']));
    for (const id of ids) expect(id).toMatch(UUID);
    expect(new Set(ids).size).toBe(3);
  });

  it('answers with it on errors too: 400, 401, 404, 413', async () => {
    const answers = await Promise.all([
      request(auth.url).post('/auth/login').set('X-Request-Id', 'e-400').send({ username: 'testuser' }),
      request(auth.url).post('/auth/login').set('X-Request-Id', 'e-401').send({ username: 'testuser', password: 'nope' }),
      request(auth.url).get('/no/such/route').set('X-Request-Id', 'e-404'),
      request(auth.url)
        .post('/auth/login')
        .set('X-Request-Id', 'e-413')
        .send({ username: 'testuser', password: 'x'.repeat(20_000) }),
      request(resource.getHttpServer()).get('/resource/protected').set('X-Request-Id', 'r-401'),
      request(resource.getHttpServer()).get('/nowhere').set('X-Request-Id', 'r-404'),
    ]);
    expect(answers.map((res) => [res.status, res.headers['x-request-id']])).toEqual([
      [400, 'e-400'],
      [401, 'e-401'],
      [404, 'e-404'],
      [413, 'e-413'],
      [401, 'r-401'],
      [404, 'r-404'],
    ]);
  });
});
