import { Controller, Get } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { RequireScopes } from '@app/jwt-auth';
import { startAuth, tempDir, type RunningAuth } from './support/auth-app.js';
import { BUILT, ServiceProcess } from './support/service-process.js';
import { compactToken, createTestKey, JwksFixture, signAccessToken, signHs256, signRawClaims, type SignOptions, type TestKey } from './support/jwks-fixture.js';
import { join } from 'node:path';
import { parsePrometheusText, type Exposition } from './support/prometheus.js';
import { startResourceApp } from './support/verifier-app.js';

async function scrape(server: string | ReturnType<NestFastifyApplication['getHttpServer']>): Promise<Exposition> {
  const res = await request(server).get('/metrics').expect(200);
  expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
  return parsePrometheusText(res.text);
}

describe('auth-service /metrics: refresh outcomes and the managed key lifecycle', () => {
  let auth: RunningAuth;
  beforeAll(async () => {
    auth = await startAuth({ KEYS_SOURCE: 'managed', KEY_ROTATION_INTERVAL: '1h', KEY_ACTIVATION_DELAY: '5m', KEY_RETENTION: '2h' });
  });
  afterAll(() => auth.close());

  it('counts a rotated and a reused refresh token, and reports keys by state and the next rotation', async () => {
    const { refresh_token } = (await request(auth.url).post('/auth/login').send({ username: 'testuser', password: 'password' }).expect(200)).body;
    await request(auth.url).post('/auth/refresh').send({ refresh_token }).expect(200);
    await request(auth.url).post('/auth/refresh').send({ refresh_token }).expect(400);
    const metrics = await scrape(auth.url);
    expect(metrics.value('auth_refresh_total', { outcome: 'rotated' })).toBe(1);
    expect(metrics.value('auth_refresh_total', { outcome: 'reused' })).toBe(1);
    expect(metrics.value('auth_keys', { state: 'active' })).toBe(1);
    expect(metrics.value('auth_keys', { state: 'pending' })).toBe(0);
    const due = metrics.value('auth_key_rotation_seconds', { source: 'managed' });
    expect(due).toBeGreaterThan(3500);
    expect(due).toBeLessThanOrEqual(3600);
  });
});

describe('auth-service /metrics', () => {
  let auth: RunningAuth;
  beforeAll(async () => {
    auth = await startAuth({ DEMO_USER: 'metricsuser:Metrics-Pass-1' });
  });
  afterAll(() => auth.close());

  const login = (body: unknown) =>
    request(auth.url)
      .post('/auth/login')
      .send(body as object);

  it('parses as Prometheus text with the process, HTTP, login, token and key families', async () => {
    const metrics = await scrape(auth.url);
    expect(metrics.types.get('process_cpu_user_seconds_total')).toBe('counter');
    expect(metrics.types.get('nodejs_heap_size_used_bytes')).toBe('gauge');
    expect(metrics.types.get('http_requests_total')).toBe('counter');
    expect(metrics.types.get('http_request_duration_seconds')).toBe('histogram');
    expect(metrics.types.get('auth_tokens_issued_total')).toBe('counter');
    expect(metrics.types.get('auth_logins_total')).toBe('counter');
    expect(metrics.types.get('auth_refresh_total')).toBe('counter');
    expect(metrics.types.get('auth_keys')).toBe('gauge');
    expect(metrics.types.get('auth_key_rotation_seconds')).toBe('gauge');
    for (const outcome of ['success', 'bad_credentials', 'throttled', 'invalid_request', 'error']) {
      expect(metrics.samples).toContainEqual({ name: 'auth_logins_total', labels: { outcome }, value: 0 });
    }
    for (const outcome of ['rotated', 'reused', 'expired', 'revoked', 'invalid']) {
      expect(metrics.samples).toContainEqual({ name: 'auth_refresh_total', labels: { outcome }, value: 0 });
    }
  });

  it('counts logins by outcome, tokens by algorithm and kid, and requests by route template', async () => {
    const before = await scrape(auth.url);
    await login({ username: 'metricsuser', password: 'Metrics-Pass-1' }).expect(200);
    await login({ username: 'metricsuser', password: 'wrong' }).expect(401);
    await login({ username: 'metricsuser' }).expect(400);
    await login({ username: 'metricsuser', password: 'x'.repeat(20_000) }).expect(413);
    await request(auth.url).get('/users/42/secret-path').expect(404);
    const { kid, alg } = (await request(auth.url).get('/.well-known/jwks.json')).body.keys[0];

    const after = await scrape(auth.url);
    const moved = (name: string, labels: Record<string, string>) => after.value(name, labels) - before.value(name, labels);
    expect(moved('auth_logins_total', { outcome: 'success' })).toBe(1);
    expect(moved('auth_logins_total', { outcome: 'bad_credentials' })).toBe(1);
    expect(moved('auth_logins_total', { outcome: 'invalid_request' })).toBe(2);
    expect(moved('auth_tokens_issued_total', { alg, kid })).toBe(1);
    expect(moved('http_requests_total', { method: 'POST', route: '/auth/login', status_code: '200' })).toBe(1);
    expect(moved('http_requests_total', { method: 'POST', route: '/auth/login', status_code: '413' })).toBe(1);
    expect(moved('http_requests_total', { method: 'GET', route: 'unmatched', status_code: '404' })).toBe(1);
    expect(moved('http_request_duration_seconds_count', { method: 'POST', route: '/auth/login', status_code: '401' })).toBe(1);
    expect(after.value('http_requests_total', { method: 'GET', route: '/metrics', status_code: '200' })).toBeGreaterThan(0);
  });

  it('keeps label values bounded: no raw path, user name or token', async () => {
    const token = (await login({ username: 'metricsuser', password: 'Metrics-Pass-1' }).expect(200)).body.access_token as string;
    const metrics = await scrape(auth.url);
    const values = metrics.samples.flatMap((sample) => Object.values(sample.labels));
    expect(values.filter((value) => value.includes('secret-path') || value.includes('metricsuser') || value === token)).toEqual([]);
    expect(new Set(metrics.samples.filter((s) => s.name === 'http_requests_total').map((s) => s.labels.route))).toEqual(
      new Set(['/auth/login', '/.well-known/jwks.json', '/metrics', 'unmatched']),
    );
  });

  it('reports the key lifecycle: one active pem key, no scheduled rotation', async () => {
    const metrics = await scrape(auth.url);
    expect(metrics.value('auth_keys', { state: 'active' })).toBe(1);
    expect(metrics.samples).toContainEqual({ name: 'auth_keys', labels: { state: 'published' }, value: 0 });
    expect(metrics.samples.filter((sample) => sample.name === 'auth_key_rotation_seconds')).toEqual([]);
  });

  it('serves no /metrics and counts nothing with METRICS=false', async () => {
    const off = await startAuth({ METRICS: 'false' });
    await request(off.url).get('/metrics').expect(404);
    await off.close();
  });
});

