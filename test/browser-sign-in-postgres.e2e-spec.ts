import { startAuth, tempDir, type RunningAuth } from './support/auth-app.js';
import { authorizeQuery, Browser, callbackParams, formOf, pkce, REDIRECT_URI, registerWebClient } from './support/browser-flow.js';
import { registerClient } from './support/oauth.js';
import { createTestDatabase, type TestDatabase } from './support/postgres.js';

/**
 * Browser sign-in on PostgreSQL across two replicas behind one name (the browser's cookies go to
 * both): interactions, SSO sessions, consents and codes are in the database.
 */
describe('browser sign-in on PostgreSQL, two replicas', () => {
  let db: TestDatabase;
  let dir: { dir: string; remove: () => Promise<void> };
  let a: RunningAuth;
  let b: RunningAuth;
  const secrets: Record<string, string> = {};

  beforeAll(async () => {
    db = await createTestDatabase();
    dir = await tempDir();
    [a, b] = await Promise.all([startAuth({ DATABASE_URL: db.url }, { dir: dir.dir }), startAuth({ DATABASE_URL: db.url }, { dir: dir.dir })]);
    secrets.web = await registerWebClient(a, 'web');
    secrets.app = await registerWebClient(a, 'app', { firstParty: true });
    // A resource server that may introspect both apps' tokens meant for the default audience (RFC 7662 4).
    secrets.gw = await registerClient(a, { id: 'gw', introspect: true, serves: a.config.tokens.audiences });
  });
  afterAll(async () => {
    await Promise.all([a.app.close(), b.app.close()]);
    await dir.remove();
    await db.drop();
  });

  const redeem = async (at: RunningAuth, clientId: string, code: string, verifier: string) => {
    const response = await fetch(`${at.url}/oauth/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${clientId}:${secrets[clientId]}`).toString('base64')}`,
      },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, string> };
  };
  const active = async (at: RunningAuth, token: string) => {
    const response = await fetch(`${at.url}/oauth/introspect`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`gw:${secrets.gw}`).toString('base64')}` },
      body: new URLSearchParams({ token }),
    });
    return ((await response.json()) as { active: boolean }).active;
  };

  it('a page served by one replica is posted to the other, its code redeemed at the first; the SSO cookie works at both; reuse and logout reach both', async () => {
    const onA = new Browser(a.url);
    const onB = onA.at(b.url);
    const { verifier, challenge } = pkce();
    const started = await onA.get(authorizeQuery('web', challenge));
    const signInPage = await onB.get(started.headers.get('location')!);
    let form = formOf(await signInPage.text());
    const signedIn = await onA.post(form.action, { csrf_token: form.csrfToken, username: 'testuser', password: 'password' });
    expect(signedIn.status).toBe(303);
    form = formOf(await (await onB.get(signedIn.headers.get('location')!)).text());
    const callback = callbackParams(await onA.post(form.action, { csrf_token: form.csrfToken, decision: 'allow' }));
    const first = await redeem(b, 'web', callback.get('code')!, verifier);
    expect(first.status).toBe(200);
    expect(first.body.id_token).toBeDefined();

    // The SSO cookie set through A signs in silently at B; the consent given at A is remembered at B.
    const silent = pkce();
    const again = callbackParams(await onB.get(authorizeQuery('web', silent.challenge, { prompt: 'none' })));
    expect(again.get('code')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const app = await redeem(a, 'web', again.get('code')!, silent.verifier);
    expect(app.status).toBe(200);

    // A code reused at the other replica: invalid_grant, and the first session ends everywhere.
    expect((await redeem(a, 'web', callback.get('code')!, verifier)).body.error).toBe('invalid_grant');
    expect(await active(b, first.body.access_token)).toBe(false);
    expect(await active(a, app.body.access_token)).toBe(true);

    // Logout at B ends the SSO session and its app sessions; A asks for the password again.
    const query = new URLSearchParams({ id_token_hint: app.body.id_token, post_logout_redirect_uri: 'http://127.0.0.1:9/bye', state: 's' });
    expect((await onB.get(`/oauth/logout?${query}`)).headers.get('location')).toBe('http://127.0.0.1:9/bye?state=s');
    expect(await active(a, app.body.access_token)).toBe(false);
    expect(callbackParams(await onA.get(authorizeQuery('app', challenge, { prompt: 'none' }))).get('error')).toBe('login_required');
  });

  it('bad input is a 4xx page or redirect on PostgreSQL too, never a 500', async () => {
    const browser = new Browser(a.url);
    const { challenge } = pkce();
    for (const query of [
      authorizeQuery('x'.repeat(5000), challenge),
      authorizeQuery('web', challenge, { redirect_uri: `${REDIRECT_URI}\u0000` }),
      authorizeQuery('web', challenge, { state: 'é'.repeat(10) }),
      authorizeQuery('web', challenge, { max_age: '99999999999999' }),
      '/oauth/interaction/not-a-uuid',
      '/oauth/interaction/00000000-0000-0000-0000-000000000000',
      '/oauth/logout?id_token_hint=a.b.c',
    ]) {
      const response = await browser.get(query);
      expect({ query: query.slice(0, 80), status: response.status < 500 }).toEqual({ query: query.slice(0, 80), status: true });
    }
    const post = await browser.post('/oauth/interaction/00000000-0000-0000-0000-000000000000', { csrf_token: 'x', username: 'a', password: 'b' });
    expect(post.status).toBe(403);
  });
});
