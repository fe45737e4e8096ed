import request from 'supertest';
import { sessionsCommand } from '../apps/auth-service/src/cli/sessions.command.js';
import { usersCommand } from '../apps/auth-service/src/cli/users.command.js';
import { ClientsService } from '../apps/auth-service/src/clients/clients.service.js';
import { SessionsService } from '../apps/auth-service/src/sessions/sessions.service.js';
import { UsersService } from '../apps/auth-service/src/users/users.service.js';
import type { RunningAuth } from './support/auth-app.js';
import { registerClient } from './support/oauth.js';
import { startFeedStack, type RunningResource } from './support/stack.js';

/** The verifier polls this often here; a revocation must be enforced within it plus one second. */
const POLL_MS = 200;
const BOUND_MS = POLL_MS + 1000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Revocation end to end (docs/revocation.md): each action that revokes makes the resource-service
 * refuse the affected access token within the poll interval, and only that token; the feed itself
 * (cursor, ETag, 304), on the embedded database and on PostgreSQL.
 */
describe.each(['sqlite', 'postgres'] as const)('revocation through the feed (%s)', (driver) => {
  let stack: Awaited<ReturnType<typeof startFeedStack>>;
  let auth: RunningAuth;
  let resource: RunningResource;

  beforeAll(async () => {
    stack = await startFeedStack(driver, POLL_MS);
    ({ auth, resource } = stack);
  });
  afterAll(() => stack?.close());

  const protectedWith = (token: string) => request(resource.url).get('/resource/protected').auth(token, { type: 'bearer' });

  async function login(username = 'testuser', password = 'password'): Promise<{ access: string; refresh: string }> {
    const { body } = await request(auth.url).post('/auth/login').send({ username, password }).expect(200);
    return { access: body.access_token, refresh: body.refresh_token };
  }

  /** Milliseconds until the resource-service answers 401 invalid_token for `token`; fails past the bound. */
  async function refusedWithin(token: string): Promise<number> {
    const start = Date.now();
    for (;;) {
      const res = await protectedWith(token);
      if (res.status === 401) {
        expect(res.headers['www-authenticate']).toContain('error="invalid_token"');
        return Date.now() - start;
      }
      expect(res.status).toBe(200);
      if (Date.now() - start > BOUND_MS) throw new Error(`still accepted ${Date.now() - start} ms after the revocation`);
      await sleep(20);
    }
  }

  it('logout: the session access token is refused within the poll interval; another session of the same user is not', async () => {
    const [first, second] = [await login(), await login()];
    await protectedWith(first.access).expect(200);
    await request(auth.url).post('/auth/logout').send({ refresh_token: first.refresh }).expect(204);
    expect(await refusedWithin(first.access)).toBeLessThanOrEqual(BOUND_MS);
    await protectedWith(second.access).expect(200);
  });

  it('/oauth/revoke of an access token: that token is refused, its session keeps working', async () => {
    const session = await login();
    await request(auth.url).post('/oauth/revoke').type('form').send({ token: session.access, client_id: 'default' }).expect(200);
    expect(await refusedWithin(session.access)).toBeLessThanOrEqual(BOUND_MS);
    const { body } = await request(auth.url).post('/auth/refresh').send({ refresh_token: session.refresh }).expect(200);
    await protectedWith(body.access_token).expect(200);
  });

  it('/auth/revoke of an access token is refused too; a forged or foreign token writes nothing to the feed', async () => {
    const before = (await request(auth.url).get('/oauth/revocations').expect(200)).body.cursor;
    const [header, payload] = (await login()).access.split('.');
    await request(auth.url)
      .post('/auth/revoke')
      .send({ token: `${header}.${payload}.${'A'.repeat(342)}` })
      .expect(200);
    await request(auth.url).post('/auth/revoke').send({ token: 'not.a.token' }).expect(200);
    expect((await request(auth.url).get('/oauth/revocations').expect(200)).body.cursor).toBe(before);

    const session = await login();
    await request(auth.url).post('/auth/revoke').send({ token: session.access }).expect(200);
    expect(await refusedWithin(session.access)).toBeLessThanOrEqual(BOUND_MS);
  });

  it('/oauth/revoke by another client than the token was issued to revokes nothing', async () => {
    const secret = await registerClient(auth, { id: `other-${driver}` });
    const session = await login();
    await request(auth.url).post('/oauth/revoke').auth(`other-${driver}`, secret).type('form').send({ token: session.access }).expect(200);
    await sleep(BOUND_MS);
    await protectedWith(session.access).expect(200);
  });

  it('clients disable: its client-credentials tokens are refused, another client keeps working; tokens after re-enabling work', async () => {
    const [a, b] = [`svc-a-${driver}`, `svc-b-${driver}`];
    const tokenOf = async (id: string, secret: string) =>
      (await request(auth.url).post('/oauth/token').auth(id, secret).type('form').send({ grant_type: 'client_credentials' }).expect(200)).body
        .access_token as string;
    const [secretA, secretB] = [await registerClient(auth, { id: a }), await registerClient(auth, { id: b })];
    const [tokenA, tokenB] = [await tokenOf(a, secretA), await tokenOf(b, secretB)];
    await protectedWith(tokenA).expect(200);

    await auth.app.get(ClientsService).setDisabled(a, true);
    expect(await refusedWithin(tokenA)).toBeLessThanOrEqual(BOUND_MS);
    await protectedWith(tokenB).expect(200);

    // Tokens issued after the revocation's second are not covered by the client entry.
    await auth.app.get(ClientsService).setDisabled(a, false);
    await sleep(1100);
    const fresh = await tokenOf(a, secretA);
    await sleep(BOUND_MS);
    await protectedWith(fresh).expect(200);
  });

  it('sessions revoke --user: every session of that user is refused, other users are not', async () => {
    await auth.app.get(UsersService).create(`ann-${driver}`, 'correct horse battery');
    const [one, two] = [await login(`ann-${driver}`, 'correct horse battery'), await login(`ann-${driver}`, 'correct horse battery')];
    const other = await login();
    const lines: string[] = [];
    const code = await sessionsCommand(auth.app.get(UsersService), ['revoke', '--user', `ann-${driver}`], (l) => lines.push(l), auth.app.get(SessionsService));
    expect({ code, lines }).toEqual({ code: 0, lines: [`ended 2 sessions of user ann-${driver}`] });
    expect(await refusedWithin(one.access)).toBeLessThanOrEqual(BOUND_MS);
    expect(await refusedWithin(two.access)).toBeLessThanOrEqual(BOUND_MS);
    await protectedWith(other.access).expect(200);
  });

  it('users disable and refresh-token reuse: the sessions they end are refused', async () => {
    await auth.app.get(UsersService).create(`bob-${driver}`, 'correct horse battery');
    const bob = await login(`bob-${driver}`, 'correct horse battery');
    const io = { out: () => undefined, readPassword: async () => '' };
    expect(await usersCommand(auth.app.get(UsersService), ['disable', `bob-${driver}`], io, auth.app.get(SessionsService))).toBe(0);
    expect(await refusedWithin(bob.access)).toBeLessThanOrEqual(BOUND_MS);

    const session = await login();
    const rotated = (await request(auth.url).post('/auth/refresh').send({ refresh_token: session.refresh }).expect(200)).body.access_token as string;
    await request(auth.url).post('/auth/refresh').send({ refresh_token: session.refresh }).expect(400);
    expect(await refusedWithin(rotated)).toBeLessThanOrEqual(BOUND_MS);
    await protectedWith(session.access).expect(401);
  });

  it('the feed: ETag on every answer, 304 when nothing changed, since gives only newer entries, a bad cursor is a 400', async () => {
    const full = await request(auth.url).get('/oauth/revocations').expect(200);
    expect(full.body).toMatchObject({ issuer: auth.config.tokens.issuer, full: true });
    expect(full.headers.etag).toBe(`W/"${full.body.cursor}"`);
    const since = `/oauth/revocations?since=${full.body.cursor}`;
    const unchanged = await request(auth.url).get(since).set('If-None-Match', full.headers.etag).expect(304);
    expect(unchanged.headers.etag).toBe(full.headers.etag);
    expect((await request(auth.url).get(since).expect(200)).body).toMatchObject({ full: false, entries: [], cursor: full.body.cursor });

    const session = await login();
    await request(auth.url).post('/auth/logout').send({ refresh_token: session.refresh }).expect(204);
    const newer = await request(auth.url).get(since).set('If-None-Match', full.headers.etag).expect(200);
    const sid = JSON.parse(Buffer.from(session.access.split('.')[1], 'base64url').toString()).sid as string;
    expect(newer.body.full).toBe(false);
    expect(newer.body.entries).toEqual([{ type: 'sid', value: sid, revoked_at: expect.any(Number), expires_at: expect.any(Number) }]);
    const entry = newer.body.entries[0];
    expect(entry.expires_at - entry.revoked_at).toBe(15 * 60 + 30);
    expect(Number(newer.body.cursor)).toBeGreaterThan(Number(full.body.cursor));
    expect(newer.headers.etag).not.toBe(full.headers.etag);

    // A cursor beyond the latest (another database) gets everything; a non-cursor is a 400.
    expect((await request(auth.url).get('/oauth/revocations?since=999999999').expect(200)).body.full).toBe(true);
    await request(auth.url).get('/oauth/revocations?since=abc').expect(400);
    await request(auth.url).get('/oauth/revocations?since=-1').expect(400);
  });

  it('introspection answers active: false for a revoked access token', async () => {
    const secret = await registerClient(auth, { id: `gateway-${driver}`, introspect: true, serves: ['resource-service'] });
    const session = await login();
    const introspect = () => request(auth.url).post('/oauth/introspect').auth(`gateway-${driver}`, secret).type('form').send({ token: session.access });
    expect((await introspect().expect(200)).body.active).toBe(true);
    await request(auth.url).post('/auth/revoke').send({ token: session.access }).expect(200);
    expect((await introspect().expect(200)).body).toEqual({ active: false });
  });
});