@Controller('admin')
@RequireScopes('admin')
class AdminController {
  @Get()
  read(): { ok: true } {
    return { ok: true };
  }
}

describe('resource-service /metrics', () => {
  let key: TestKey;
  let jwks: JwksFixture;
  let app: NestFastifyApplication;
  const now = () => Math.floor(Date.now() / 1000);

  beforeAll(async () => {
    key = await createTestKey('RS256');
    jwks = await JwksFixture.start(key);
    app = await startResourceApp(jwks, { controllers: [AdminController] });
  });
  afterAll(async () => {
    await app.close();
    await jwks.stop();
  });

  const call = (token?: string, path = '/resource/protected') => {
    const req = request(app.getHttpServer()).get(path);
    return token === undefined ? req : req.set('Authorization', `Bearer ${token}`);
  };
  const signed = (options: SignOptions = {}) => signAccessToken(key, options);

  it('counts every verification by its outcome, and the JWKS fetches', async () => {
    const other = await createTestKey('RS256');
    const cases: Array<[string, () => Promise<string | undefined>, number, string]> = [
      ['ok', () => signed(), 200, '/resource/protected'],
      ['missing', async () => undefined, 401, '/resource/protected'],
      ['expired', () => signed({ claims: { iat: now() - 7200, nbf: now() - 7200, exp: now() - 3600 } }), 401, '/resource/protected'],
      ['not_yet_valid', () => signed({ claims: { nbf: now() + 3600 } }), 401, '/resource/protected'],
      ['not_yet_valid', () => signed({ claims: { iat: now() + 3600 } }), 401, '/resource/protected'],
      ['invalid_signature', () => signAccessToken(other, { header: { kid: key.kid } }), 401, '/resource/protected'],
      ['unknown_kid', () => signed({ header: { kid: 'no-such-key' } }), 401, '/resource/protected'],
      ['wrong_audience', () => signed({ claims: { aud: 'another-service' } }), 401, '/resource/protected'],
      ['wrong_issuer', () => signed({ claims: { iss: 'https://evil.example' } }), 401, '/resource/protected'],
      ['wrong_type', () => signed({ header: { typ: 'JWT' } }), 401, '/resource/protected'],
      ['forbidden_header', () => signed({ header: { jku: 'https://evil.example/jwks.json' } }), 401, '/resource/protected'],
      ['alg_not_allowed', () => signHs256(key.publicPem, { kid: key.kid }), 401, '/resource/protected'],
      ['malformed', async () => 'not.a-token', 401, '/resource/protected'],
      ['malformed', async () => compactToken({ alg: 'RS256', kid: key.kid, typ: 'at+jwt' }, 'not-json'), 401, '/resource/protected'],
      ['invalid_claims', () => signed({ omit: ['jti'] }), 401, '/resource/protected'],
      ['invalid_claims', () => signRawClaims(key, '"exp":1e400'), 401, '/resource/protected'],
      ['invalid_claims', () => signed({ claims: { iat: now() - 1, exp: now() + 2 * 86_400 } }), 401, '/resource/protected'],
      ['insufficient_scope', () => signed(), 403, '/admin'],
    ];
    const before = await scrape(app.getHttpServer());
    const expected = new Map<string, number>();
    for (const [outcome, token, status, path] of cases) {
      const res = await call(await token(), path);
      expect({ outcome, status: res.status }).toEqual({ outcome, status });
      expected.set(outcome, (expected.get(outcome) ?? 0) + 1);
    }
    await request(app.getHttpServer()).get('/resource/public').expect(200);

    const after = await scrape(app.getHttpServer());
    const moved = Object.fromEntries(
      after.samples
        .filter((s) => s.name === 'jwt_verifications_total')
        .map((s) => [s.labels.outcome, s.value - before.value('jwt_verifications_total', s.labels)])
        .filter(([, delta]) => delta !== 0),
    );
    expect(moved).toEqual(Object.fromEntries(expected));
    expect(after.value('jwks_fetches_total', { result: 'ok' })).toBeGreaterThan(0);
    expect(after.value('http_requests_total', { method: 'GET', route: '/resource/protected', status_code: '401' })).toBeGreaterThan(0);
    expect(after.types.has('auth_logins_total')).toBe(false);
  });

  it('counts a failed JWKS fetch and a verification that needed the unreachable JWKS', async () => {
    const down = await JwksFixture.start(key);
    await down.stop();
    const offline = await startResourceApp(down, { env: { JWKS_TIMEOUT: '1s' } });
    await request(offline.getHttpServer()).get('/health/ready').expect(503);
    const token = await signed();
    await request(offline.getHttpServer()).get('/resource/protected').set('Authorization', `Bearer ${token}`).expect(503);

    const metrics = await scrape(offline.getHttpServer());
    // Two failed downloads: the readiness probe's and the key resolver's.
    expect(metrics.value('jwks_fetches_total', { result: 'error' })).toBe(2);
    expect(metrics.value('jwks_fetches_total', { result: 'ok' })).toBe(0);
    expect(metrics.value('jwt_verifications_total', { outcome: 'jwks_unavailable' })).toBe(1);
    await offline.close();
  });
});

