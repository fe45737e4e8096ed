import { startAuth, type RunningAuth } from './support/auth-app.js';
import { authorizeQuery, Browser, pkce, registerWebClient, signIn, REDIRECT_URI } from './support/browser-flow.js';
import { claimsOf } from './support/oauth.js';

describe('browser sign-in: the authorization code flow over HTTP', () => {
  let auth: RunningAuth;
  let secret: string;

  beforeAll(async () => {
    auth = await startAuth({ DEMO_USER: 'testuser:password' });
    secret = await registerWebClient(auth, 'web');
  });
  afterAll(() => auth.close());

  const redeem = (code: string, verifier: string, extra: Record<string, string> = {}) =>
    fetch(`${auth.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`web:${secret}`).toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier, ...extra }),
    });

  it('signs in, consents, and redeems the code for tokens with an ID token', async () => {
    const browser = new Browser(auth.url);
    const { verifier, challenge } = pkce();
    const callback = await signIn(browser, authorizeQuery('web', challenge));
    expect(callback.get('state')).toBe('st-123');
    expect(callback.get('iss')).toBe(auth.config.tokens.issuer);
    const response = await redeem(callback.get('code')!, verifier);
    const body = (await response.json()) as Record<string, string>;
    expect(response.status).toBe(200);
    expect(body.refresh_token).toMatch(/^nts_rt_/);
    expect(claimsOf(body.id_token)).toMatchObject({ aud: 'web', nonce: 'n-456', preferred_username: 'testuser' });
  });
});
