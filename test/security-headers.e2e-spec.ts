import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { Public } from '@app/jwt-auth';
import { startAuth, type RunningAuth } from './support/auth-app.js';
import { createTestKey, JwksFixture } from './support/jwks-fixture.js';
import { startResourceApp } from './support/verifier-app.js';

@Controller('echo')
class EchoController {
  @Public()
  @Post()
  @HttpCode(200)
  echo(@Body() body: unknown): { size: number } {
    return { size: JSON.stringify(body).length };
  }
}

function expectSecurityHeaders(res: request.Response): void {
  expect(res.headers).toMatchObject({
    'content-security-policy': "default-src 'none';frame-ancestors 'none'",
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'SAMEORIGIN',
    'strict-transport-security': expect.stringContaining('max-age='),
    'referrer-policy': 'no-referrer',
    'cross-origin-resource-policy': 'same-origin',
  });
  expect(res.headers['x-powered-by']).toBeUndefined();
}

describe('security headers, body limits and CORS', () => {
  let auth: RunningAuth;
  let jwks: JwksFixture;
  let resource: NestFastifyApplication;

  beforeAll(async () => {
    auth = await startAuth();
    jwks = await JwksFixture.start(await createTestKey('ES256'));
    resource = await startResourceApp(jwks, { controllers: [EchoController] });
  });
  afterAll(async () => {
    await resource.close();
    await jwks.stop();
    await auth.close();
  });

  it('sends the helmet headers and no X-Powered-By on answers, errors and 404s of both services', async () => {
    expectSecurityHeaders(await request(auth.url).get('/.well-known/jwks.json').expect(200));
    expectSecurityHeaders(await request(auth.url).post('/auth/login').send({ username: 'testuser', password: 'nope' }).expect(401));
    expectSecurityHeaders(await request(auth.url).get('/nowhere').expect(404));
    expectSecurityHeaders(await request(resource.getHttpServer()).get('/resource/protected').expect(401));
    expectSecurityHeaders(await request(resource.getHttpServer()).get('/resource/public').expect(200));
  });

  it('answers 413 past the 16 KiB body limit on the resource-service too, and reads smaller bodies', async () => {
    await request(resource.getHttpServer())
      .post('/echo')
      .send({ data: 'x'.repeat(1000) })
      .expect(200);
    const res = await request(resource.getHttpServer())
      .post('/echo')
      .send({ data: 'x'.repeat(20_000) })
      .expect(413);
    expect(res.body.statusCode).toBe(413);
  });

  it('sends no CORS header but on the public documents (any origin), and answers no preflight, while CORS_ORIGINS is unset', async () => {
    const simple = await request(auth.url).get('/health/live').set('Origin', 'https://app.example.com').expect(200);
    expect(Object.keys(simple.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
    const publicDocument = await request(auth.url).get('/.well-known/jwks.json').set('Origin', 'https://app.example.com').expect(200);
    expect(publicDocument.headers['access-control-allow-origin']).toBe('*');
    const preflight = await request(auth.url).options('/auth/login').set('Origin', 'https://app.example.com').set('Access-Control-Request-Method', 'POST');
    expect(preflight.status).toBe(404);
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('allows exactly the configured origins when CORS_ORIGINS is set', async () => {
    const cors = await startAuth({ CORS_ORIGINS: 'https://app.example.com,http://localhost:8080' });
    const preflight = await request(cors.url)
      .options('/auth/login')
      .set('Origin', 'https://app.example.com')
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'content-type')
      .expect(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('https://app.example.com');
    // A browser app's DPoP proof goes out, the server's DPoP nonce can be read (docs/dpop.md).
    expect(preflight.headers['access-control-allow-headers']).toContain('DPoP');
    expect(preflight.headers['access-control-allow-methods']).toContain('POST');
    expect(preflight.headers['access-control-allow-credentials']).toBeUndefined();

    const allowed = await request(cors.url).get('/.well-known/jwks.json').set('Origin', 'http://localhost:8080').expect(200);
    expect(allowed.headers['access-control-allow-origin']).toBe('http://localhost:8080');
    expect(allowed.headers['access-control-expose-headers']).toContain('X-Request-Id');
    expect(allowed.headers['access-control-expose-headers']).toContain('DPoP-Nonce');

    const other = await request(cors.url).get('/.well-known/jwks.json').set('Origin', 'https://evil.example').expect(200);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    await cors.close();
  });
});
