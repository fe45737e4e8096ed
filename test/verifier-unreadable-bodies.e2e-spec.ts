import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { createResourceApp } from '../apps/resource-service/src/app.factory.js';
import { loadResourceConfig } from '../apps/resource-service/src/config/resource.config.js';
import { createTestKey, signAccessToken } from './support/jwks-fixture.js';
import { LogCapture } from './support/log-capture.js';
import { ScriptedServer } from './support/scripted-server.js';

/**
 * Short enough that node 20's JSON.parse message would quote all of it (`Unexpected token 'Z',
 * "Zq-leak-7" is not valid JSON`): whoever answers the verifier's fetches chooses the body, and
 * nothing of it may reach a log line or an error message.
 */
const MARKER = 'Zq-leak-7';

describe('the verifier never logs a piece of a body it cannot parse (JWKS, revocation feed)', () => {
  const capture = new LogCapture();
  let upstream: ScriptedServer;
  let resource: NestFastifyApplication;

  beforeAll(async () => {
    upstream = await ScriptedServer.start();
    upstream.handler = (_request, response) => void response.writeHead(200, { 'content-type': 'application/json' }).end(MARKER);
    const config = loadResourceConfig({
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'debug',
      AUTH_ISSUER: upstream.url,
      JWKS_URI: `${upstream.url}/jwks.json`,
      REVOCATION_FEED_URI: `${upstream.url}/oauth/revocations`,
      REVOCATION_POLL_INTERVAL: '100ms',
    });
    resource = await createResourceApp(config, { logStream: capture });
    await resource.listen(0, '127.0.0.1');
  });

  afterAll(async () => {
    await resource.close();
    await upstream.stop();
  });

  it('logs "the body is not JSON" with its length, for the feed and the JWKS, and never the body', async () => {
    const key = await createTestKey('RS256');
    const token = await signAccessToken(key, { claims: { iss: upstream.url } });
    const answer = await request(resource.getHttpServer()).get('/resource/protected').auth(token, { type: 'bearer' });
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(JSON.stringify(answer.body)).not.toContain(MARKER);

    const feedLine = await capture.waitFor((record) => /revocation feed .*unreadable/.test(String(record.msg)));
    const jwksLine = await capture.waitFor((record) => /JWKS/.test(String(record.msg)) && /unreadable body/.test(JSON.stringify(record)));
    expect(capture.text).not.toContain(MARKER.slice(0, 5));
    const notJson = `the body is not JSON (${MARKER.length} bytes)`;
    expect(feedLine.msg).toContain(notJson);
    expect(JSON.stringify(jwksLine)).toContain(notJson);
  });
});
