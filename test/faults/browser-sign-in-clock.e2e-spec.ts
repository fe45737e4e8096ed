import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { authorizeQuery, Browser, callbackParams, pkce, REDIRECT_URI, signIn } from '../support/browser-flow.js';
import { BUILT, ROOT, ServiceProcess, sleep } from '../support/service-process.js';
import { BOUND_MS, POLL_MS, RevocationClient, resourceEnvFor, spread } from './support/revocation.js';

const CLI = join(ROOT, 'dist/apps/auth-service/src/cli.js');
const SIGNED_OUT = 'http://127.0.0.1:9/bye';
/** The code lifetime docs/oidc.md promises. */
const CODE_TTL_MS = 60_000;
/** Longer than a code's life, so an expired code is refused for its own age while its SSO session still lives. */
const SSO_TTL_MS = 70_000;
const RUNS = 5;

const run = promisify(execFile);

interface Tokens {
  access_token: string;
  refresh_token: string;
  id_token: string;
}

/**
 * Browser sign-in against the built auth-service and resource-service as processes, on the real clock
 * and the real database: an RP-initiated logout reaches the resource-service within the poll interval
 * + 1 s for every app signed in through the SSO session; a code lives 60 s and an SSO session
 * SSO_SESSION_TTL, measured by waiting, not by a clock the test moves.
 */
