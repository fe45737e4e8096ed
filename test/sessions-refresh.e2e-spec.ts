import { jest } from '@jest/globals';
import { join } from 'node:path';
import request from 'supertest';
import { startResource, type RunningResource } from './support/stack.js';
import { createAuthApp } from '../apps/auth-service/src/app.factory.js';
import { TokenService } from '../apps/auth-service/src/tokens/token.service.js';
import { usersCommand } from '../apps/auth-service/src/cli/users.command.js';
import { loadAuthConfig } from '../apps/auth-service/src/config/auth.config.js';
import { SessionsService } from '../apps/auth-service/src/sessions/sessions.service.js';
import { UsersService } from '../apps/auth-service/src/users/users.service.js';
import { startAuth, tempDir, type RunningAuth } from './support/auth-app.js';
import { DAY, INVALID_GRANT, login, ManualClock, refresh, logout } from './support/sessions.js';
import { CollectingLogger } from './support/verifier-app.js';

describe('refresh tokens (embedded database)', () => {
  let auth: RunningAuth;
  const clock = new ManualClock();

  beforeAll(async () => {
    auth = await startAuth({ REFRESH_TOKEN_TTL: '30d', SESSION_MAX_AGE: '45d' }, { clock });
  });
  afterAll(() => auth.close());

  async function session(): Promise<string> {
    return (await login(auth.url).expect(200)).body.refresh_token;
  }

  it('rotates: a refresh answers a new pair, and the new refresh token is the one that works next', async () => {
    const first = await session();
    const res = await refresh(auth.url, first).expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toEqual({
      access_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: 900,
      scope: 'profile resource:read',
      refresh_token: expect.stringMatching(/^nts_rt_[A-Za-z0-9_-]{43}$/),
      refresh_expires_in: 30 * 86_400,
    });
    expect(res.body.refresh_token).not.toBe(first);
    const next = await refresh(auth.url, res.body.refresh_token).expect(200);
    expect(next.body.refresh_token).not.toBe(res.body.refresh_token);
  });

  it('treats a replayed (already rotated) token as theft: 400 invalid_grant and the whole family is revoked', async () => {
    const first = await session();
    const other = await session();
    const second = (await refresh(auth.url, first).expect(200)).body.refresh_token;

    const replay = await refresh(auth.url, first).expect(400);
    expect(replay.body).toEqual(INVALID_GRANT);
    expect(JSON.stringify(replay.body)).not.toContain(first);
    // The token the legitimate client (or the thief) got from the rotation is dead too.
    expect((await refresh(auth.url, second).expect(400)).body).toEqual(INVALID_GRANT);
    // Another session of the same user is untouched.
    await refresh(auth.url, other).expect(200);
  });

  it('lets exactly one of five concurrent refreshes with one token succeed', async () => {
    const token = await session();
    const answers = await Promise.all(Array.from({ length: 5 }, () => refresh(auth.url, token)));
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([200, 400, 400, 400, 400]);
    for (const lost of answers.filter((a) => a.status === 400)) expect(lost.body).toEqual(INVALID_GRANT);
    // The losers presented a used token: reuse, so the winner's new token is revoked with the family.
    const winner = answers.find((a) => a.status === 200)!;
    await refresh(auth.url, winner.body.refresh_token).expect(400);
  });

  it('refuses a refresh after logout', async () => {
    const token = await session();
    const next = (await refresh(auth.url, token).expect(200)).body.refresh_token;
    await logout(auth.url, next).expect(204);
    expect((await refresh(auth.url, next).expect(400)).body).toEqual(INVALID_GRANT);
  });

  it('refuses a refresh token unused for longer than REFRESH_TOKEN_TTL', async () => {
    const token = await session();
    clock.advance(30 * DAY + 1);
    expect((await refresh(auth.url, token).expect(400)).body).toEqual(INVALID_GRANT);
  });

  it('slides with each rotation but never past SESSION_MAX_AGE', async () => {
    const first = await session();
    clock.advance(20 * DAY);
    const second = (await refresh(auth.url, first).expect(200)).body;
    expect(second.refresh_expires_in).toBe(25 * 86_400);
    clock.advance(20 * DAY);
    const third = (await refresh(auth.url, second.refresh_token).expect(200)).body;
    expect(third.refresh_expires_in).toBe(5 * 86_400);
    clock.advance(5 * DAY);
    expect((await refresh(auth.url, third.refresh_token).expect(400)).body).toEqual(INVALID_GRANT);
  });

  it('refuses a disabled user: `users disable` ends every session and login fails; `users enable` lets the user log in again', async () => {
    const users = auth.app.get(UsersService);
    const sessions = auth.app.get(SessionsService);
    await users.create('dora', 'correct horse');
    const a = (await login(auth.url, 'dora', 'correct horse').expect(200)).body.refresh_token;
    const b = (await login(auth.url, 'dora', 'correct horse').expect(200)).body.refresh_token;
    const out: string[] = [];
    const io = { out: (line: string) => out.push(line), readPassword: async () => '' };

    expect(await usersCommand(users, ['disable', 'dora'], io, sessions)).toBe(0);
    expect(out).toEqual(['disabled user dora; ended 2 sessions']);
    await refresh(auth.url, a).expect(400);
    await refresh(auth.url, b).expect(400);
    await login(auth.url, 'dora', 'correct horse').expect(401);

    expect(await usersCommand(users, ['enable', 'dora'], io, sessions)).toBe(0);
    await login(auth.url, 'dora', 'correct horse').expect(200);
    // Enabling does not bring the ended sessions back.
    await refresh(auth.url, a).expect(400);
  });

  it('refuses a disabled user even if the sessions were not revoked', async () => {
    const users = auth.app.get(UsersService);
    await users.create('emil', 'correct horse');
    const token = (await login(auth.url, 'emil', 'correct horse').expect(200)).body.refresh_token;
    await users.setDisabled('emil', true);
    expect((await refresh(auth.url, token).expect(400)).body).toEqual(INVALID_GRANT);
  });

  it('refuses an access token presented as a refresh token', async () => {
    const { access_token } = (await login(auth.url).expect(200)).body;
    expect((await refresh(auth.url, access_token).expect(400)).body).toEqual(INVALID_GRANT);
    expect((await logout(auth.url, access_token).expect(400)).body).toEqual(INVALID_GRANT);
  });

  it('refuses a well-formed refresh token it never issued', async () => {
    const forged = `nts_rt_${'A'.repeat(43)}`;
    expect((await refresh(auth.url, forged).expect(400)).body).toEqual(INVALID_GRANT);
  });

  it.each([
    ['an array', ['nts_rt_x']],
    ['an object', { $ne: '' }],
    ['a number', 42],
    ['null', null],
    ['an empty string', ''],
    ['a 10 KB string', 'x'.repeat(10 * 1024)],
  ])('answers 400 naming refresh_token to %s', async (_, value) => {
    const res = await refresh(auth.url, value).expect(400);
    expect(res.body.code).toBe('ERR_VALIDATION');
    expect(JSON.stringify(res.body.message)).toContain('refresh_token');
  });

  it('leaves the refresh token unused when signing the new access token fails', async () => {
    const token = await session();
    const issue = jest.spyOn(auth.app.get(TokenService), 'issue').mockRejectedValueOnce(new Error('signing failed'));
    const failed = await refresh(auth.url, token).expect(500);
    expect(JSON.stringify(failed.body)).not.toContain('signing failed');
    issue.mockRestore();
    await refresh(auth.url, token).expect(200);
  });

  it('answers 400 to a missing field and to an unknown field, and such a request consumes nothing', async () => {
    const token = await session();
    await request(auth.url).post('/auth/refresh').send({}).expect(400);
    const extra = await request(auth.url).post('/auth/refresh').send({ refresh_token: token, grant_type: 'refresh_token' }).expect(400);
    expect(JSON.stringify(extra.body.message)).toContain('grant_type');
    await refresh(auth.url, token).expect(200);
  });
});

