import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { createAuthApp } from '../apps/auth-service/src/app.factory.js';
import { loadAuthConfig } from '../apps/auth-service/src/config/auth.config.js';
import { createResourceApp } from '../apps/resource-service/src/app.factory.js';
import { loadResourceConfig } from '../apps/resource-service/src/config/resource.config.js';

interface Started {
  app: NestFastifyApplication;
  /** "METHOD /path" of every route the application registered, docs and HEAD twins left out. */
  routes: Set<string>;
}

/** Builds an app with its factory and records its routes before it registers them. */
async function start(create: () => Promise<NestFastifyApplication>): Promise<Started> {
  const app = await create();
  const routes = new Set<string>();
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) {
        if (method !== 'HEAD' && !route.url.startsWith('/docs')) routes.add(`${method} ${route.url}`);
      }
    });
  await app.listen(0, '127.0.0.1');
  return { app, routes };
}

type Document = {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, { summary?: string; responses: Record<string, { description?: string }>; security?: unknown[] }>>;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, { type: string; scheme: string }> };
};

const documentedRoutes = (doc: Document) =>
  new Set(
    Object.entries(doc.paths).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
    ),
  );

/** Every `$ref` in the document points at a schema it defines. */
function danglingRefs(doc: Document): string[] {
  const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]);
  return refs.filter((name) => !(name in doc.components.schemas));
}

describe('OpenAPI documents', () => {
  let dir: string;
  let auth: Started;
  let resource: Started;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'api-docs-'));
    auth = await start(() => createAuthApp(loadAuthConfig({ KEYS_DIR: join(dir, 'keys'), DATA_DIR: join(dir, 'data') }), { logger: false }));
    resource = await start(() => createResourceApp(loadResourceConfig({ JWKS_URI: 'http://127.0.0.1:9/jwks.json' }), { logger: false }));
  });
  afterAll(async () => {
    await resource.app.close();
    await auth.app.close();
    await rm(dir, { recursive: true, force: true });
  });

  it.each([
    ['auth-service', () => auth],
    ['resource-service', () => resource],
  ])('%s: /docs-json is a valid OpenAPI 3 document listing every registered route', async (title, started) => {
    const { app, routes } = started();
    const res = await request(app.getHttpServer())
      .get('/docs-json')
      .expect(200)
      .expect('content-type', /application\/json/);
    const doc = JSON.parse(res.text) as Document;

    expect(doc.openapi).toMatch(/^3\.\d+\.\d+$/);
    expect(doc.info).toMatchObject({ title, version: expect.any(String) });
    expect(routes.size).toBeGreaterThan(3);
    expect(documentedRoutes(doc)).toEqual(routes);
    // Swagger lists undecorated routes too; a summary and described answers are what "documented" means.
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        expect({ route: `${method} ${path}`, summary: operation.summary ?? '' }).toEqual({ route: `${method} ${path}`, summary: expect.stringMatching(/\w/) });
        const undescribed = Object.entries(operation.responses).filter(([, answer]) => !answer.description);
        expect({ route: `${method} ${path}`, undescribed }).toEqual({ route: `${method} ${path}`, undescribed: [] });
      }
    }
    expect(danglingRefs(doc)).toEqual([]);
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('documents login with its DTOs, examples and error answers', async () => {
    const doc = (await request(auth.app.getHttpServer()).get('/docs-json')).body as Document;
    const login = doc.paths['/auth/login'].post as unknown as {
      requestBody: { content: Record<string, { schema: { $ref: string } }> };
      responses: Record<string, { content: Record<string, { schema: { $ref: string }; example?: unknown }> }>;
    };
    expect(login.requestBody.content['application/json'].schema.$ref).toBe('#/components/schemas/LoginRequestDto');
    expect(Object.keys(login.responses).sort()).toEqual(['200', '400', '401', '413', '429', '503']);
    expect(login.responses['401'].content['application/json']).toMatchObject({
      schema: { $ref: '#/components/schemas/ErrorResponseDto' },
      example: { statusCode: 401, code: expect.stringMatching(/^ERR_/) },
    });
    expect(doc.components.schemas.LoginRequestDto).toMatchObject({
      required: ['username', 'password'],
      properties: { username: { type: 'string', example: 'testuser' }, password: { type: 'string', format: 'password' } },
    });
    expect(doc.components.schemas.TokenResponseDto).toMatchObject({ properties: { expires_in: { example: 900 } } });
  });

  it('marks the protected resource with the bearer scheme and the public one without', async () => {
    const doc = (await request(resource.app.getHttpServer()).get('/docs-json')).body as Document;
    expect(doc.paths['/resource/protected'].get.security).toEqual([{ bearer: [] }]);
    expect(doc.paths['/resource/public'].get.security).toBeUndefined();
    expect(Object.keys(doc.paths['/resource/protected'].get.responses).sort()).toEqual(['200', '401', '403', '503']);
  });

  it('serves the Swagger UI and its assets under a CSP relaxed for /docs only', async () => {
    const server = auth.app.getHttpServer();
    const ui = await request(server)
      .get('/docs')
      .expect(200)
      .expect('content-type', /text\/html/);
    expect(ui.text).toContain('swagger-ui-bundle.js');
    expect(ui.headers['content-security-policy']).toContain("script-src 'self'");
    expect(ui.headers['content-security-policy']).not.toContain('unsafe-eval');
    await request(server)
      .get('/docs/swagger-ui-bundle.js')
      .expect(200)
      .expect('content-type', /javascript/);
    const api = await request(server).get('/.well-known/jwks.json').expect(200);
    expect(api.headers['content-security-policy']).toBe("default-src 'none';frame-ancestors 'none'");
  });

  it('serves no docs with API_DOCS=false, nor in production by default; API_DOCS=true turns them on there', async () => {
    const base = { JWKS_URI: 'http://127.0.0.1:9/jwks.json', AUTH_ISSUER: 'https://auth.example.com' };
    for (const [env, status] of [
      [{ API_DOCS: 'false' }, 404],
      [{ NODE_ENV: 'production' }, 404],
      [{ NODE_ENV: 'production', API_DOCS: 'true' }, 200],
    ] as const) {
      const app = await createResourceApp(loadResourceConfig({ ...base, ...env }), { logger: false });
      await app.listen(0, '127.0.0.1');
      await request(app.getHttpServer()).get('/docs').expect(status);
      await request(app.getHttpServer()).get('/docs-json').expect(status);
      await app.close();
    }
  });
});
