import request from 'supertest';
import { CLIENT_TOKEN_BUDGET, SESSION_TOKEN_BUDGET } from '../apps/auth-service/src/revocation/revocation.service.js';
import type { RunningAuth } from './support/auth-app.js';
import { claimsOf, registerClient } from './support/oauth.js';
import { startFeedStack, type RunningResource } from './support/stack.js';

const POLL_MS = 200;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The feed cannot be flooded (docs/revocation.md "Budgets"): one entry per token however often it is
 * revoked, a few per session, a bounded number per client; on the embedded database and PostgreSQL.
 */
describe.each(['sqlite', 'postgres'] as const)('revocation budgets (%s)', (driver) => {
  let stack: Awaited<ReturnType<typeof startFeedStack>>;
  let auth: RunningAuth;
  let resource: RunningResource;

  beforeAll(async () => {
    stack = await startFeedStack(driver, POLL_MS);
    ({ auth, resource } = stack);
  });
  afterAll(() => stack?.close());

  /** The full feed, read past the auth-service's 250 ms memo of the latest cursor. */
  async function feed(): Promise<{ etag: string; cursor: string; entries: Array<{ type: string; value: string }> }> {
    await sleep(300);
    const res = await request(auth.url).get('/oauth/revocations').expect(200);
    return { etag: res.headers.etag as string, cursor: res.body.cursor as string, entries: res.body.entries };
  }
  const mine = (entries: Array<{ type: string; value: string }>, values: readonly unknown[]) => entries.filter((e) => values.includes(e.value));
  const status = async (token: string) => (await request(resource.url).get('/resource/protected').auth(token, { type: 'bearer' })).status;

  async function login(): Promise<{ access: string; refresh: string }> {
    const { body } = await request(auth.url).post('/auth/login').send({ username: 'testuser', password: 'password' }).expect(200);
    return { access: body.access_token, refresh: body.refresh_token };
  }

  it('revoking one access token 200 times, concurrently, at /auth/revoke and /oauth/revoke: one entry, and the cursor and ETag do not move after the first', async () => {
    const { access } = await login();
    await request(auth.url).post('/auth/revoke').send({ token: access }).expect(200);
    const first = await feed();
    const jti = claimsOf(access).jti;
    expect(mine(first.entries, [jti])).toEqual([expect.objectContaining({ type: 'jti', value: jti })]);
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        i % 2 === 0
          ? request(auth.url).post('/auth/revoke').send({ token: access })
          : request(auth.url).post('/oauth/revoke').type('form').send({ token: access, client_id: 'default' }),
      ),
    );
    expect(new Set(answers.map((r) => r.status))).toEqual(new Set([200]));
    const after = await feed();
    expect(mine(after.entries, [jti])).toHaveLength(1);
    expect({ cursor: after.cursor, etag: after.etag }).toEqual({ cursor: first.cursor, etag: first.etag });
  });

  it(`a session: ${SESSION_TOKEN_BUDGET} access tokens revoked are ${SESSION_TOKEN_BUDGET} entries; the next one ends the session instead (one sid entry, its refresh token refused)`, async () => {
    let session = await login();
    const tokens = [session.access];
    for (let i = 0; i < SESSION_TOKEN_BUDGET + 1; i++) {
      const { body } = await request(auth.url).post('/auth/refresh').send({ refresh_token: session.refresh }).expect(200);
      session = { access: body.access_token, refresh: body.refresh_token };
      tokens.push(session.access);
    }
    const sid = claimsOf(tokens[0]).sid;
    const jtis = tokens.map((t) => claimsOf(t).jti);
    for (const token of tokens.slice(0, SESSION_TOKEN_BUDGET)) await request(auth.url).post('/auth/revoke').send({ token }).expect(200);
    expect(mine((await feed()).entries, [...jtis, sid]).map((e) => e.type)).toEqual(Array(SESSION_TOKEN_BUDGET).fill('jti'));
    await status(tokens[SESSION_TOKEN_BUDGET]).then((code) => expect(code).toBe(200));

    await request(auth.url).post('/auth/revoke').send({ token: tokens[SESSION_TOKEN_BUDGET] }).expect(200);
    const ended = await feed();
    expect(mine(ended.entries, [...jtis, sid])).toEqual([expect.objectContaining({ type: 'sid', value: sid })]);
    await request(auth.url).post('/auth/refresh').send({ refresh_token: session.refresh }).expect(400);
    await sleep(POLL_MS + 300);
    for (const token of tokens) expect(await status(token)).toBe(401);
    // A token of a revoked session adds nothing.
    await request(auth.url)
      .post('/oauth/revoke')
      .type('form')
      .send({ token: tokens.at(-1), client_id: 'default' })
      .expect(200);
    expect((await feed()).cursor).toBe(ended.cursor);
  });

  it(`a client: ${CLIENT_TOKEN_BUDGET} client-credentials tokens revoked are ${CLIENT_TOKEN_BUDGET} entries; beyond, one client_id entry cuts the earlier ones and the client goes on`, async () => {
    const id = `budget-svc-${driver}`;
    const secret = await registerClient(auth, { id, scopes: ['resource:read'] });
    const issue = async () =>
      (await request(auth.url).post('/oauth/token').auth(id, secret).type('form').send({ grant_type: 'client_credentials' }).expect(200)).body
        .access_token as string;
    const revoke = (token: string) => request(auth.url).post('/oauth/revoke').auth(id, secret).type('form').send({ token }).expect(200);
    const tokens = await Promise.all(Array.from({ length: CLIENT_TOKEN_BUDGET + 2 }, issue));
    const jtis = tokens.map((t) => claimsOf(t).jti);
    for (const token of tokens.slice(0, CLIENT_TOKEN_BUDGET)) await revoke(token);
    expect(mine((await feed()).entries, [...jtis, id])).toHaveLength(CLIENT_TOKEN_BUDGET);

    await revoke(tokens[CLIENT_TOKEN_BUDGET]);
    const cut = await feed();
    expect(mine(cut.entries, [...jtis, id])).toEqual([expect.objectContaining({ type: 'client_id', value: id })]);
    await sleep(POLL_MS + 300);
    for (const token of tokens) expect(await status(token)).toBe(401);
    // Covered already: the last earlier token adds nothing.
    await revoke(tokens[CLIENT_TOKEN_BUDGET + 1]);
    expect((await feed()).cursor).toBe(cut.cursor);

    // The client is not disabled: a token issued after the cut's second verifies and introspects active.
    await sleep(1_100);
    const fresh = await issue();
    await sleep(POLL_MS + 300);
    expect(await status(fresh)).toBe(200);
    const introspected = await request(auth.url).post('/oauth/introspect').auth(id, secret).type('form').send({ token: fresh }).expect(200);
    expect(introspected.body).toMatchObject({ active: true, client_id: id });
    const old = await request(auth.url).post('/oauth/introspect').auth(id, secret).type('form').send({ token: tokens[0] }).expect(200);
    expect(old.body).toEqual({ active: false });
  });
});
