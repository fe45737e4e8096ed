import { randomBytes } from 'node:crypto';
import { startAuth, tempDir, type RunningAuth } from './support/auth-app.js';
import { login, ManualClock, MINUTE } from './support/sessions.js';

const TOO_MANY = {
  statusCode: 429,
  error: 'Too Many Requests',
  code: 'ERR_TOO_MANY_REQUESTS',
  message: 'Too many attempts; retry after the number of seconds in Retry-After',
};

const randomIp = () => [...randomBytes(4)].map((b) => String(b)).join('.');

/**
 * Defaults under test: LOGIN_MAX_FAILURES=5, LOGIN_LOCKOUT=5m doubling up to LOGIN_LOCKOUT_MAX=1h,
 * LOGIN_ADDRESS_MAX_FAILURES=20, LOGIN_FAILURE_WINDOW=15m. Time runs on a manual clock.
 */
describe('login throttling and lockout', () => {
  let auth: RunningAuth;
  let clock: ManualClock;

  async function boot(env: Record<string, string> = {}) {
    clock = new ManualClock();
    auth = await startAuth(env, { clock });
  }
  afterEach(() => auth.close());

  async function fail(times: number, username = 'testuser', headers: Record<string, string> = {}) {
    for (let i = 0; i < times; i++) await login(auth.url, username, 'wrong-password', headers).expect(401);
  }

  it('locks an account after 5 failures: the 6th attempt gets 429 with Retry-After 300, even with the right password', async () => {
    await boot();
    await fail(5);
    const locked = await login(auth.url, 'testuser', 'wrong-password').expect(429);
    expect(locked.headers['retry-after']).toBe('300');
    expect(locked.body).toEqual(TOO_MANY);
    const right = await login(auth.url).expect(429);
    expect(right.body).toEqual(TOO_MANY);
    clock.advance(2 * MINUTE);
    expect((await login(auth.url).expect(429)).headers['retry-after']).toBe('180');
  });

  it('unlocks by itself when the lockout ends, and a successful login resets the count', async () => {
    await boot();
    await fail(5);
    await login(auth.url).expect(429);
    clock.advance(5 * MINUTE);
    await login(auth.url).expect(200);
    await fail(4);
    await login(auth.url).expect(200);
  });

  it('answers an unknown user exactly like an existing one, through lockout', async () => {
    await boot({ LOGIN_ADDRESS_MAX_FAILURES: '100' });
    const known: Array<{ status: number; body: unknown; retry?: string }> = [];
    const unknown: typeof known = [];
    for (let i = 0; i < 7; i++) {
      const a = await login(auth.url, 'testuser', 'wrong-password');
      const b = await login(auth.url, 'nobody-here', 'wrong-password');
      known.push({ status: a.status, body: a.body, retry: a.headers['retry-after'] });
      unknown.push({ status: b.status, body: b.body, retry: b.headers['retry-after'] });
    }
    expect(unknown).toEqual(known);
    expect(known.map((k) => k.status)).toEqual([401, 401, 401, 401, 401, 429, 429]);
  });

  it('doubles the lockout for each failure after one ends, up to one hour', async () => {
    await boot();
    await fail(5);
    const waits: string[] = [];
    for (let round = 0; round < 6; round++) {
      const locked = await login(auth.url, 'testuser', 'wrong-password').expect(429);
      waits.push(locked.headers['retry-after']);
      clock.advance(Number(locked.headers['retry-after']) * 1000);
      await login(auth.url, 'testuser', 'wrong-password').expect(401);
    }
    expect(waits).toEqual(['300', '600', '1200', '2400', '3600', '3600']);
  });

  it('forgets failures after LOGIN_FAILURE_WINDOW without one', async () => {
    await boot();
    await fail(4);
    clock.advance(15 * MINUTE);
    await fail(4);
    await login(auth.url).expect(200);
  });

  it('counts a parallel burst exactly: of 10 concurrent guesses 5 are checked and 5 get 429', async () => {
    await boot();
    const answers = await Promise.all(Array.from({ length: 10 }, () => login(auth.url, 'testuser', 'wrong-password')));
    expect(answers.map((a) => a.status).sort()).toEqual([401, 401, 401, 401, 401, 429, 429, 429, 429, 429]);
  });

  it('ignores X-Forwarded-For without a trusted proxy: rotating it neither resets the account count nor the address count', async () => {
    await boot();
    for (let i = 0; i < 5; i++) await login(auth.url, 'testuser', 'wrong-password', { 'x-forwarded-for': randomIp() }).expect(401);
    await login(auth.url, 'testuser', 'password', { 'x-forwarded-for': randomIp() }).expect(429);

    // 20 failures from this address over many usernames (none of them locked) lock the address.
    for (let i = 0; i < 15; i++) {
      await login(auth.url, `user${i}`, 'wrong-password', { 'x-forwarded-for': randomIp() }).expect(401);
    }
    const locked = await login(auth.url, 'fresh-name', 'wrong-password', { 'x-forwarded-for': randomIp() }).expect(429);
    expect(locked.headers['retry-after']).toBe('300');
  });

  it('with TRUSTED_PROXIES, counts the rightmost untrusted X-Forwarded-For hop, so a spoofed left part changes nothing', async () => {
    await boot({ TRUSTED_PROXIES: '127.0.0.1, 10.0.0.0/8' });
    for (let i = 0; i < 20; i++) {
      await login(auth.url, `user${i}`, 'wrong-password', { 'x-forwarded-for': `${randomIp()}, 203.0.113.7, 10.1.2.3` }).expect(401);
    }
    await login(auth.url, 'other', 'wrong-password', { 'x-forwarded-for': '203.0.113.7' }).expect(429);
    // Another client behind the same proxy is not affected.
    await login(auth.url, 'testuser', 'password', { 'x-forwarded-for': '198.51.100.4, 10.9.9.9' }).expect(200);
  });

  it('shares the counters between two instances on one database', async () => {
    const { dir, remove } = await tempDir();
    clock = new ManualClock();
    const [a, b] = await Promise.all([startAuth({}, { dir, clock }), startAuth({}, { dir, clock })]);
    auth = a;
    for (let i = 0; i < 5; i++) await login((i % 2 ? a : b).url, 'testuser', 'wrong-password').expect(401);
    await login(a.url).expect(429);
    await login(b.url).expect(429);
    await b.app.close();
    await remove();
  });
});
