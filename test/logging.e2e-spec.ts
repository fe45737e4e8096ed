import { Controller, Get } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Public } from '@app/jwt-auth';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import request from 'supertest';
import { createResourceApp } from '../apps/resource-service/src/app.factory.js';
import { loadResourceConfig } from '../apps/resource-service/src/config/resource.config.js';
import { startAuth, type RunningAuth } from './support/auth-app.js';
import { LogCapture } from './support/log-capture.js';

@Controller('faults')
@Public()
class FaultyController {
  @Get('crash')
  crash(): never {
    throw new Error('the handler broke');
  }
}

/** Both services log into one capture (nestjs-pino keeps one request logger per process). */
describe('structured logs: JSON lines, request ids, redaction, the verifier reason at debug', () => {
  const capture = new LogCapture();
  const password = 'Log-Test-Pass-9!';
  const wrongPassword = 'Wrong-Pass-77?';
  const env = { LOG_FORMAT: 'json', LOG_LEVEL: 'debug' };
  let auth: RunningAuth;
  let resource: NestFastifyApplication;
  let token: string;
  let tampered: string;

  beforeAll(async () => {
    auth = await startAuth({ ...env, DEMO_USER: `loguser:${password}` }, { logStream: capture });
    const config = loadResourceConfig({ ...env, AUTH_ISSUER: auth.config.tokens.issuer, JWKS_URI: `${auth.url}/.well-known/jwks.json` });
    resource = await createResourceApp(config, { logStream: capture, controllers: [FaultyController] });
    await resource.listen(0, '127.0.0.1');

    const login = await request(auth.url).post('/auth/login').set('X-Request-Id', 'login-1').send({ username: 'loguser', password }).expect(200);
    token = login.body.access_token;
    await request(auth.url).post('/auth/login').set('X-Request-Id', 'login-2').send({ username: 'loguser', password: wrongPassword }).expect(401);
    await request(resource.getHttpServer()).get('/resource/protected').set('X-Request-Id', 'call-1').set('Authorization', `Bearer ${token}`).expect(200);
    tampered = `${token.slice(0, -4)}${token.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;
    await request(resource.getHttpServer()).get('/resource/protected').set('X-Request-Id', 'call-2').set('Authorization', `Bearer ${tampered}`).expect(401);
    await request(resource.getHttpServer()).get('/faults/crash').set('X-Request-Id', 'crash-1').expect(500);
    for (const path of ['/health/live', '/health/ready', '/metrics', '/metrics?name=x']) {
      await request(resource.getHttpServer()).get(path).set('X-Request-Id', 'probe-1');
    }
    await request(resource.getHttpServer()).get('/resource/public').set('X-Request-Id', 'last-1').expect(200);
    await capture.waitFor((line) => line.reqId === 'last-1' && line.msg === 'request completed');
  });

  afterAll(async () => {
    await resource.close();
    await auth.close();
  });

  it('writes one JSON object per line with level, time, service and message', () => {
    const records = capture.records();
    expect(records.length).toBeGreaterThan(10);
    for (const record of records) {
      expect(record).toEqual(
        expect.objectContaining({ level: expect.any(String), time: expect.any(String), service: expect.any(String), msg: expect.any(String) }),
      );
    }
  });

  it('writes one completion line per request, carrying the request id, method, path, status and duration', () => {
    const completed = capture.records().filter((r) => r.msg === 'request completed' && typeof r.reqId === 'string' && /^(login|call)-/.test(r.reqId));
    expect(completed.map((r) => [r.reqId, (r.req as { url: string }).url, (r.res as { statusCode: number }).statusCode])).toEqual([
      ['login-1', '/auth/login', 200],
      ['login-2', '/auth/login', 401],
      ['call-1', '/resource/protected', 200],
      ['call-2', '/resource/protected', 401],
    ]);
    for (const line of completed) expect(line).toEqual(expect.objectContaining({ level: 'info', responseTime: expect.any(Number) }));
  });

  it("writes the completion line of a 5xx at error, as `request errored`, after the filter's own error line", () => {
    const lines = capture.records().filter((r) => r.reqId === 'crash-1');
    expect(lines.map((r) => [r.level, r.msg])).toEqual([
      ['error', expect.stringMatching(/^500 answered for Error/)],
      ['error', 'request errored'],
    ]);
    expect((lines[1].res as { statusCode: number }).statusCode).toBe(500);
  });

  it('writes no completion line for probes and scrapes', () => {
    expect(capture.records().filter((r) => r.reqId === 'probe-1')).toEqual([]);
  });

  it("logs the verifier's refusal reason at debug, with the request id", () => {
    const reason = capture.records().find((r) => r.reqId === 'call-2' && r.context === 'JwtAuthExceptionFilter');
    expect(reason).toMatchObject({ level: 'debug' });
    expect(reason?.msg).toMatch(/^401 ERR_TOKEN_INVALID: .*signature/);
  });

  it('never writes the password, a token, the Authorization header or the private key', async () => {
    const text = capture.text;
    const pem = await readFile(join(auth.dir, 'keys', 'private.pem'), 'utf8');
    const keyLines = pem.split('\n').filter((line) => line.length > 16 && !line.startsWith('-----'));
    const [header, payload, signature] = token.split('.');

    expect(keyLines.length).toBeGreaterThan(5);
    for (const secret of [password, wrongPassword, token, tampered, payload, signature, `${header}.${payload}`, ...keyLines]) {
      expect(text).not.toContain(secret);
    }
    // The header as a logged field (`"authorization":`), not the word: the route list names /.well-known/oauth-authorization-server.
    expect(text).not.toMatch(/PRIVATE KEY|Bearer|"authorization"/i);
  });
});