describe('browser sign-in between built services, real clock', () => {
  let dir: string;
  let auth: ServiceProcess;
  let resource: ServiceProcess;
  const secrets: Record<string, string> = {};
  const delays: number[] = [];
  /** The browser whose SSO session and codes the lifetime tests watch, and when it signed in. */
  let watched: { browser: Browser; signedInAt: number; verifier: string; early: string; late: string; codesAt: number };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sign-in-clock-'));
    const env = {
      KEYS_DIR: join(dir, 'keys'),
      DATA_DIR: join(dir, 'data'),
      SSO_SESSION_TTL: `${SSO_TTL_MS / 1000}s`,
      LOGIN_MAX_FAILURES: '1000',
      LOGIN_ADDRESS_MAX_FAILURES: '100000',
    };
    auth = await ServiceProcess.start(BUILT.auth, env);
    resource = await ServiceProcess.start(BUILT.resource, resourceEnvFor(auth));
    for (const id of ['notes', 'calendar']) {
      const { stdout } = await run(
        process.execPath,
        [
          CLI,
          'clients',
          'add',
          id,
          '--grant',
          'authorization_code',
          '--grant',
          'refresh_token',
          '--redirect-uri',
          REDIRECT_URI,
          '--post-logout-redirect-uri',
          SIGNED_OUT,
          '--scope',
          'openid profile resource:read',
          '--first-party',
          '--json',
        ],
        { cwd: ROOT, env: { ...process.env, NODE_OPTIONS: '', NODE_ENV: 'development', ...env } },
      );
      secrets[id] = (JSON.parse(stdout.trim().split('\n').at(-1)!) as { client_secret: string }).client_secret;
    }
    // The watched browser signs in first and takes two codes at once: the clock for the lifetime tests starts here.
    const browser = new Browser(auth.url);
    const signedInAt = Date.now();
    const { verifier, challenge } = pkce();
    await signIn(browser, authorizeQuery('notes', challenge));
    const [early, late] = [await codeFor(browser, 'notes', challenge), await codeFor(browser, 'notes', challenge)];
    watched = { browser, signedInAt, verifier, early, late, codesAt: Date.now() };
  }, 60_000);

  afterAll(async () => {
    await resource?.stop();
    await auth?.stop();
    await rm(dir, { recursive: true, force: true });
    process.stderr.write(`RP-initiated logout reaching the resource-service (poll ${POLL_MS} ms): ${spread(delays)}\n`);
  });

  const client = new RevocationClient(
    () => auth,
    () => resource,
  );

  /** The code of a silent authorization request by a browser with a live SSO session. */
  async function codeFor(browser: Browser, clientId: string, challenge: string): Promise<string> {
    const params = callbackParams(await browser.get(authorizeQuery(clientId, challenge, { prompt: 'none' })));
    const code = params.get('code');
    if (!code) throw new Error(`prompt=none answered ${params.get('error')}`);
    return code;
  }

  function redeem(clientId: string, code: string, verifier: string): Promise<Response> {
    return fetch(`${auth.url}/oauth/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${clientId}:${secrets[clientId]}`).toString('base64')}`,
      },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier }),
    });
  }

  async function tokensFor(browser: Browser, clientId: string, signInFirst: boolean): Promise<Tokens> {
    const { verifier, challenge } = pkce();
    const code = signInFirst ? (await signIn(browser, authorizeQuery(clientId, challenge))).get('code')! : await codeFor(browser, clientId, challenge);
    const response = await redeem(clientId, code, verifier);
    if (response.status !== 200) throw new Error(`code redemption answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as Tokens;
  }

  function refresh(clientId: string, refreshToken: string): Promise<Response> {
    return fetch(`${auth.url}/oauth/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${clientId}:${secrets[clientId]}`).toString('base64')}`,
      },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }),
    });
  }

  it(`RP-initiated logout: both apps' access tokens refused within the poll interval + 1 s (${RUNS} runs), their refresh tokens at once; another browser's are not`, async () => {
    const bystander = await tokensFor(new Browser(auth.url), 'notes', true);
    for (let i = 0; i < RUNS; i++) {
      const browser = new Browser(auth.url);
      const notes = await tokensFor(browser, 'notes', true);
      const calendar = await tokensFor(browser, 'calendar', false);
      expect(await client.status(notes.access_token)).toBe(200);
      expect(await client.status(calendar.access_token)).toBe(200);
      // A random phase against the poll timer, so the figures spread over the interval.
      await sleep(Math.random() * POLL_MS);
      const query = new URLSearchParams({ id_token_hint: notes.id_token, post_logout_redirect_uri: SIGNED_OUT, state: `s${i}` });
      const loggedOut = await browser.get(`/oauth/logout?${query}`);
      expect(loggedOut.status).toBe(303);
      expect(loggedOut.headers.get('location')).toBe(`${SIGNED_OUT}?state=s${i}`);
      const [first, second] = await Promise.all([client.refusedAfter(notes.access_token), client.refusedAfter(calendar.access_token)]);
      for (const delay of [first, second]) {
        delays.push(delay ?? Number.POSITIVE_INFINITY);
        expect(delay).toBeLessThanOrEqual(BOUND_MS);
      }
      expect((await refresh('calendar', calendar.refresh_token)).status).toBe(400);
      // The browser's SSO session is over: a silent request asks for a sign-in.
      expect(callbackParams(await browser.get(authorizeQuery('notes', pkce().challenge, { prompt: 'none' }))).get('error')).toBe('login_required');
    }
    expect(await client.status(bystander.access_token)).toBe(200);
  }, 60_000);

  it('a code is redeemable before 60 s and refused after, while its SSO session lives on; a new code from that session still works', async () => {
    await sleep(Math.max(0, watched.codesAt + CODE_TTL_MS - 5_000 - Date.now()));
    expect((await redeem('notes', watched.early, watched.verifier)).status).toBe(200);

    await sleep(Math.max(0, watched.codesAt + CODE_TTL_MS + 1_000 - Date.now()));
    const expired = await redeem('notes', watched.late, watched.verifier);
    expect(expired.status).toBe(400);
    expect(((await expired.json()) as { error: string }).error).toBe('invalid_grant');
    expect(Date.now() - watched.signedInAt).toBeLessThan(SSO_TTL_MS);
    const { verifier, challenge } = pkce();
    expect((await redeem('notes', await codeFor(watched.browser, 'notes', challenge), verifier)).status).toBe(200);
  }, 90_000);

  it('the SSO session ends SSO_SESSION_TTL after its sign-in: prompt=none then answers login_required, and authorize shows the sign-in page', async () => {
    await sleep(Math.max(0, watched.signedInAt + SSO_TTL_MS + 1_000 - Date.now()));
    const { challenge } = pkce();
    expect(callbackParams(await watched.browser.get(authorizeQuery('notes', challenge, { prompt: 'none' }))).get('error')).toBe('login_required');
    const again = await watched.browser.get(authorizeQuery('notes', challenge));
    expect(again.status).toBe(303);
    expect(again.headers.get('location')).toMatch(/^\/oauth\/interaction\//);
  }, 90_000);
});
