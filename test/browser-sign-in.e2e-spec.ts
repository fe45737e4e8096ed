import { createServer, type Server } from 'node:http';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as oidc from 'openid-client';
import type { Browser, Page } from 'playwright-core';
import { freePort, startAuth, type RunningAuth } from './support/auth-app.js';
import { registerWebClient } from './support/browser-flow.js';
import { launchChromium } from './support/real-browser.js';

/** Where the pages' screenshots go (look at them: docs/oidc.md shows two). */
const SHOTS = process.env.SCREENSHOT_DIR ?? join(tmpdir(), 'nts-browser-screenshots');

/** The relying party's redirect URIs: a tiny local server that records every URL it is sent to. */
async function relyingPartyServer(): Promise<{ server: Server; base: string; hits: URL[] }> {
  const hits: URL[] = [];
  const server = createServer((request, response) => {
    hits.push(new URL(request.url ?? '/', 'http://127.0.0.1'));
    response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>RP</title><p>back at the app</p>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, base: `http://127.0.0.1:${(server.address() as { port: number }).port}`, hits };
}

/**
 * The real thing: Chromium (playwright-core) signs in through the hosted pages, openid-client is the
 * relying party (certified: it validates the ID token, state, nonce, iss and PKCE strictly).
 */
describe('browser sign-in in a real browser, openid-client as the relying party', () => {
  let auth: RunningAuth;
  let browser: Browser;
  let rp: Awaited<ReturnType<typeof relyingPartyServer>>;
  const configs: Record<string, oidc.Configuration> = {};

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    const port = await freePort();
    auth = await startAuth({ DEMO_USER: 'testuser:password', AUTH_ISSUER: `http://127.0.0.1:${port}` }, { port });
    rp = await relyingPartyServer();
    for (const [id, firstParty] of [
      ['notes', false],
      ['calendar', true],
    ] as const) {
      const secret = await registerWebClient(auth, id, {
        firstParty,
        redirectUris: [`${rp.base}/${id}/callback`],
        postLogoutRedirectUris: [`${rp.base}/${id}/signed-out`],
      });
      configs[id] = await oidc.discovery(new URL(auth.config.tokens.issuer), id, secret, undefined, { execute: [oidc.allowInsecureRequests] });
    }
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => rp?.server.close(resolve));
    await auth?.close();
  });

  const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

  /** Starts a code flow for `clientId` in `page`; returns what authorizationCodeGrant needs. */
  async function start(page: Page, clientId: string, extra: Record<string, string> = {}) {
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(configs[clientId], {
      redirect_uri: `${rp.base}/${clientId}/callback`,
      scope: 'openid profile',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
      ...extra,
    });
    await page.goto(url.href);
    return { verifier, state, nonce };
  }

  const callbackOf = (page: Page, clientId: string) => page.waitForURL((url) => url.pathname === `/${clientId}/callback`);

  it('signs in with the password, consents, redeems the code, reads userinfo; SSO into a second app; logout ends every app session', async () => {
    const page = await (await browser.newContext()).newPage();
    const started = performance.now();
    const first = await start(page, 'notes');
    await shot(page, 'sign-in');
    // Wrong password first: the page says so, with role=alert, and keeps the username.
    await page.getByLabel('Username').fill('testuser');
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toBe('Invalid username or password.');
    await shot(page, 'sign-in-error');
    await page.getByLabel('Password').fill('password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Allow' }).waitFor();
    await shot(page, 'consent');
    await page.getByRole('button', { name: 'Allow' }).click();
    await callbackOf(page, 'notes');
    const tokens = await oidc.authorizationCodeGrant(configs.notes, new URL(page.url()), {
      pkceCodeVerifier: first.verifier,
      expectedState: first.state,
      expectedNonce: first.nonce,
      idTokenExpected: true,
    });
    const elapsed = performance.now() - started;
    const claims = tokens.claims()!;
    expect(claims).toMatchObject({ iss: auth.config.tokens.issuer, aud: 'notes', preferred_username: 'testuser' });
    expect(await oidc.fetchUserInfo(configs.notes, tokens.access_token, claims.sub)).toEqual({ sub: claims.sub, preferred_username: 'testuser' });
    process.stdout.write(`full sign-in in the browser (pages, wrong password, consent, code exchange): ${Math.round(elapsed)} ms\n`);

    // A second app, first-party: the SSO session skips the password and the consent.
    const second = await start(page, 'calendar');
    await callbackOf(page, 'calendar');
    const other = await oidc.authorizationCodeGrant(configs.calendar, new URL(page.url()), {
      pkceCodeVerifier: second.verifier,
      expectedState: second.state,
      expectedNonce: second.nonce,
    });
    expect(other.claims()!.sid).toBe(claims.sid);

    // prompt=none both ways: silent with the session...
    const silent = await start(page, 'calendar', { prompt: 'none' });
    await callbackOf(page, 'calendar');
    await oidc.authorizationCodeGrant(configs.calendar, new URL(page.url()), {
      pkceCodeVerifier: silent.verifier,
      expectedState: silent.state,
      expectedNonce: silent.nonce,
    });

    // RP-initiated logout with the ID token: back at the app with state, both apps' tokens refused.
    const logoutState = oidc.randomState();
    await page.goto(
      oidc.buildEndSessionUrl(configs.notes, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: `${rp.base}/notes/signed-out`, state: logoutState })
        .href,
    );
    await page.waitForURL((url) => url.pathname === '/notes/signed-out');
    expect(new URL(page.url()).searchParams.get('state')).toBe(logoutState);
    for (const [id, access] of [
      ['notes', tokens.access_token],
      ['calendar', other.access_token],
    ] as const) {
      expect((await oidc.tokenIntrospection(configs[id], access)).active).toBe(false);
    }

    // ...and login_required without it.
    const after = await start(page, 'calendar', { prompt: 'none' });
    await callbackOf(page, 'calendar');
    const refused = new URL(page.url()).searchParams;
    expect(refused.get('error')).toBe('login_required');
    expect(refused.get('state')).toBe(after.state);
    expect(refused.get('iss')).toBe(auth.config.tokens.issuer);
  }, 60_000);

  it('shows the logout confirmation without a hint, and the signed-out page after "Sign out"', async () => {
    const page = await (await browser.newContext()).newPage();
    const flow = await start(page, 'calendar');
    await page.getByLabel('Username').fill('testuser');
    await page.getByLabel('Password').fill('password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await callbackOf(page, 'calendar');
    const tokens = await oidc.authorizationCodeGrant(configs.calendar, new URL(page.url()), {
      pkceCodeVerifier: flow.verifier,
      expectedState: flow.state,
      expectedNonce: flow.nonce,
    });
    await page.goto(`${auth.url}/oauth/logout`);
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await shot(page, 'logout-confirmation');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('You are signed out.').waitFor();
    await shot(page, 'signed-out');
    expect((await oidc.tokenIntrospection(configs.calendar, tokens.access_token)).active).toBe(false);
  }, 60_000);

  it('a redirect URI mismatch is an error page, never a redirect; the pages refuse to be framed', async () => {
    const page = await (await browser.newContext()).newPage();
    const url = oidc.buildAuthorizationUrl(configs.notes, {
      redirect_uri: `${rp.base}/evil/callback`,
      scope: 'openid',
      code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
    });
    const answer = await page.goto(url.href);
    expect(answer!.status()).toBe(400);
    expect(new URL(page.url()).origin).toBe(new URL(auth.url).origin);
    expect(await page.getByRole('alert').textContent()).toContain('has not registered');
    await shot(page, 'error');
    expect(rp.hits.some((hit) => hit.pathname === '/evil/callback')).toBe(false);

    // A page of another origin framing the sign-in page gets nothing rendered in the frame.
    const framed = await start(page, 'notes');
    void framed;
    const signInUrl = page.url();
    const framer = createServer((_request, response) => response.writeHead(200, { 'content-type': 'text/html' }).end(`<iframe src="${signInUrl}"></iframe>`));
    await new Promise<void>((resolve) => framer.listen(0, '127.0.0.1', resolve));
    try {
      await page.goto(`http://127.0.0.1:${(framer.address() as { port: number }).port}/`);
      await page.waitForTimeout(500);
      const frame = page.frames().find((f) => f !== page.mainFrame());
      const inputs = frame
        ? await frame
            .locator('input[name="password"]')
            .count()
            .catch(() => 0)
        : 0;
      expect(inputs).toBe(0);
    } finally {
      await new Promise((resolve) => framer.close(resolve));
    }
  }, 60_000);
});
