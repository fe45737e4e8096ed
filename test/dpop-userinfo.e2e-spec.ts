import { createTestDpopKey } from '@app/jwt-auth/testing';
import { startAuth, type RunningAuth } from './support/auth-app.js';
import { authorizeQuery, Browser, callbackParams, pkce, REDIRECT_URI, registerWebClient, signIn } from './support/browser-flow.js';
import { claimsOf, TEST_ISSUER } from './support/oauth.js';

const TOKEN_HTU = `${TEST_ISSUER}/oauth/token`;
const USERINFO_HTU = `${TEST_ISSUER}/oauth/userinfo`;

/**
 * DPoP through browser sign-in (docs/dpop.md): the authorization code redeemed with a proof binds the
 * access token to the key; `dpop_jkt` at /oauth/authorize binds the code itself (RFC 9449 §10), so
 * only a proof by that key redeems it; and `/oauth/userinfo`, the auth-service's own protected route,
 * takes a bound token only as `DPoP` with a proof by its key (RFC 9449 7.1), never as `Bearer`.
 */
describe('DPoP: the authorization code grant and userinfo', () => {
  let auth: RunningAuth;

  const secrets: Record<string, string> = {};

  beforeAll(async () => {
    auth = await startAuth({ DPOP_NONCES: 'false' });
    secrets.web = await registerWebClient(auth, 'web', { firstParty: true });
    secrets.strict = await registerWebClient(auth, 'strict', { firstParty: true, dpopBound: true });
  });
  afterAll(() => auth.close());

  /** A token request of the code grant, with `proof` as its DPoP header when given. */
  async function redeem(code: string, verifier: string, proof?: string, clientId = 'web'): Promise<{ status: number; body: Record<string, string> }> {
    const response = await fetch(`${auth.url}/oauth/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${clientId}:${secrets[clientId]}`).toString('base64')}`,
        ...(proof === undefined ? {} : { dpop: proof }),
      },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier }).toString(),
    });
    return { status: response.status, body: (await response.json()) as Record<string, string> };
  }

  async function boundTokens(): Promise<{ accessToken: string; key: Awaited<ReturnType<typeof createTestDpopKey>> }> {
    const { verifier, challenge } = pkce();
    const code = (await signIn(new Browser(auth.url), authorizeQuery('web', challenge))).get('code')!;
    const key = await createTestDpopKey('ES256');
    const { status, body } = await redeem(code, verifier, await key.proof('POST', TOKEN_HTU));
    expect(status).toBe(200);
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
    const { access_token: accessToken, token_type: tokenType } = (await redeem(code, verifier)).body;
    expect(tokenType).toBe('Bearer');
    const key = await createTestDpopKey('ES256');
    const refused = await userinfo(`DPoP ${accessToken}`, await key.proof('GET', USERINFO_HTU, { accessToken }));
    expect(refused.status).toBe(401);
    expect((await userinfo(`Bearer ${accessToken}`)).status).toBe(200);
  });

  describe('dpop_jkt at /oauth/authorize binds the code (RFC 9449 §10)', () => {
    /** A code whose authorization request named `key`'s thumbprint, with its PKCE verifier. */
    async function boundCode(jkt: string, clientId = 'web'): Promise<{ code: string; verifier: string }> {
      const { verifier, challenge } = pkce();
      const code = (await signIn(new Browser(auth.url), authorizeQuery(clientId, challenge, { dpop_jkt: jkt }))).get('code')!;
      return { code, verifier };
    }

    it('a proof by that key redeems it: token_type DPoP, cnf.jkt the thumbprint it named', async () => {
      const key = await createTestDpopKey('ES256');
      const { code, verifier } = await boundCode(key.jkt);
      const { status, body } = await redeem(code, verifier, await key.proof('POST', TOKEN_HTU));
      expect(status).toBe(200);
      expect(body.token_type).toBe('DPoP');
      expect(claimsOf(body.access_token).cnf).toEqual({ jkt: key.jkt });
    });

    it('a proof by another key, or none, is 400 invalid_dpop_proof and leaves the code unused: its key redeems it after', async () => {
      const key = await createTestDpopKey('ES256');
      const thief = await createTestDpopKey('EdDSA');
      const { code, verifier } = await boundCode(key.jkt);
      expect(await redeem(code, verifier, await thief.proof('POST', TOKEN_HTU))).toEqual({
        status: 400,
        body: { error: 'invalid_dpop_proof', error_description: 'Invalid DPoP proof: the authorization code is bound to another DPoP key' },
      });
      expect(await redeem(code, verifier)).toEqual({
        status: 400,
        body: { error: 'invalid_dpop_proof', error_description: 'Invalid DPoP proof: the authorization code is bound to a DPoP key: send a DPoP proof by it' },
      });
      const { status, body } = await redeem(code, verifier, await key.proof('POST', TOKEN_HTU));
      expect(status).toBe(200);
      expect(claimsOf(body.access_token).cnf).toEqual({ jkt: key.jkt });
      // Once redeemed, even its key gets invalid_grant (single use, as any code).
      expect((await redeem(code, verifier, await key.proof('POST', TOKEN_HTU))).body.error).toBe('invalid_grant');
    });

    it('travels through a POSTed authorization request too (303 to the GET)', async () => {
      const key = await createTestDpopKey('ES256');
      const { verifier, challenge } = pkce();
      const browser = new Browser(auth.url);
      const form = Object.fromEntries(new URL(authorizeQuery('web', challenge, { dpop_jkt: key.jkt }), auth.url).searchParams);
      const posted = await browser.post('/oauth/authorize', form);
      expect(posted.status).toBe(303);
      const code = (await signIn(browser, posted.headers.get('location')!)).get('code')!;
      expect((await redeem(code, verifier)).body.error).toBe('invalid_dpop_proof');
      expect((await redeem(code, verifier, await key.proof('POST', TOKEN_HTU))).status).toBe(200);
    });

    it.each([
      ['42 characters', 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9X'],
      ['padded base64', 'NzbLsXh8uDCcd+6MNwXF4W/7noWXFZAfHkxZsRGC9X='],
      ['a JWK', '{"kty":"EC"}'],
    ])('a malformed dpop_jkt (%s) redirects invalid_request with state and iss, GET or POST', async (_case, jkt) => {
      const browser = new Browser(auth.url);
      const query = authorizeQuery('web', pkce().challenge, { dpop_jkt: jkt });
      const refused = callbackParams(await browser.get(query));
      expect(Object.fromEntries(refused)).toEqual({
        error: 'invalid_request',
        error_description: 'dpop_jkt must be a JWK SHA-256 thumbprint: 43 base64url characters',
        state: 'st-123',
        iss: TEST_ISSUER,
      });
      const posted = await browser.post('/oauth/authorize', Object.fromEntries(new URL(query, auth.url).searchParams));
      expect(callbackParams(await browser.get(posted.headers.get('location')!)).get('error')).toBe('invalid_request');
    });

    it('a --dpop-bound client may leave dpop_jkt out: its proof at the token endpoint binds; without one it is refused there', async () => {
      const { verifier, challenge } = pkce();
      const code = (await signIn(new Browser(auth.url), authorizeQuery('strict', challenge))).get('code')!;
      expect(code).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect((await redeem(code, verifier, undefined, 'strict')).body).toEqual({
        error: 'invalid_dpop_proof',
        error_description: 'Invalid DPoP proof: this client must send a DPoP proof',
      });
      const key = await createTestDpopKey('ES256');
      const { status, body } = await redeem(code, verifier, await key.proof('POST', TOKEN_HTU), 'strict');
      expect(status).toBe(200);
      expect(claimsOf(body.access_token).cnf).toEqual({ jkt: key.jkt });
    });
  });
});
