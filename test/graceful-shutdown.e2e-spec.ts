import { ShutdownState } from '@app/observability';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { createTestKey, JwksFixture, signAccessToken, TEST_ISSUER } from './support/jwks-fixture.js';
import { startAuth } from './support/auth-app.js';
import { startResourceApp } from './support/verifier-app.js';
import { BUILT, ServiceProcess, sleep } from './support/service-process.js';

/** Sends a login whose body is held back: the server has the request (it answered 100 Continue), not the body. */
async function startSlowLogin(
  port: number,
  body: string,
): Promise<{ socket: Socket; finish: () => Promise<{ status: number; connection?: string; body: string }> }> {
  const socket = connect(port, '127.0.0.1');
  let received = '';
  socket.on('data', (chunk) => (received += chunk.toString()));
  socket.write(
    `POST /auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      'Expect: 100-continue\r\nX-Request-Id: in-flight\r\n\r\n',
  );
  while (!received.includes('100 Continue')) await sleep(5);
  received = '';
  const finish = async () => {
    socket.write(body);
    const closed = new Promise((resolve) => socket.once('close', resolve));
    for (let i = 0; i < 1000 && !/\r\n\r\n[\s\S]*\}$/.test(received); i += 1) await sleep(10);
    await closed; // by the server: a keep-alive client must not hold the shutdown until the grace ends
    const [head, text = ''] = received.split('\r\n\r\n');
    return { status: Number(head.split(' ')[1]), connection: /\r\nconnection: (\S+)/i.exec(head)?.[1], body: text };
  };
  return { socket, finish };
}

/** Resolves once new connections are refused (the listener is closed). */
async function refused(port: number): Promise<boolean> {
  for (let i = 0; i < 500; i += 1) {
    const outcome = await new Promise<'refused' | 'accepted'>((resolve) => {
      const probe = connect(port, '127.0.0.1');
      probe.once('connect', () => {
        probe.destroy();
        resolve('accepted');
      });
      probe.once('error', () => resolve('refused'));
    });
    if (outcome === 'refused') return true;
    await sleep(10);
  }
  return false;
}

describe('graceful shutdown of the built services', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'shutdown-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  // SHUTDOWN_GRACE is far beyond the test timeout: this passes only if nothing waits for it.
  it('auth-service: on SIGTERM stops accepting, completes the in-flight login, closes the database and exits 0', async () => {
    const data = join(dir, 'data');
    const auth = await ServiceProcess.start(BUILT.auth, { KEYS_DIR: join(dir, 'keys'), DATA_DIR: data, SHUTDOWN_GRACE: '5m' });
    expect(existsSync(join(data, 'auth.sqlite-wal'))).toBe(true);
    const login = await startSlowLogin(auth.port, JSON.stringify({ username: 'testuser', password: 'password' }));

    auth.child.kill('SIGTERM');
    await auth.waitForLog((r) => r.context === 'Shutdown' && String(r.msg).startsWith('SIGTERM'));
    expect(await refused(auth.port)).toBe(true);
    const answer = await login.finish();

    expect(answer).toMatchObject({ status: 200, connection: 'close' });
    expect(JSON.parse(answer.body)).toMatchObject({ token_type: 'Bearer', access_token: expect.any(String) });
    expect(await auth.exited).toBe(0);
    expect(existsSync(join(data, 'auth.sqlite-wal'))).toBe(false);
  });

  it('resource-service: a request still running when SHUTDOWN_GRACE ends is cut, and the process still exits 0', async () => {
    const key = await createTestKey('ES256');
    const jwks = await JwksFixture.start(key);
    jwks.failWith('hang');
    const resource = await ServiceProcess.start(BUILT.resource, {
      AUTH_ISSUER: TEST_ISSUER,
      JWKS_URI: jwks.uri,
      JWKS_TIMEOUT: '60s',
      SHUTDOWN_GRACE: '300ms',
    });
    const token = await signAccessToken(key);
    const answer = request(`http://127.0.0.1:${resource.port}`)
      .get('/resource/protected')
      .set('Authorization', `Bearer ${token}`)
      .then(
        (res) => `answered ${res.status}`,
        (error: Error) => error.message,
      );
    while (jwks.requests === 0) await sleep(5); // the request now waits on the (hanging) key set

    resource.child.kill('SIGTERM');

    expect(await answer).toBe('socket hang up');
    expect(await resource.exited).toBe(0);
    await resource.waitForLog((r) => r.context === 'Shutdown' && String(r.msg).includes('grace of 300 ms is over'));
    await jwks.stop();
  });
});

describe('readiness while shutting down', () => {
  it('turns 503 with the check named as soon as a shutdown begins, on both services', async () => {
    const auth = await startAuth();
    const jwks = await JwksFixture.start(await createTestKey('ES256'));
    const resource = await startResourceApp(jwks);

    await request(auth.url).get('/health/ready').expect(200);
    await request(resource.getHttpServer()).get('/health/ready').expect(200);
    auth.app.get(ShutdownState).begin();
    resource.get(ShutdownState).begin();

    for (const server of [auth.url, resource.getHttpServer()]) {
      const res = await request(server).get('/health/ready').expect(503);
      expect(res.body.error).toEqual({ shutdown: { status: 'down', message: 'shutting down' } });
      await request(server).get('/health/live').expect(200);
    }
    await resource.close();
    await jwks.stop();
    await auth.close();
  });
});