describe('refresh tokens across restarts and instances (embedded database)', () => {
  it('keeps sessions across a restart', async () => {
    const { dir, remove } = await tempDir();
    const first = await startAuth({}, { dir });
    const token = (await login(first.url).expect(200)).body.refresh_token;
    await first.app.close();

    const second = await startAuth({ DEMO_USER: '' }, { dir });
    const res = await refresh(second.url, token).expect(200);
    await refresh(second.url, res.body.refresh_token).expect(200);
    await second.app.close();
    await remove();
  });

  it('lets exactly one of five concurrent refreshes succeed when they reach two instances on one database file', async () => {
    const { dir, remove } = await tempDir();
    const [a, b] = await Promise.all([startAuth({}, { dir }), startAuth({}, { dir })]);
    const token = (await login(a.url).expect(200)).body.refresh_token;
    const answers = await Promise.all([a, b, a, b, a].map((instance) => refresh(instance.url, token)));
    expect(answers.map((r) => r.status).sort()).toEqual([200, 400, 400, 400, 400]);
    await Promise.all([a.app.close(), b.app.close()]);
    await remove();
  });
});

describe('logging', () => {
  it('never writes a refresh token, an access token or a password to the log', async () => {
    const { dir, remove } = await tempDir();
    const logger = new CollectingLogger();
    const config = loadAuthConfig({ KEYS_DIR: join(dir, 'keys'), DATA_DIR: join(dir, 'data') });
    const app = await createAuthApp(config, { logger });
    await app.listen(0, '127.0.0.1');
    const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');

    const { access_token, refresh_token } = (await login(url).expect(200)).body;
    const next = (await refresh(url, refresh_token).expect(200)).body.refresh_token;
    await refresh(url, refresh_token).expect(400);
    await refresh(url, access_token).expect(400);
    await logout(url, next).expect(204);
    await login(url, 'testuser', 'wrong-password').expect(401);
    await app.close();
    await remove();

    const log = logger.lines.join('\n');
    expect(log).toContain('refresh token reuse');
    for (const secret of [refresh_token, next, access_token, 'wrong-password', 'nts_rt_']) expect(log).not.toContain(secret);
  });
});

