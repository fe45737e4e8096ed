import { createHash } from 'node:crypto';
import { decodeProtectedHeader } from 'jose';
import { startAuth, type RunningAuth } from './support/auth-app.js';
import { authorizeQuery, Browser, callbackParams, formOf, pkce, registerWebClient, signIn, REDIRECT_URI } from './support/browser-flow.js';
import { claimsOf, registerClient } from './support/oauth.js';
import { startResource, type RunningResource } from './support/stack.js';

/** Every promise of the code flow that plain HTTP can hold (the real browser: browser-sign-in.e2e-spec.ts). */
describe('browser sign-in: the authorization code flow over HTTP', () => {
  let auth: RunningAuth;
  let resource: RunningResource;
  const secrets: Record<string, string> = {};

  beforeAll(async () => {
    auth = await startAuth({ DEMO_USER: 'testuser:password' });
    resource = await startResource(`${auth.url}/.well-known/jwks.json`);
    secrets.web = await registerWebClient(auth, 'web');
    secrets.first = await registerWebClient(auth, 'first', { firstParty: true });
    secrets.other = await registerWebClient(auth, 'other', { firstParty: true });
    secrets.norefresh = await registerWebClient(auth, 'norefresh', { firstParty: true, refresh: false });
    secrets['resource-service'] = await registerWebClient(auth, 'resource-service', { firstParty: true });
    await registerWebClient(auth, 'spa', { public: true });
    await registerClient(auth, { id: 'nobody-cc' });
    // A resource server that may introspect every app's tokens meant for the default audience (RFC 7662 4).
    secrets.gw = await registerClient(auth, { id: 'gw', introspect: true, serves: auth.config.tokens.audiences });
  });
  afterAll(async () => {
    await resource.close();
    await auth.close();
  });

  const basic = (id: string) => `Basic ${Buffer.from(`${id}:${secrets[id]}`).toString('base64')}`;
  const form = (body: Record<string, string>, headers: Record<string, string> = {}) => ({
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(body),
  });
  const redeem = async (clientId: string, code: string, verifier: string, extra: Record<string, string> = {}) => {
    const headers: Record<string, string> = secrets[clientId] === undefined ? {} : { authorization: basic(clientId) };
    const body = {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
      code_verifier: verifier,
      ...(secrets[clientId] === undefined ? { client_id: clientId } : {}),
      ...extra,
    };
    const response = await fetch(`${auth.url}/oauth/token`, form(body, headers));
    return { status: response.status, body: (await response.json()) as Record<string, string> };
  };
  const introspect = async (token: string) =>
    (await (await fetch(`${auth.url}/oauth/introspect`, form({ token }, { authorization: basic('gw') }))).json()) as { active: boolean };
  const userinfo = (token: string) => fetch(`${auth.url}/oauth/userinfo`, { headers: { authorization: `Bearer ${token}` } });
  const signedInBrowser = async (clientId = 'first') => {
    const browser = new Browser(auth.url);
    const { verifier, challenge } = pkce();
    const callback = await signIn(browser, authorizeQuery(clientId, challenge));
    return { browser, tokens: (await redeem(clientId, callback.get('code')!, verifier)).body };
  };

  describe('a full sign-in', () => {
    it('signs in, consents, and redeems the code: access and refresh tokens, and an ID token OpenID Connect Core 3.1.3.7 accepts', async () => {
      const browser = new Browser(auth.url);
      const { verifier, challenge } = pkce();
      const started = Date.now();
      const callback = await signIn(browser, authorizeQuery('web', challenge));
      expect([...callback.keys()].sort()).toEqual(['code', 'iss', 'state']);
      expect(callback.get('state')).toBe('st-123');
      expect(callback.get('iss')).toBe(auth.config.tokens.issuer);
      expect(callback.get('code')).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const { status, body } = await redeem('web', callback.get('code')!, verifier);
      expect(status).toBe(200);
      expect(body.refresh_token).toMatch(/^nts_rt_/);
      expect(body.scope).toBe('openid profile');
      expect(decodeProtectedHeader(body.id_token)).toMatchObject({ typ: 'JWT', alg: 'RS256' });
      const id = claimsOf(body.id_token);
      const access = claimsOf(body.access_token);
      const hash = createHash('sha256').update(body.access_token).digest();
      expect(id).toMatchObject({
        iss: auth.config.tokens.issuer,
        aud: 'web',
        sub: access.sub,
        nonce: 'n-456',
        preferred_username: 'testuser',
        at_hash: hash.subarray(0, 16).toString('base64url'),
      });
      expect(id.auth_time).toBeGreaterThanOrEqual(Math.floor(started / 1000) - 1);
      // The ID token's sid is the SSO session; the access token's, the app session started by this code.
      expect(id.sid).toEqual(expect.any(String));
      expect(access.sid).not.toBe(id.sid);
      const info = await userinfo(body.access_token);
      expect(info.status).toBe(200);
      expect(await info.json()).toEqual({ sub: access.sub, preferred_username: 'testuser' });
    });

    it('a client without the refresh_token grant gets no refresh token, and the SSO session skips the password for a second app', async () => {
      const { browser } = await signedInBrowser('first');
      const { verifier, challenge } = pkce();
      const response = await browser.get(authorizeQuery('norefresh', challenge));
      expect(response.status).toBe(303);
      const { status, body } = await redeem('norefresh', callbackParams(response).get('code')!, verifier);
      expect(status).toBe(200);
      expect(body).not.toHaveProperty('refresh_token');
      expect(body.id_token).toBeDefined();
    });

    it('the ID token is never an access token: the resource-service, userinfo and introspection refuse it', async () => {
      const { tokens } = await signedInBrowser('resource-service');
      expect(claimsOf(tokens.id_token).aud).toBe('resource-service');
      const protectedAnswer = await fetch(`${resource.url}/resource/protected`, { headers: { authorization: `Bearer ${tokens.id_token}` } });
      expect(protectedAnswer.status).toBe(401);
      expect((await userinfo(tokens.id_token)).status).toBe(401);
      expect((await introspect(tokens.id_token)).active).toBe(false);
      expect((await fetch(`${resource.url}/resource/protected`, { headers: { authorization: `Bearer ${tokens.access_token}` } })).status).toBe(200);
    });
  });

  describe('errors before the client and redirect URI are known good: an HTML page, never a redirect', () => {
    const { challenge } = pkce();
    it.each([
      ['an unknown client', authorizeQuery('nobody', challenge)],
      ['no client_id', authorizeQuery('web', challenge, { client_id: undefined })],
      ['no redirect_uri', authorizeQuery('web', challenge, { redirect_uri: undefined })],
      ['a redirect_uri with a trailing slash', authorizeQuery('web', challenge, { redirect_uri: `${REDIRECT_URI}/` })],
      ['a redirect_uri with another path', authorizeQuery('web', challenge, { redirect_uri: 'http://127.0.0.1:9/callbackx' })],
      ['a redirect_uri of another host', authorizeQuery('web', challenge, { redirect_uri: 'http://localhost:9/callback' })],
      ['client_id twice', `${authorizeQuery('web', challenge)}&client_id=web`],
      ['a client without the authorization_code grant', authorizeQuery('nobody-cc', challenge)],
    ])('%s', async (_name, query) => {
      const response = await new Browser(auth.url).get(query);
      expect(response.status).toBe(400);
      expect(response.headers.get('location')).toBeNull();
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      const html = await response.text();
      expect(html).toContain('role="alert"');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    });

    it('the loopback port is the one relaxation of the exact match (RFC 8252 7.3)', async () => {
      const { challenge: c } = pkce();
      const response = await new Browser(auth.url).get(authorizeQuery('web', c, { redirect_uri: 'http://127.0.0.1:54321/callback' }));
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toMatch(/^\/oauth\/interaction\//);
    });
  });

  describe('errors after: redirected with error, error_description, state and iss (RFC 9207)', () => {
    const { challenge } = pkce();
    it.each([
      ['no code_challenge', { code_challenge: undefined, code_challenge_method: undefined }, 'invalid_request'],
      ['PKCE plain', { code_challenge_method: 'plain' }, 'invalid_request'],
      ['no code_challenge_method', { code_challenge_method: undefined }, 'invalid_request'],
      ['a malformed code_challenge', { code_challenge: 'short' }, 'invalid_request'],
      ['response_type=token', { response_type: 'token' }, 'unsupported_response_type'],
      ['no response_type', { response_type: undefined }, 'invalid_request'],
      ['a scope not registered', { scope: 'openid resource:admin' }, 'invalid_scope'],
      ['a resource the client may not have', { resource: 'https://elsewhere.example' }, 'invalid_target'],
      ['an unknown prompt', { prompt: 'select_account' }, 'invalid_request'],
      ['prompt=none with login', { prompt: 'none login' }, 'invalid_request'],
      ['a bad max_age', { max_age: '-1' }, 'invalid_request'],
    ] as const)('%s: %s', async (_name, extra, error) => {
      const response = await new Browser(auth.url).get(authorizeQuery('web', challenge, extra as Record<string, string | undefined>));
      expect(response.status).toBe(303);
      const location = new URL(response.headers.get('location')!);
      expect(`${location.origin}${location.pathname}`).toBe(REDIRECT_URI);
      expect(location.searchParams.get('error')).toBe(error);
      expect(location.searchParams.get('error_description')).toEqual(expect.any(String));
      expect(location.searchParams.get('state')).toBe('st-123');
      expect(location.searchParams.get('iss')).toBe(auth.config.tokens.issuer);
      expect(location.searchParams.get('code')).toBeNull();
    });

    it('prompt=none without an SSO session: login_required', async () => {
      const params = callbackParams(await new Browser(auth.url).get(authorizeQuery('first', challenge, { prompt: 'none' })));
      expect(params.get('error')).toBe('login_required');
      expect(params.get('state')).toBe('st-123');
    });

    it('prompt=none with a session but no consent yet: consent_required; a first-party client gets its code silently', async () => {
      const { browser } = await signedInBrowser('first');
      expect(callbackParams(await browser.get(authorizeQuery('web', challenge, { prompt: 'none', scope: 'openid resource:read' }))).get('error')).toBe(
        'consent_required',
      );
      expect(callbackParams(await browser.get(authorizeQuery('other', challenge, { prompt: 'none' }))).get('code')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    });

    it('a public client that is not first-party never gets a code without the consent page (RFC 8252 8.6)', async () => {
      const { browser } = await signedInBrowser('first');
      const { challenge: c, verifier } = pkce();
      expect(callbackParams(await browser.get(authorizeQuery('spa', c, { prompt: 'none' }))).get('error')).toBe('consent_required');
      const callback = await signIn(browser, authorizeQuery('spa', c));
      expect((await redeem('spa', callback.get('code')!, verifier)).status).toBe(200);
      // Asked again the next time, although it consented.
      const again = await browser.get(authorizeQuery('spa', c));
      expect(again.headers.get('location')).toMatch(/^\/oauth\/interaction\//);
      expect(await (await browser.get(again.headers.get('location')!)).text()).toContain('>Allow</button>');
    });

    it('"Deny" redirects access_denied with state and iss', async () => {
      const { browser } = await signedInBrowser('first');
      const response = await browser.get(authorizeQuery('web', challenge, { prompt: 'consent' }));
      const page = await browser.get(response.headers.get('location')!);
      const { action, csrfToken } = formOf(await page.text());
      const params = callbackParams(await browser.post(action, { csrf_token: csrfToken, decision: 'deny' }));
      expect(params.get('error')).toBe('access_denied');
      expect(params.get('state')).toBe('st-123');
      expect(params.get('iss')).toBe(auth.config.tokens.issuer);
    });
  });

  describe('the sign-in page', () => {
    const startSignIn = async () => {
      const browser = new Browser(auth.url);
      const { challenge } = pkce();
      const response = await browser.get(authorizeQuery('first', challenge));
      const page = await browser.get(response.headers.get('location')!);
      return { browser, page, html: await page.text() };
    };

    it('has the fields username and password, a hidden csrf_token, labels, and never frames', async () => {
      const { page, html } = await startSignIn();
      expect(page.status).toBe(200);
      expect(html).toMatch(/<label for="username">/);
      expect(html).toMatch(/<input id="username" name="username"/);
      expect(html).toMatch(/<input id="password" name="password" type="password"/);
      expect(html).toMatch(/<input type="hidden" name="csrf_token" value="[A-Za-z0-9_-]{43}">/);
      expect(page.headers.get('x-frame-options')).toBe('DENY');
      expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(page.headers.get('cache-control')).toBe('no-store');
      expect(page.headers.get('referrer-policy')).toBe('no-referrer');
      expect(html).not.toMatch(/<script/);
    });

    it('a wrong password and an unknown user get the same page (401, role=alert), and no SSO cookie', async () => {
      const answers = [];
      for (const [username, password] of [
        ['testuser', 'wrong-password'],
        ['nobody-at-all', 'wrong-password'],
      ]) {
        const { browser, html } = await startSignIn();
        const { action, csrfToken } = formOf(html);
        const response = await browser.post(action, { csrf_token: csrfToken, username, password });
        const text = await response.text();
        answers.push({ status: response.status, alert: /role="alert"[^>]*>([^<]*)</.exec(text)?.[1] });
        expect(browser.cookieNames).not.toContain('nts_sso');
      }
      expect(answers[0]).toEqual({ status: 401, alert: 'Invalid username or password.' });
      expect(answers[1]).toEqual(answers[0]);
    });

    it("a form without its csrf_token, with another interaction's, or from another browser: 403 page, nothing changes", async () => {
      const first = await startSignIn();
      const second = await startSignIn();
      const a = formOf(first.html);
      const b = formOf(second.html);
      const attempts = [
        await first.browser.post(a.action, { username: 'testuser', password: 'password' }),
        await first.browser.post(a.action, { csrf_token: b.csrfToken, username: 'testuser', password: 'password' }),
        await new Browser(auth.url).post(a.action, { csrf_token: a.csrfToken, username: 'testuser', password: 'password' }),
      ];
      for (const response of attempts) {
        expect(response.status).toBe(403);
        expect(response.headers.get('location')).toBeNull();
        expect(await response.text()).toContain('role="alert"');
      }
      expect(first.browser.cookieNames).not.toContain('nts_sso');
      // The interaction is untouched: the right form still works.
      const ok = await first.browser.post(a.action, { csrf_token: a.csrfToken, username: 'testuser', password: 'password' });
      expect(ok.status).toBe(303);
      expect(first.browser.cookie('nts_sso')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    });

    it('sets the SSO cookie HttpOnly and SameSite=Lax, for SSO_SESSION_TTL, without Secure on an http issuer', async () => {
      const { browser, html } = await startSignIn();
      const { action, csrfToken } = formOf(html);
      await browser.post(action, { csrf_token: csrfToken, username: 'testuser', password: 'password' });
      expect(browser.setCookies).toContainEqual(expect.stringMatching(/^nts_sso=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=43200$/));
    });

    it('prompt=login and an exceeded max_age ask for the password again', async () => {
      const { browser } = await signedInBrowser('first');
      const { challenge } = pkce();
      expect((await browser.get(authorizeQuery('other', challenge))).headers.get('location')).toMatch(/code=/);
      expect((await browser.get(authorizeQuery('other', challenge, { prompt: 'login' }))).headers.get('location')).toMatch(/^\/oauth\/interaction\//);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expect((await browser.get(authorizeQuery('other', challenge, { max_age: '1' }))).headers.get('location')).toMatch(/^\/oauth\/interaction\//);
      expect((await browser.get(authorizeQuery('other', challenge, { max_age: '3600' }))).headers.get('location')).toMatch(/code=/);
    });

    it('consent is remembered per client and scope set, asked again for a new scope and with prompt=consent', async () => {
      const { browser } = await signedInBrowser('first');
      const { challenge } = pkce();
      await signIn(browser, authorizeQuery('web', challenge, { scope: 'openid' }));
      expect((await browser.get(authorizeQuery('web', challenge, { scope: 'openid' }))).headers.get('location')).toMatch(/code=/);
      expect((await browser.get(authorizeQuery('web', challenge, { scope: 'openid resource:read' }))).headers.get('location')).toMatch(
        /^\/oauth\/interaction\//,
      );
      expect((await browser.get(authorizeQuery('web', challenge, { scope: 'openid', prompt: 'consent' }))).headers.get('location')).toMatch(
        /^\/oauth\/interaction\//,
      );
    });

    it('POST /oauth/authorize answers a 303 to the GET with the same parameters', async () => {
      const { challenge } = pkce();
      const query = authorizeQuery('web', challenge).split('?')[1];
      const response = await new Browser(auth.url).post('/oauth/authorize', Object.fromEntries(new URLSearchParams(query)));
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe(`/oauth/authorize?${query}`);
    });
  });

  describe('the code at the token endpoint', () => {
    const fresh = async (clientId = 'first') => {
      const browser = new Browser(auth.url);
      const { verifier, challenge } = pkce();
      const callback = await signIn(browser, authorizeQuery(clientId, challenge));
      return { code: callback.get('code')!, verifier };
    };

    it.each([
      ['a wrong code_verifier', { code_verifier: 'x'.repeat(43) }, 400, 'invalid_grant'],
      ['the challenge as verifier (plain)', 'challenge', 400, 'invalid_grant'],
      ['another redirect_uri', { redirect_uri: 'http://127.0.0.1:9/other' }, 400, 'invalid_grant'],
      ['no code_verifier', { code_verifier: '' }, 400, 'invalid_request'],
    ] as const)('%s: %s', async (_name, extra, status, error) => {
      const { code, verifier } = await fresh();
      const overrides = extra === 'challenge' ? { code_verifier: createHash('sha256').update(verifier).digest('base64url') } : extra;
      const answer = await redeem('first', code, verifier, overrides);
      expect(answer.status).toBe(status);
      expect(answer.body.error).toBe(error);
    });

    it('a code issued to another client is invalid_grant', async () => {
      const { code, verifier } = await fresh('first');
      expect((await redeem('other', code, verifier)).body.error).toBe('invalid_grant');
    });

    it('a second use is invalid_grant and ends the session the first started: access token inactive, refresh token dead, sid in the feed', async () => {
      const { code, verifier } = await fresh();
      const first = await redeem('first', code, verifier);
      expect(first.status).toBe(200);
      expect((await introspect(first.body.access_token)).active).toBe(true);
      const second = await redeem('first', code, verifier);
      expect(second).toEqual({ status: 400, body: expect.objectContaining({ error: 'invalid_grant' }) });
      expect((await introspect(first.body.access_token)).active).toBe(false);
      const refreshed = await fetch(
        `${auth.url}/oauth/token`,
        form({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token }, { authorization: basic('first') }),
      );
      expect(refreshed.status).toBe(400);
      const feed = (await (await fetch(`${auth.url}/oauth/revocations`)).json()) as { entries: { type: string; value: string }[] };
      expect(feed.entries).toContainEqual(expect.objectContaining({ type: 'sid', value: claimsOf(first.body.access_token).sid }));
    });
  });

  describe('userinfo (RFC 6750 errors)', () => {
    it('no token: 401 with a bare Bearer challenge; a bad token: invalid_token; a token without openid: insufficient_scope', async () => {
      const none = await fetch(`${auth.url}/oauth/userinfo`);
      expect(none.status).toBe(401);
      expect(none.headers.get('www-authenticate')).toBe('Bearer realm="oauth"');
      const bad = await userinfo('not-a-token');
      expect(bad.status).toBe(401);
      expect(bad.headers.get('www-authenticate')).toContain('error="invalid_token"');
      const login = (await (
        await fetch(`${auth.url}/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: 'testuser', password: 'password' }),
        })
      ).json()) as { access_token: string };
      const noOpenid = await userinfo(login.access_token);
      expect(noOpenid.status).toBe(403);
      expect(noOpenid.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
    });
  });

  describe('CORS', () => {
    it('token, revoke and userinfo answer CORS (no credentials) for the origin of a registered redirect URI, and not for another', async () => {
      for (const path of ['/oauth/token', '/oauth/revoke', '/oauth/userinfo']) {
        const preflight = await fetch(`${auth.url}${path}`, {
          method: 'OPTIONS',
          headers: { origin: 'http://127.0.0.1:9', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
        });
        expect(preflight.status).toBe(204);
        expect(preflight.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:9');
        expect(preflight.headers.get('access-control-allow-credentials')).toBeNull();
        const foreign = await fetch(`${auth.url}${path}`, {
          method: 'OPTIONS',
          headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
        });
        expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
      }
      const answer = await fetch(`${auth.url}/oauth/userinfo`, { headers: { origin: 'http://127.0.0.1:9' } });
      expect(answer.status).toBe(401);
      expect(answer.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:9');
      expect(answer.headers.get('access-control-expose-headers')).toContain('WWW-Authenticate');
    });

    it('discovery and the JWKS for any origin; the pages and /oauth/authorize for none', async () => {
      for (const path of ['/.well-known/openid-configuration', '/.well-known/jwks.json']) {
        expect((await fetch(`${auth.url}${path}`, { headers: { origin: 'https://any.example' } })).headers.get('access-control-allow-origin')).toBe('*');
      }
      const page = await fetch(`${auth.url}/oauth/authorize`, { headers: { origin: 'http://127.0.0.1:9' }, redirect: 'manual' });
      expect(page.headers.get('access-control-allow-origin')).toBeNull();
    });
  });

  describe('logout (OpenID RP-Initiated Logout 1.0)', () => {
    it('with an id_token_hint of this session and a registered post_logout_redirect_uri: ends the SSO session and its app sessions, 303 with state', async () => {
      const { browser, tokens } = await signedInBrowser('first');
      const { verifier, challenge } = pkce();
      const callback = await signIn(browser, authorizeQuery('other', challenge));
      const other = (await redeem('other', callback.get('code')!, verifier)).body;
      const query = new URLSearchParams({ id_token_hint: tokens.id_token, post_logout_redirect_uri: 'http://127.0.0.1:9/bye', state: 'bye-1' });
      const response = await browser.get(`/oauth/logout?${query}`);
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe('http://127.0.0.1:9/bye?state=bye-1');
      expect(browser.cookieNames).not.toContain('nts_sso');
      // Both apps' sessions ended: access tokens inactive, refresh tokens dead.
      expect((await introspect(tokens.access_token)).active).toBe(false);
      expect((await introspect(other.access_token)).active).toBe(false);
      expect((await userinfo(other.access_token)).status).toBe(401);
      // The next authorize asks for the password.
      expect((await browser.get(authorizeQuery('first', challenge))).headers.get('location')).toMatch(/^\/oauth\/interaction\//);
    });

    it('already signed out: back to a registered URI when an ID token of ours vouches for it, else the signed-out page', async () => {
      const { browser, tokens } = await signedInBrowser('first');
      const query = new URLSearchParams({ id_token_hint: tokens.id_token, post_logout_redirect_uri: 'http://127.0.0.1:9/bye', state: 'again' });
      await browser.get(`/oauth/logout?${query}`);
      const again = await browser.get(`/oauth/logout?${query}`);
      expect(again.headers.get('location')).toBe('http://127.0.0.1:9/bye?state=again');
      const [header, payload] = tokens.id_token.split('.');
      const forged = new URLSearchParams({
        id_token_hint: `${header}.${payload}.AAAA`,
        post_logout_redirect_uri: 'http://127.0.0.1:9/bye',
        client_id: 'first',
      });
      const refused = await browser.get(`/oauth/logout?${forged}`);
      expect(refused.status).toBe(200);
      expect(refused.headers.get('location')).toBeNull();
      const unregistered = await browser.get(
        `/oauth/logout?${new URLSearchParams({ id_token_hint: tokens.id_token, post_logout_redirect_uri: 'https://evil.example/' })}`,
      );
      expect(unregistered.status).toBe(200);
    });

    it('without a hint, or with an unregistered redirect: the confirmation page first ("Sign out"), never an unregistered redirect', async () => {
      const { browser, tokens } = await signedInBrowser('first');
      for (const query of [
        new URLSearchParams({ post_logout_redirect_uri: 'http://127.0.0.1:9/bye', client_id: 'first' }),
        new URLSearchParams({ id_token_hint: tokens.id_token, post_logout_redirect_uri: 'https://evil.example/' }),
      ]) {
        const response = await browser.get(`/oauth/logout?${query}`);
        expect(response.status).toBe(303);
        expect(response.headers.get('location')).toMatch(/^\/oauth\/interaction\//);
      }
      const page = await browser.get((await browser.get(`/oauth/logout?client_id=first`)).headers.get('location')!);
      const html = await page.text();
      expect(html).toContain('>Sign out</button>');
      expect(page.headers.get('x-frame-options')).toBe('DENY');
      const { action, csrfToken } = formOf(html);
      expect((await browser.post(action, {})).status).toBe(403);
      expect((await introspect(tokens.access_token)).active).toBe(true);
      const done = await browser.post(action, { csrf_token: csrfToken });
      expect(done.status).toBe(200);
      expect(await done.text()).toContain('You are signed out.');
      expect((await introspect(tokens.access_token)).active).toBe(false);
    });
  });
});

describe('browser sign-in behind an https issuer', () => {
  let auth: RunningAuth;

  beforeAll(async () => {
    auth = await startAuth({ DEMO_USER: 'testuser:password', AUTH_ISSUER: 'https://id.example.test' });
    await registerWebClient(auth, 'web', { firstParty: true });
  });
  afterAll(() => auth.close());

  it('the cookies are Secure with the __Host- prefix, and iss is the https issuer', async () => {
    const browser = new Browser(auth.url);
    const { challenge } = pkce();
    const started = await browser.get(authorizeQuery('web', challenge));
    expect(browser.setCookies).toEqual([expect.stringMatching(/^__Host-nts_browser=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax; Secure$/)]);
    const { action, csrfToken } = formOf(await (await browser.get(started.headers.get('location')!)).text());
    const done = await browser.post(action, { csrf_token: csrfToken, username: 'testuser', password: 'password' });
    expect(browser.setCookies).toEqual([expect.stringMatching(/^__Host-nts_sso=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax; Secure; Max-Age=43200$/)]);
    expect(callbackParams(done).get('iss')).toBe('https://id.example.test');
  });
});