describe('METRICS_TOKEN: /metrics behind a bearer token on both services (docs/operations.md "Protecting /metrics")', () => {
  const METRICS_TOKEN = 'scrape-Tok3n-0123456789abcdef';
  const env = { METRICS_TOKEN, LOG_FORMAT: 'json', LOG_LEVEL: 'debug' };
  let auth: RunningAuth;
  let jwks: JwksFixture;
  let resource: NestFastifyApplication;

  beforeAll(async () => {
    auth = await startAuth(env);
    jwks = await JwksFixture.start(await createTestKey('RS256'));
    resource = await startResourceApp(jwks, { env });
  });
  afterAll(async () => {
    await resource.close();
    await jwks.stop();
    await auth.close();
  });

  const servers = () =>
    [
      ['auth-service', auth.url],
      ['resource-service', resource.getHttpServer()],
    ] as const;

  it.each([
    ['no Authorization header', undefined],
    ['a wrong token', `Bearer ${METRICS_TOKEN.slice(0, -1)}x`],
    ['the token with a suffix', `Bearer ${METRICS_TOKEN}x`],
    ['a prefix of the token', `Bearer ${METRICS_TOKEN.slice(0, 16)}`],
    ['the token under another scheme', `Basic ${METRICS_TOKEN}`],
    ['an empty bearer', 'Bearer '],
  ])('answers 401 with a Bearer challenge to %s, on both services', async (_case, authorization) => {
    for (const [, server] of servers()) {
      const get = request(server).get('/metrics');
      const res = await (authorization === undefined ? get : get.set('Authorization', authorization));
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(res.body).toMatchObject({ statusCode: 401, code: 'ERR_TOKEN_INVALID' });
      expect(res.text).not.toContain('http_requests_total');
    }
  });

  it('serves the metrics to `Authorization: Bearer <METRICS_TOKEN>` on both services', async () => {
    for (const [, server] of servers()) {
      const res = await request(server).get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`).expect(200);
      expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
      expect(parsePrometheusText(res.text).types.get('http_requests_total')).toBe('counter');
    }
  });

  it('never logs the token: the built services at debug, refused and served scrapes', async () => {
    const { dir, remove } = await tempDir();
    const services = [
      await ServiceProcess.start(BUILT.auth, { ...env, KEYS_DIR: join(dir, 'keys'), DATA_DIR: join(dir, 'data') }, { stderr: 'collect' }),
      await ServiceProcess.start(BUILT.resource, { ...env, JWKS_URI: jwks.uri }, { stderr: 'collect' }),
    ];
    try {
      for (const service of services) {
        await request(service.url).get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`).expect(200);
        await request(service.url).get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}x`).expect(401);
        await request(service.url).get('/metrics').set('Authorization', `Basic ${METRICS_TOKEN}`).expect(401);
      }
    } finally {
      for (const service of services) await service.stop();
      await remove();
    }
    const lines = services.flatMap((service) => service.records.map((record) => JSON.stringify(record)));
    expect(lines.some((line) => line.includes('/metrics'))).toBe(true);
    expect(lines.join('\n')).not.toContain(METRICS_TOKEN.slice(0, 16));
  }, 60_000);
});
