import { createAuthApp } from '../apps/auth-service/src/app.factory.js';
import { loadAuthConfig } from '../apps/auth-service/src/config/auth.config.js';
import { join } from 'node:path';
import { stat } from 'node:fs/promises';
import request from 'supertest';
import { startAuth, tempDir } from './support/auth-app.js';
import { BUILT, ServiceProcess } from './support/service-process.js';

describe('auth-service start-up', () => {
  it('refuses to start in production without a signing key', async () => {
    const { dir, remove } = await tempDir();
    const config = loadAuthConfig({ NODE_ENV: 'production', AUTH_ISSUER: 'https://id.example.com', KEYS_DIR: join(dir, 'keys'), DATA_DIR: join(dir, 'data') });
    await expect(createAuthApp(config, { logger: false })).rejects.toThrow(/no signing key at .*private\.pem/);
    await expect(stat(join(dir, 'keys', 'private.pem'))).rejects.toThrow();
    await remove();
  });

  it('starts in production with a provided key and no demo user', async () => {
    const { dir, remove } = await tempDir();
    const dev = await startAuth({ DEMO_USER: '' }, { dir });
    await dev.app.close();
    const prod = await startAuth({ NODE_ENV: 'production', AUTH_ISSUER: 'https://id.example.com' }, { dir });
    await request(prod.url).post('/auth/login').send({ username: 'testuser', password: 'password' }).expect(401);
    await prod.app.close();
    await remove();
  });

  it('keeps users and the key across a restart', async () => {
    const { dir, remove } = await tempDir();
    const first = await startAuth({}, { dir });
    const kid = (await request(first.url).get('/.well-known/jwks.json')).body.keys[0].kid;
    await first.app.close();
    const second = await startAuth({ DEMO_USER: '' }, { dir });
    expect((await request(second.url).get('/.well-known/jwks.json')).body.keys[0].kid).toBe(kid);
    await request(second.url).post('/auth/login').send({ username: 'testuser', password: 'password' }).expect(200);
    await second.app.close();
    await remove();
  });

  it('two instances starting at once on one data folder share one key and one demo user', async () => {
    const { dir, remove } = await tempDir();
    const [a, b] = await Promise.all([startAuth({}, { dir }), startAuth({}, { dir })]);
    const kidA = (await request(a.url).get('/.well-known/jwks.json')).body.keys[0].kid;
    const kidB = (await request(b.url).get('/.well-known/jwks.json')).body.keys[0].kid;
    expect(kidA).toBe(kidB);
    await request(b.url).post('/auth/login').send({ username: 'testuser', password: 'password' }).expect(200);
    await Promise.all([a.app.close(), b.app.close()]);
    await remove();
  });

  it.each([
    ['JWKS_HEADERS', 'a CR LF in a value', { JWKS_HEADERS: 'X-A=1\r\nSet-Cookie: s=1' }],
    ['JWKS_HEADERS', 'a helmet header', { JWKS_HEADERS: 'Strict-Transport-Security=max-age=0' }],
    ['JWKS_PATH', 'a path under /health', { JWKS_PATH: '/health/keys' }],
  ])(
    'the built service refuses %s (%s) at start, naming it, and exits 1',
    async (variable, _case, env) => {
      const { dir, remove } = await tempDir();
      const service = ServiceProcess.launch(BUILT.auth, { KEYS_DIR: join(dir, 'keys'), DATA_DIR: join(dir, 'data'), ...env }, { stderr: 'collect' });
      // Bounded: a service that wrongly starts is killed below instead of keeping the suite waiting.
      let timer: NodeJS.Timeout | undefined;
      const stillRunning = new Promise<string>((resolve) => (timer = setTimeout(() => resolve('still running'), 20_000)));
      try {
        expect(await Promise.race([service.exited, stillRunning])).toBe(1);
        const lines = service.records.map((record) => JSON.stringify(record));
        expect(lines.some((line) => line.includes(`Invalid configuration: ${variable}`))).toBe(true);
        expect(lines.some((line) => /listening on/.test(line))).toBe(false);
      } finally {
        clearTimeout(timer);
        await service.kill();
        await remove();
      }
    },
    30_000,
  );
});
