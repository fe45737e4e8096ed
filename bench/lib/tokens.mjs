// Real tokens for the load: every access token is issued by the running auth-service, by login or,
// when the refresh route exists, by chains of refreshes (a login costs an argon2id hash; a refresh does not).
const JSON_HEADERS = { 'content-type': 'application/json' };
const MAX_THROTTLE_WAIT_MS = 10_000;

/** POST /auth/login; retries after `Retry-After` when throttled (429). Returns the token response body. */
export async function login(authUrl, credentials) {
  for (let attempt = 0; ; attempt += 1) {
    const response = await fetch(`${authUrl}/auth/login`, { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify(credentials) });
    const body = await response.json().catch(() => ({}));
    if (response.status === 200 && typeof body.access_token === 'string') return body;
    if (response.status === 429 && attempt < 5) {
      const waitMs = Math.min(Number(response.headers.get('retry-after') ?? 1) * 1000, MAX_THROTTLE_WAIT_MS);
      await new Promise((resolve) => setTimeout(resolve, waitMs));
      continue;
    }
    throw new Error(`login answered ${response.status} ${JSON.stringify(body).slice(0, 200)}`);
  }
}

/** POST /auth/refresh with one refresh token; returns { status, body }. */
export async function refresh(authUrl, refreshToken) {
  const response = await fetch(`${authUrl}/auth/refresh`, {
    method: 'POST',
    headers: JSON_HEADERS,
    body: JSON.stringify({ refresh_token: refreshToken }),
  });
  return { status: response.status, body: await response.json().catch(() => ({})) };
}

/**
 * Whether the auth-service issues refresh tokens and serves POST /auth/refresh: the login answer must
 * carry a `refresh_token`, and refreshing it must not answer 404. Spends that one refresh token.
 */
export async function refreshSupported(authUrl, credentials) {
  const first = await login(authUrl, credentials);
  if (typeof first.refresh_token !== 'string') return false;
  const { status } = await refresh(authUrl, first.refresh_token);
  if (status === 404) return false;
  if (status !== 200) throw new Error(`POST /auth/refresh answered ${status} to a fresh refresh token`);
  return true;
}

/**
 * `count` distinct access tokens. With refresh: `chains` logins, then each chain refreshes its newest
 * refresh token until the pool is full. Without: `count` logins, `chains` at a time.
 */
export async function mintAccessTokens(authUrl, credentials, count, { useRefresh, chains = 8 }) {
  const tokens = new Set();
  const lanes = Math.min(chains, count);
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      let current = useRefresh ? await login(authUrl, credentials) : undefined;
      if (current) tokens.add(current.access_token);
      while (tokens.size < count) {
        if (useRefresh) {
          const { status, body } = await refresh(authUrl, current.refresh_token);
          if (status !== 200) throw new Error(`refresh answered ${status} while minting tokens`);
          current = body;
        } else {
          current = await login(authUrl, credentials);
        }
        tokens.add(current.access_token);
      }
    }),
  );
  return [...tokens].slice(0, count);
}

/** `count` fresh refresh tokens, one login each (the start of one refresh chain per connection). */
export async function freshRefreshTokens(authUrl, credentials, count) {
  const out = [];
  for (let i = 0; i < count; i += 1) out.push((await login(authUrl, credentials)).refresh_token);
  return out;
}
