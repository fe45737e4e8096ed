import type { IncomingMessage, ServerResponse } from 'node:http';
import * as oidc from 'openid-client';
import type { AppConfig } from './config.js';
import { describeClaims } from './claims.js';
import type { Pages } from './pages.js';
import { Sessions, type Session } from './sessions.js';

/** openid: an ID token; profile: preferred_username in it; resource:read: what the resource-service wants. */
const SCOPE = 'openid profile resource:read';

type Handler = (request: IncomingMessage, response: ServerResponse) => void | Promise<void>;

/** The app's routes: a plain node:http request handler. */
export function createApp(config: AppConfig, client: oidc.Configuration, pages: Pages): Handler {
  const sessions = new Sessions();
  const origin = new URL(config.appUrl).origin;
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const redirect = (response: ServerResponse, location: string) => void response.writeHead(303, { location }).end();

  const routes: Record<string, Handler> = {
    'GET /': (request, response) => {
      const session = sessions.get(request);
      if (session?.signedIn) pages.send(response, 200, 'signed-in', signedInView(session.signedIn, config));
      else pages.send(response, 200, 'home', { title: 'Welcome' });
    },

    'GET /login': async (request, response) => {
      // PKCE: the code that comes back is worth nothing without this verifier, which never leaves this
      // server; the auth-service gets only its SHA-256 (S256). A code stolen on its way back (a log, a
      // browser extension, the history) cannot be redeemed.
      const codeVerifier = oidc.randomPKCECodeVerifier();
      // state: the answer at /callback must carry it, so nobody can make your browser finish a sign-in
      // that they started (login CSRF). nonce: the ID token must carry it, so a token minted for another
      // sign-in cannot be replayed into this one.
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      sessions.start(request, response, { pending: { codeVerifier, state, nonce } });
      const url = oidc.buildAuthorizationUrl(client, {
        redirect_uri: `${config.appUrl}/callback`,
        scope: SCOPE,
        code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      });
      redirect(response, url.href);
    },

    'GET /callback': async (request, response) => {
      const pending = sessions.get(request)?.pending;
      if (!pending)
        return pages.send(response, 400, 'error', {
          title: 'This sign-in has expired',
          message: 'It was started in another browser, or long ago, or it already finished.',
        });
      let tokens;
      try {
        // Checks state and iss, redeems the code with the verifier (and this app's secret), then checks
        // the ID token: signature against the issuer's JWKS, iss, aud, exp, nonce, at_hash.
        tokens = await oidc.authorizationCodeGrant(client, new URL(request.url ?? '/', config.appUrl), {
          pkceCodeVerifier: pending.codeVerifier,
          expectedState: pending.state,
          expectedNonce: pending.nonce,
          idTokenExpected: true,
        });
      } catch (error) {
        // "Deny" on the consent page (access_denied), a wrong state, a used code, a bad ID token.
        sessions.end(request, response);
        log(`sign-in did not complete: ${reason(error)}`);
        return pages.send(response, 400, 'error', { title: 'Sign-in did not complete', message: reason(error) });
      }
      const claims = tokens.claims()!;
      const expiresAt = Date.now() + (tokens.expiresIn() ?? 0) * 1000;
      const signedIn = { accessToken: tokens.access_token, idToken: tokens.id_token!, claims, scope: tokens.scope ?? SCOPE, expiresAt };
      // A new session id now that it holds tokens (an id planted before sign-in is worth nothing).
      sessions.start(request, response, { signedIn });
      log(`signed in: ${String(claims.preferred_username)} (sub ${claims.sub})`);
      // Away from the URL that carried the code: it stays out of the page, its links and reloads.
      redirect(response, '/');
    },

    'GET /resource': async (request, response) => {
      const signedIn = sessions.get(request)?.signedIn;
      if (!signedIn) return redirect(response, '/');
      // The access token goes to the API as `Authorization: Bearer`; the ID token is for this app only.
      const answer = await callResource(client, signedIn.accessToken, config.resourceUrl);
      log(`called ${config.resourceUrl.href}: ${answer.status || 'no answer'}`);
      pages.send(response, 200, 'signed-in', { ...signedInView(signedIn, config), answer });
    },

    'POST /logout': (request, response) => {
      // Only this app's own pages may sign you out: cookies do not tell ports (or sites of one domain)
      // apart, the Origin header does.
      if (request.headers.origin !== origin)
        return pages.send(response, 403, 'error', { title: 'Not from this app', message: 'Sign out from the app itself.' });
      const signedIn = sessions.get(request)?.signedIn;
      sessions.end(request, response);
      if (!signedIn) return redirect(response, '/signed-out');
      log(`signed out: ${String(signedIn.claims.preferred_username)}`);
      // RP-Initiated Logout: the auth-service ends its session (and every app session started from it),
      // then sends the browser to this registered URI. The ID token says which session and vouches for
      // the URI, so no confirmation page; it grants nothing (APIs refuse it), and the service logs paths only.
      const url = oidc.buildEndSessionUrl(client, { id_token_hint: signedIn.idToken, post_logout_redirect_uri: `${config.appUrl}/signed-out` });
      redirect(response, url.href);
    },

    'GET /signed-out': (_request, response) => pages.send(response, 200, 'signed-out', { title: 'Signed out' }),

    'GET /style.css': (_request, response) => void response.writeHead(200, { 'content-type': 'text/css; charset=utf-8' }).end(pages.stylesheet),
  };

  return async (request, response) => {
    const path = new URL(request.url ?? '/', config.appUrl).pathname;
    // Opened as 127.0.0.1? The cookie and the registered redirect URIs are for appUrl's host.
    if (request.headers.host !== new URL(config.appUrl).host) return redirect(response, `${config.appUrl}${path}`);
    const route = routes[`${request.method} ${path}`];
    try {
      if (route) await route(request, response);
      else pages.send(response, 404, 'error', { title: 'Not found', message: 'There is no such page in this app.' });
    } catch (error) {
      log(`error on ${request.method} ${path}: ${reason(error)}`);
      if (!response.headersSent) pages.send(response, 500, 'error', { title: 'Something went wrong', message: 'Look at the terminal of npm run try.' });
    }
  };
}

