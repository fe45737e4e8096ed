import { openDatabase } from '../apps/auth-service/src/database/database.module.js';
import type { Database } from '../apps/auth-service/src/database/database.js';
import { systemClock } from '../apps/auth-service/src/time/clock.js';
import { startAuth, tempDir, type RunningAuth } from './support/auth-app.js';
import { registerClient } from './support/oauth.js';
import { createTestDatabase, type TestDatabase } from './support/postgres.js';

const NUL = '\u0000';
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

/** Rows of the tables a request could change: a refused request leaves every count as it was. */
const TABLES = ['users', 'clients', 'refresh_families', 'refresh_tokens', 'throttle_counters', 'revocations'];

/**
 * PostgreSQL refuses a NUL byte in text (SQLSTATE 22021). Every identifier a request carries is
 * checked by its pattern before a lookup, so a NUL in any of them is the route's 4xx (and changes
 * nothing), never the 500 it was (issue 21, item 6).
 */
describe('NUL bytes in identifiers on PostgreSQL', () => {
  let pg: TestDatabase;
  let dir: { dir: string; remove: () => Promise<void> };
  let auth: RunningAuth;
  let db: Database;
  let secret: string;

  beforeAll(async () => {
    pg = await createTestDatabase();
    dir = await tempDir();
    auth = await startAuth({ DATABASE_URL: pg.url, DEMO_USER: 'testuser:password' }, { dir: dir.dir });
    db = await openDatabase({ url: pg.url, dataDir: 'unused' }, systemClock);
    secret = await registerClient(auth, { id: 'gateway', scopes: ['resource:read'] });
  });
  afterAll(async () => {
    await db.close();
    await auth.app.close();
    await dir.remove();
    await pg.drop();
  });

  async function counts(): Promise<Record<string, number>> {
    const entries = await Promise.all(TABLES.map(async (t) => [t, Number((await db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${t}`))[0].n)] as const));
    return Object.fromEntries(entries);
  }

  async function post(path: string, body: Record<string, string>, authorization?: string): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await fetch(`${auth.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  }

  /** Sends the request and checks the answer and that nothing changed. */
  async function refused(path: string, body: Record<string, string>, authorization?: string) {
    const before = await counts();
    const answer = await post(path, body, authorization);
    expect(await counts()).toEqual(before);
    return answer;
  }

  it('client_id in the body: invalid_client (401), on the token, revocation and introspection routes', async () => {
    for (const [path, body] of [
      ['/oauth/token', { grant_type: 'client_credentials', client_id: `gate${NUL}way`, client_secret: secret }],
      ['/oauth/token', { grant_type: 'password', client_id: `default${NUL}`, username: 'testuser', password: 'password' }],
      ['/oauth/revoke', { token: 'anything', client_id: `default${NUL}` }],
      ['/oauth/introspect', { token: 'anything', client_id: `gate${NUL}way`, client_secret: secret }],
    ] as const) {
      expect(await refused(path, body)).toEqual({ status: 401, body: { error: 'invalid_client', error_description: 'client authentication failed' } });
    }
  });

  it('client id in a Basic header: invalid_client (401)', async () => {
    for (const [path, body] of [
      ['/oauth/token', { grant_type: 'client_credentials' }],
      ['/oauth/revoke', { token: 'anything' }],
      ['/oauth/introspect', { token: 'anything' }],
    ] as const) {
      const answer = await refused(path, body, basic(`gate${NUL}way`, secret));
      expect(answer).toEqual({ status: 401, body: { error: 'invalid_client', error_description: 'client authentication failed' } });
    }
  });

  it('username: invalid_request on /oauth/token, 400 on /auth/login', async () => {
    const oauth = await refused('/oauth/token', { grant_type: 'password', client_id: 'default', username: `test${NUL}user`, password: 'password' });
    expect(oauth.status).toBe(400);
    expect(oauth.body.error).toBe('invalid_request');
    expect(oauth.body.error_description).toMatch(/^username must be/);
    const login = await refused('/auth/login', { username: `test${NUL}user`, password: 'password' });
    expect(login).toMatchObject({ status: 400, body: { code: 'ERR_VALIDATION' } });
  });

  it('refresh token: invalid_grant on /oauth/token, /auth/refresh and /auth/logout', async () => {
    const token = `nts_rt_${'A'.repeat(21)}${NUL}${'A'.repeat(21)}`;
    expect(await refused('/oauth/token', { grant_type: 'refresh_token', client_id: 'default', refresh_token: token })).toMatchObject({
      status: 400,
      body: { error: 'invalid_grant' },
    });
    for (const path of ['/auth/refresh', '/auth/logout']) {
      expect(await refused(path, { refresh_token: token })).toMatchObject({ status: 400, body: { error: 'invalid_grant', code: 'ERR_INVALID_GRANT' } });
    }
  });

  it('revoked token: 200 as for any unknown token (RFC 7009), on /oauth/revoke and /auth/revoke', async () => {
    for (const token of [`nts_rt_${NUL}`, `eyJ${NUL}.e30.sig`, NUL]) {
      expect(await refused('/oauth/revoke', { token, client_id: 'default' })).toEqual({ status: 200, body: {} });
      expect(await refused('/auth/revoke', { token })).toEqual({ status: 200, body: {} });
    }
  });

  it('introspected token: {"active": false}', async () => {
    for (const token of [`nts_rt_${NUL}`, `eyJ${NUL}.e30.sig`, NUL]) {
      expect(await refused('/oauth/introspect', { token }, basic('gateway', secret))).toEqual({ status: 200, body: { active: false } });
    }
  });
});
