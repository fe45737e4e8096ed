import { createTestDpopKey } from '@app/jwt-auth/testing';
import { startAuth, type RunningAuth } from './support/auth-app.js';
import { authorizeQuery, Browser, pkce, REDIRECT_URI, registerWebClient, signIn } from './support/browser-flow.js';
import { claimsOf, TEST_ISSUER } from './support/oauth.js';

const TOKEN_HTU = `${TEST_ISSUER}/oauth/token`;
const USERINFO_HTU = `${TEST_ISSUER}/oauth/userinfo`;

/**
 * DPoP through browser sign-in (docs/dpop.md): the authorization code redeemed with a proof binds the
 * access token to the key, and `/oauth/userinfo`, the auth-service's own protected route, takes that
 * token only as `DPoP` with a proof by its key (RFC 9449 7.1), never as `Bearer`.
 */
describe('DPoP: the authorization code grant and userinfo', () => {
  let auth: RunningAuth;
  let secret: string;

  beforeAll(async () => {
    auth = await startAuth({ DPOP_NONCES: 'false' });
    secret = await registerWebClient(auth, 'web', { firstParty: true });
  });
  afterAll(() => auth.close());

  async function boundTokens(): Promise<{ accessToken: string; key: Awaited<ReturnType<typeof createTestDpopKey>> }> {
    const { verifier, challenge } = pkce();
    const code = (await signIn(new Browser(auth.url), authorizeQuery('web', challenge))).get('code')!;
    const key = await createTestDpopKey('ES256');
    const response = await fetch(`${auth.url}/oauth/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`web:${secret}`).toString('base64')}`,
        dpop: await key.proof('POST', TOKEN_HTU),
      },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier }).toString(),
    });
    const body = (await response.json()) as { access_token: string; token_type: string };
    expect(response.status).toBe(200);
    expect(body.token_type).toBe('DPoP');
    expect((claimsOf(body.access_token).cnf as { jkt: string }).jkt).toBe(key.jkt);
    return { accessToken: body.access_token, key };
  }

  const userinfo = (authorization: string, proof?: string) =>
    fetch(`${auth.url}/oauth/userinfo`, { headers: { authorization, ...(proof === undefined ? {} : { dpop: proof }) } });

  it('binds the code grant’s access token to the proof’s key; userinfo answers it as DPoP with a proof by that key', async () => {
    const { accessToken, key } = await boundTokens();
    const ok = await userinfo(`DPoP ${accessToken}`, await key.proof('GET', USERINFO_HTU, { accessToken }));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ sub: claimsOf(accessToken).sub, preferred_username: 'testuser' });
  });

  it('refuses the bound token as Bearer (no downgrade), with a proof by another key, without a proof, and a replayed proof', async () => {
    const { accessToken, key } = await boundTokens();
    const asBearer = await userinfo(`Bearer ${accessToken}`);
    expect(asBearer.status).toBe(401);
    expect(asBearer.headers.get('www-authenticate')).toMatch(/^DPoP realm="oauth", error="invalid_token", .*algs="/);

    const thief = await createTestDpopKey('ES256');
    const stolen = await userinfo(`DPoP ${accessToken}`, await thief.proof('GET', USERINFO_HTU, { accessToken }));
    expect(stolen.status).toBe(401);
    expect(stolen.headers.get('www-authenticate')).toMatch(/^DPoP realm="oauth", error="invalid_dpop_proof"/);
    expect((await userinfo(`DPoP ${accessToken}`)).status).toBe(401);

    const proof = await key.proof('GET', USERINFO_HTU, { accessToken });
    expect((await userinfo(`DPoP ${accessToken}`, proof)).status).toBe(200);
    const replayed = await userinfo(`DPoP ${accessToken}`, proof);
    expect(replayed.status).toBe(401);
    expect(replayed.headers.get('www-authenticate')).toMatch(/error="invalid_dpop_proof"/);
  });

  it('refuses an unbound token sent as DPoP: there is no key for a proof to match', async () => {
    const { verifier, challenge } = pkce();
    const code = (await signIn(new Browser(auth.url), authorizeQuery('web', challenge))).get('code')!;
    const response = await fetch(`${auth.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`web:${secret}`).toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier }).toString(),
    });
    const { access_token: accessToken, token_type: tokenType } = (await response.json()) as { access_token: string; token_type: string };
    expect(tokenType).toBe('Bearer');
    const key = await createTestDpopKey('ES256');
    const refused = await userinfo(`DPoP ${accessToken}`, await key.proof('GET', USERINFO_HTU, { accessToken }));
    expect(refused.status).toBe(401);
    expect((await userinfo(`Bearer ${accessToken}`)).status).toBe(200);
  });
});
