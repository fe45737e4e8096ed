import request from 'supertest';
import { startAuth, type RunningAuth } from './support/auth-app.js';
import { login, ManualClock } from './support/sessions.js';

describe('POST /auth/register', () => {
  describe('off by default', () => {
    let auth: RunningAuth;
    beforeAll(async () => {
      auth = await startAuth();
    });
    afterAll(() => auth.close());

    it('answers like a route that does not exist, before looking at the body', async () => {
      const valid = await request(auth.url).post('/auth/register').send({ username: 'newbie', password: 'long enough' }).expect(404);
      const invalid = await request(auth.url).post('/auth/register').send({ nonsense: true }).expect(404);
      expect(valid.body).toEqual({ statusCode: 404, error: 'Not Found', code: 'ERR_NOT_FOUND', message: 'Cannot POST /auth/register' });
      expect(invalid.body).toEqual(valid.body);
      await login(auth.url, 'newbie', 'long enough').expect(401);
    });
  });

  describe('with REGISTRATION_ENABLED=true', () => {
    let auth: RunningAuth;
    const clock = new ManualClock();
    const register = (body: unknown, ip = '192.0.2.1') =>
      request(auth.url)
        .post('/auth/register')
        .set('x-forwarded-for', ip)
        .send(body as object);

    beforeAll(async () => {
      auth = await startAuth({ REGISTRATION_ENABLED: 'true', TRUSTED_PROXIES: '127.0.0.1', REGISTER_MAX_PER_ADDRESS: '3' }, { clock });
    });
    afterAll(() => auth.close());

    it('creates a user who can then log in', async () => {
      const res = await register({ username: 'newbie', password: 'long enough' }, '192.0.2.10').expect(201);
      expect(res.body).toEqual({ id: expect.any(String), username: 'newbie' });
      expect(res.headers['cache-control']).toBe('no-store');
      await login(auth.url, 'newbie', 'long enough').expect(200);
    });

    it('answers 409 to a taken username', async () => {
      const res = await register({ username: 'testuser', password: 'long enough' }, '192.0.2.11').expect(409);
      expect(res.body).toEqual({ statusCode: 409, error: 'Conflict', code: 'ERR_USERNAME_TAKEN', message: 'username is taken' });
    });

    it.each([
      ['a 7-character password', { username: 'a1', password: 'short12' }, 'at least 8 characters'],
      ['11 code points that NFKC composes to 7', { username: 'a2', password: 'e\u0301'.repeat(4) + 'abc' }, 'at least 8 characters'],
      ['a password over 1024 bytes', { username: 'a3', password: 'é'.repeat(513) }, 'at most 1024 bytes'],
      ['a bad username', { username: 'bad name', password: 'long enough' }, 'username'],
      ['an unknown field', { username: 'a4', password: 'long enough', admin: true }, 'admin'],
    ])('answers 400 to %s', async (_, body, text: string) => {
      const res = await register(body, '192.0.2.12').expect(400);
      expect(res.body.code).toBe('ERR_VALIDATION');
      expect(JSON.stringify(res.body.message)).toContain(text);
    });

    it('accepts a password of 1024 bytes and a full-width one by its NFKC form', async () => {
      await register({ username: 'b1', password: 'é'.repeat(512) }, '192.0.2.13').expect(201);
      await register({ username: 'b2', password: 'ｐａｓｓｗｏｒｄ１' }, '192.0.2.13').expect(201);
      await login(auth.url, 'b2', 'password1').expect(200);
    });

    it('throttles per client address: REGISTER_MAX_PER_ADDRESS attempts an hour, then 429 with Retry-After', async () => {
      for (let i = 0; i < 3; i++) await register({ username: `c${i}`, password: 'long enough' }, '192.0.2.99').expect(201);
      const res = await register({ username: 'c3', password: 'long enough' }, '192.0.2.99').expect(429);
      expect(res.headers['retry-after']).toBe('3600');
      await register({ username: 'c3', password: 'long enough' }, '192.0.2.98').expect(201);
      clock.advance(3_600_000);
      await register({ username: 'c4', password: 'long enough' }, '192.0.2.99').expect(201);
    });
  });
});
