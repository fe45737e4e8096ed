// Browser sign-in for the load (docs/oidc.md, docs/performance.md "Browser sign-in"): one sign-in
// through the hosted page over plain HTTP (the SSO cookie), then the two hot paths it opens: the
// authorization redirect with a live SSO session, and the code exchange at the token endpoint.
import { createHash, randomBytes } from 'node:crypto';
import pLimit from 'p-limit';
import { fixed } from './load.mjs';

/** Where the codes are sent: never contacted (the load generator reads the 303's Location). */
export const BENCH_REDIRECT_URI = 'http://127.0.0.1:9/callback';

const verifier = randomBytes(32).toString('base64url');
const challenge = createHash('sha256').update(verifier).digest('base64url');

/** The authorization request of a first-party client: PKCE S256, state and nonce. */
function authorizePath(clientId) {
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: BENCH_REDIRECT_URI,
    scope: 'openid profile',
    state: 'bench-state',
    nonce: 'bench-nonce',
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  return `/oauth/authorize?${query}`;
}

/**
 * Signs the bench user in through the sign-in page (a first-party client: no consent), as a browser
 * without JavaScript would: authorize, the page's form with its csrf_token, the redirect back.
 * Returns the Cookie header of the live SSO session.
 */
export async function signInCookie(authUrl, clientId, { username, password }) {
  const jar = new Map();
  const send = async (path, init = {}) => {
    const cookie = [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(`${authUrl}${path}`, { ...init, redirect: 'manual', headers: { ...init.headers, ...(cookie ? { cookie } : {}) } });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
    return response;
  };
  const interaction = (await send(authorizePath(clientId))).headers.get('location');
  if (!interaction?.startsWith('/oauth/interaction/')) throw new Error(`authorize did not open the sign-in page (Location ${interaction})`);
  const html = await (await send(interaction)).text();
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  const csrfToken = /name="csrf_token" value="([^"]+)"/.exec(html)?.[1];
  if (!action || !csrfToken) throw new Error('the sign-in page has no form');
  const signedIn = await send(action, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrf_token: csrfToken, username, password }).toString(),
  });
  const back = signedIn.headers.get('location') ?? '';
  if (!back.startsWith(BENCH_REDIRECT_URI) || !new URL(back).searchParams.has('code')) throw new Error(`sign-in answered ${signedIn.status}, not a code`);
  return [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
}

/** `GET /oauth/authorize` with the live SSO session: each answer a 303 to the client with a new code. */
export function authorizeWithSession(authUrl, clientId, cookie) {
  return { expect: 303, ...fixed(authUrl, { path: authorizePath(clientId), headers: { cookie } }) };
}

/** Codes minted before each slice of the code-exchange row: more than the row redeems in a slice. */
const CODES_PER_SLICE = 1500;

/**
 * `POST /oauth/token grant_type=authorization_code` with the PKCE verifier and Basic client
 * authentication: per answer the code's row consumed, an app session started, an access token,
 * a refresh token and an ID token. Codes are single-use and live 60 s, so a new pool is minted
 * (through the authorize redirect, not measured) before every slice; a slice that ran out would
 * show as 400s, counted as errors.
 */
export function codeExchange(authUrl, { client_id: id, client_secret: secret }, cookie) {
  const basic = Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64');
  const mint = pLimit(10);
  const oneCode = async () => {
    const response = await fetch(`${authUrl}${authorizePath(id)}`, { redirect: 'manual', headers: { cookie } });
    const code = new URL(response.headers.get('location') ?? 'invalid:').searchParams.get('code');
    if (!code) throw new Error(`authorize answered ${response.status} without a code`);
    return code;
  };
  return {
    options: async () => {
      const codes = await Promise.all(Array.from({ length: CODES_PER_SLICE }, () => mint(oneCode)));
      const form = (code) =>
        new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: BENCH_REDIRECT_URI, code_verifier: verifier }).toString();
      return {
        url: `${authUrl}/oauth/token`,
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${basic}` },
        requests: [{ setupRequest: (request) => ({ ...request, body: form(codes.pop() ?? 'exhausted') }) }],
      };
    },
  };
}