function signedInView(signedIn: NonNullable<Session['signedIn']>, config: AppConfig) {
  return {
    title: 'Signed in',
    username: signedIn.claims.preferred_username,
    claims: describeClaims(signedIn.claims),
    scope: signedIn.scope,
    minutesLeft: Math.max(0, Math.round((signedIn.expiresAt - Date.now()) / 60_000)),
    resourceUrl: config.resourceUrl.href,
  };
}

/** GET the protected route with the access token: its status and body (JSON indented), whatever they are. */
async function callResource(client: oidc.Configuration, accessToken: string, url: URL): Promise<{ status: number; body: string }> {
  let response: Response;
  try {
    response = await oidc.fetchProtectedResource(client, accessToken, url, 'GET');
  } catch (error) {
    // A 401 with WWW-Authenticate (expired, revoked) comes as an error carrying the answer.
    if (!(error instanceof oidc.WWWAuthenticateChallengeError)) return { status: 0, body: `The resource-service did not answer: ${reason(error)}` };
    response = error.response;
  }
  const text = await response.text();
  try {
    return { status: response.status, body: JSON.stringify(JSON.parse(text), null, 2) };
  } catch {
    return { status: response.status, body: text };
  }
}

/** What went wrong, in words safe to show and log (openid-client's messages and OAuth errors carry no token). */
function reason(error: unknown): string {
  if (error instanceof oidc.AuthorizationResponseError || error instanceof oidc.ResponseBodyError) {
    return error.error_description ? `${error.error}: ${error.error_description}` : error.error;
  }
  // openid-client's words, then the check that failed or the network error (its cause).
  const { message, cause } = error as Error & { cause?: { message?: string; code?: string } };
  const detail = cause?.message || cause?.code;
  return detail ? `${message}: ${detail}` : message;
}