describe('token types do not cross over', () => {
  let auth: RunningAuth;
  let resource: RunningResource;
  let resourceUrl: string;

  beforeAll(async () => {
    auth = await startAuth({ AUTH_ISSUER: 'http://localhost:3000' });
    resource = await startResource(`${auth.url}/.well-known/jwks.json`);
    resourceUrl = resource.url;
  });
  afterAll(async () => {
    await resource.close();
    await auth.close();
  });

  it('refuses a refresh token used as a bearer token at the resource-service (401) while its access token passes', async () => {
    const { access_token, refresh_token } = (await login(auth.url).expect(200)).body;
    await request(resourceUrl).get('/resource/protected').set('Authorization', `Bearer ${access_token}`).expect(200);
    const res = await request(resourceUrl).get('/resource/protected').set('Authorization', `Bearer ${refresh_token}`).expect(401);
    expect(res.headers['www-authenticate']).toContain('error="invalid_token"');
    // The refresh token was not spent by the attempt.
    await refresh(auth.url, refresh_token).expect(200);
  });

  it('gives the refreshed access token to the resource-service like the first one', async () => {
    const { refresh_token } = (await login(auth.url).expect(200)).body;
    const { access_token } = (await refresh(auth.url, refresh_token).expect(200)).body;
    await request(resourceUrl).get('/resource/protected').set('Authorization', `Bearer ${access_token}`).expect(200);
  });
});
