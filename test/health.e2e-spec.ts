import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { createResourceApp } from '../apps/resource-service/src/app.factory.js';
import { loadResourceConfig } from '../apps/resource-service/src/config/resource.config.js';
import { startAuth } from './support/auth-app.js';
import { createTestDatabase, type TestDatabase } from './support/postgres.js';
import { TcpProxy } from './support/tcp-proxy.js';

async function startResource(jwksUri: string): Promise<{ app: NestFastifyApplication; url: string }> {
  const config = loadResourceConfig({ JWKS_URI: jwksUri, JWKS_TIMEOUT: '1s' });
  const app = await createResourceApp(config, { logger: false });
  await app.listen(0, '127.0.0.1');
  return { app, url: await app.getUrl() };
}

describe('auth-service health', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it('is live, and ready only while the database answers, naming the failing check', async () => {
    const proxy = new TcpProxy(5432);
    const port = await proxy.start();
    const url = new URL(db.url);
    url.port = String(port);
    const auth = await startAuth({ DATABASE_URL: url.toString() });

    await request(auth.url).get('/health/live').expect(200, { status: 'ok', info: {}, error: {}, details: {} });
    const ready = await request(auth.url).get('/health/ready').expect(200);
    expect(ready.body.info).toMatchObject({ database: { status: 'up', dialect: 'postgres' }, signing_key: { status: 'up' } });

    await proxy.stop();
    const down = await request(auth.url).get('/health/ready').expect(503);
    expect(down.body.status).toBe('error');
    expect(down.body.error).toEqual({ database: { status: 'down', message: 'database unreachable' } });
    await request(auth.url).get('/health/live').expect(200);

    await proxy.start(port);
    await request(auth.url).get('/health/ready').expect(200);
    await auth.close();
    await proxy.stop();
  });
});

describe('resource-service health', () => {
  it('is not ready before the JWKS was ever reachable, then ready, and stays ready through an outage', async () => {
    const auth = await startAuth();
    const proxy = new TcpProxy(Number(new URL(auth.url).port));
    const port = await proxy.start();
    await proxy.stop();
    const resource = await startResource(`http://127.0.0.1:${port}/.well-known/jwks.json`);

    await request(resource.url).get('/health/live').expect(200);
    const down = await request(resource.url).get('/health/ready').expect(503);
    expect(Object.keys(down.body.error)).toEqual(['jwks']);

    await proxy.start(port);
    await request(resource.url).get('/health/ready').expect(200);
    await proxy.stop();
    await request(resource.url).get('/health/ready').expect(200);

    await resource.app.close();
    await auth.close();
  });
});
