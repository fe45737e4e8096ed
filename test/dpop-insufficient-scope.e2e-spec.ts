import { Controller, Get, type INestApplication } from '@nestjs/common';
import request from 'supertest';
import { ErrorCode, RequireScopes, SUPPORTED_ALGORITHMS } from '@app/jwt-auth';
import { createTestIssuer, type TestDpopKey, type TestIssuer } from '@app/jwt-auth/testing';
import { bootConsumer } from './support/consumer-app.js';

const PUBLIC_URL = 'http://orders.test';
const ALGS = SUPPORTED_ALGORITHMS.join(' ');

@Controller()
class OrdersController {
  @RequireScopes('orders:write')
  @Get('orders')
  orders(): { written: true } {
    return { written: true };
  }
}

/**
 * RFC 9449 §7.1: a 403 `insufficient_scope` of a request sent as `Authorization: DPoP` (or to a
 * service that requires DPoP) is challenged in the `DPoP` scheme with `algs`; a bearer request keeps
 * its `Bearer` challenge.
 */
describe('403 insufficient_scope is challenged in the scheme of the request', () => {
  let kit: TestIssuer;
  let key: TestDpopKey;
  let app: INestApplication;
  let requiring: INestApplication;

  beforeAll(async () => {
    kit = await createTestIssuer({ audience: 'orders-service' });
    key = await kit.dpop();
    const options = { issuer: kit.issuer, audience: kit.audience };
    app = await bootConsumer({ ...options, dpop: { publicUrl: PUBLIC_URL } }, { controllers: [OrdersController] });
    requiring = await bootConsumer({ ...options, dpop: { publicUrl: PUBLIC_URL, required: true } }, { controllers: [OrdersController] });
  });
  afterAll(async () => {
    await app?.close();
    await requiring?.close();
    await kit?.close();
  });

  async function withProof(target: INestApplication, scope: string): Promise<request.Response> {
    const token = await kit.sign({ scope }, { dpop: key });
    const proof = await key.proof('GET', `${PUBLIC_URL}/orders`, { accessToken: token });
    return request(target.getHttpServer()).get('/orders').set('Authorization', `DPoP ${token}`).set('DPoP', proof);
  }

  it.each([
    ['a service where DPoP is optional', () => app],
    ['a service that requires DPoP', () => requiring],
  ])('a DPoP-bound token lacking the scope, on %s: 403 with a DPoP challenge naming the scope and algs', async (_case, target) => {
    const response = await withProof(target(), 'orders:read');

    expect(response.status).toBe(403);
    expect(response.headers['www-authenticate']).toBe(`DPoP error="insufficient_scope", scope="orders:write", algs="${ALGS}"`);
    expect(response.body).toMatchObject({ statusCode: 403, code: ErrorCode.InsufficientScope });
    expect((await withProof(target(), 'orders:write')).status).toBe(200);
  });

  it('a bearer token lacking the scope: 403 with the Bearer challenge, unchanged', async () => {
    const response = await request(app.getHttpServer())
      .get('/orders')
      .auth(await kit.sign({ scope: 'orders:read' }), { type: 'bearer' });

    expect(response.status).toBe(403);
    expect(response.headers['www-authenticate']).toBe('Bearer error="insufficient_scope", scope="orders:write"');
  });
});
