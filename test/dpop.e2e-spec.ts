import { generateKeyPairSync } from 'node:crypto';
import * as oidc from 'openid-client';
import request from 'supertest';
import { createTestDpopKey, type TestDpopKey } from '@app/jwt-auth/testing';
import { UsersService } from '../apps/auth-service/src/users/users.service.js';
import { startAuth, type RunningAuth } from './support/auth-app.js';
import { Browser, REDIRECT_URI, registerWebClient, signIn } from './support/browser-flow.js';
import { claimsOf, discover, oauthError, registerClient, TEST_ISSUER } from './support/oauth.js';
import { startResource, type RunningResource } from './support/stack.js';

const TOKEN_HTU = `${TEST_ISSUER}/oauth/token`;

/**
 * DPoP (RFC 9449, docs/dpop.md) end to end: openid-client's DPoP handle against the real token
 * endpoint, the resource-service and userinfo (SQLite), through every grant (the authorization code
 * bound at /oauth/authorize by `dpop_jkt`, signed in over plain HTTP), then the negative list of RFC 9449 §4.3 and §7, each with
 * its exact answer.
 */
describe('DPoP: openid-client against the token endpoint and the resource-service', () => {
  let auth: RunningAuth;
  let resource: RunningResource;
  let svcSecret: string;
  let boundSecret: string;

  beforeAll(async () => {
    auth = await startAuth({ AUTH_AUDIENCE: 'resource-service' });
    resource = await startResource(`${auth.url}/.well-known/jwks.json`);
    svcSecret = await registerClient(auth, { id: 'svc', scopes: ['resource:read'], introspect: true, serves: ['resource-service'] });
    boundSecret = await registerClient(auth, { id: 'bound-svc', scopes: ['resource:read'], dpopBound: true });
    await registerClient(auth, { id: 'spa', public: true, grantTypes: ['password', 'refresh_token'], scopes: ['resource:read'] });
    await auth.app.get(UsersService).create('carol', 'correct horse', ['resource:read']);
  });
  afterAll(async () => {
    await resource.close();
    await auth.close();
  });

  const protectedUrl = () => new URL(`${resource.url}/resource/protected`);

  describe('openid-client (getDPoPHandle, fetchProtectedResource)', () => {
    it('client credentials: token_type DPoP, cnf.jkt, then the resource-service accepts it with proofs and refuses it as Bearer', async () => {
      const config = await discover(auth, 'svc', oidc.ClientSecretBasic(svcSecret));
      const DPoP = oidc.getDPoPHandle(config, await oidc.randomDPoPKeyPair('ES256'));
      const tokens = await oidc.clientCredentialsGrant(config, { scope: 'resource:read' }, { DPoP });
      expect(tokens.token_type).toBe('dpop');
      const jkt = (claimsOf(tokens.access_token).cnf as { jkt: string }).jkt;
      expect(jkt).toMatch(/^[A-Za-z0-9_-]{43}$/);

      const res = await oidc.fetchProtectedResource(config, tokens.access_token, protectedUrl(), 'GET', undefined, undefined, { DPoP });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ message: 'This is a protected resource', client: { clientId: 'svc' } });
      // The same token twice more (the verified-token cache serves it): each request its own proof.
      for (let i = 0; i < 2; i++) {
        expect((await oidc.fetchProtectedResource(config, tokens.access_token, protectedUrl(), 'GET', undefined, undefined, { DPoP })).status).toBe(200);
      }
    });

    it('authorization code: dpop_jkt binds the code to the handle’s key; only its proofs redeem it, then the resource-service and userinfo take the token with them', async () => {
      const webSecret = await registerWebClient(auth, 'dpop-web', { firstParty: true, scopes: ['openid', 'resource:read'] });
      const config = await discover(auth, 'dpop-web', oidc.ClientSecretBasic(webSecret));
      const DPoP = oidc.getDPoPHandle(config, await oidc.randomDPoPKeyPair('ES256'));
      const verifier = oidc.randomPKCECodeVerifier();
      const checks = { pkceCodeVerifier: verifier, expectedState: oidc.randomState(), expectedNonce: oidc.randomNonce() };
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: REDIRECT_URI,
        scope: 'openid resource:read',
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state: checks.expectedState,
        nonce: checks.expectedNonce,
        dpop_jkt: await DPoP.calculateThumbprint(),
      });
      const callback = await signIn(new Browser(auth.url), `${url.pathname}${url.search}`, 'carol', 'correct horse');
      const callbackUrl = new URL(`${REDIRECT_URI}?${callback}`);

      // Another key's handle, then none: refused, and the code is still there for the handle it names.
      const thief = oidc.getDPoPHandle(config, await oidc.randomDPoPKeyPair('ES256'));
      expect(await oauthError(oidc.authorizationCodeGrant(config, callbackUrl, checks, undefined, { DPoP: thief }))).toMatchObject({
        status: 400,
        error: 'invalid_dpop_proof',
      });
      expect(await oauthError(oidc.authorizationCodeGrant(config, callbackUrl, checks))).toMatchObject({ status: 400, error: 'invalid_dpop_proof' });

      const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, checks, undefined, { DPoP });
      expect(tokens.token_type).toBe('dpop');
      const claims = claimsOf(tokens.access_token);
      expect(claims.cnf).toEqual({ jkt: await DPoP.calculateThumbprint() });
      const res = await oidc.fetchProtectedResource(config, tokens.access_token, protectedUrl(), 'GET', undefined, undefined, { DPoP });
      expect(res.status).toBe(200);
      expect(await oidc.fetchUserInfo(config, tokens.access_token, claims.sub as string, { DPoP })).toEqual({ sub: claims.sub });
    });

    it("token exchange: a DPoP-bound subject token is exchanged by the service it names, and the new token is bound to the exchanger's own key", async () => {
      const ordersSecret = await registerClient(auth, {
        id: 'orders-x',
        grantTypes: ['urn:ietf:params:oauth:grant-type:token-exchange'],
        scopes: ['resource:read'],
        audiences: ['billing'],
        serves: ['resource-service'],
      });
      const spa = await discover(auth, 'spa', oidc.None());
      const user = await oidc.genericGrantRequest(
        spa,
        'password',
        { username: 'carol', password: 'correct horse', scope: 'resource:read' },
        {
          DPoP: oidc.getDPoPHandle(spa, await oidc.randomDPoPKeyPair('ES256')),
        },
      );
      const userJkt = (claimsOf(user.access_token).cnf as { jkt: string }).jkt;

      const orders = await discover(auth, 'orders-x', oidc.ClientSecretBasic(ordersSecret));
      const exchange = { subject_token: user.access_token, subject_token_type: 'urn:ietf:params:oauth:token-type:access_token', audience: 'billing' };
      const ordersDPoP = oidc.getDPoPHandle(orders, await oidc.randomDPoPKeyPair('EdDSA'));
      const bound = await oidc.genericGrantRequest(orders, 'urn:ietf:params:oauth:grant-type:token-exchange', exchange, { DPoP: ordersDPoP });
      expect(bound.token_type).toBe('dpop');
      const claims = claimsOf(bound.access_token);
      expect((claims.cnf as { jkt: string }).jkt).not.toBe(userJkt);
      expect(claims).toMatchObject({ sub: claimsOf(user.access_token).sub, aud: 'billing', client_id: 'orders-x', act: { sub: 'orders-x' } });

      // Without a proof of its own, the exchanger gets a bearer token: the user's key is never carried over.
      const bearer = await oidc.genericGrantRequest(orders, 'urn:ietf:params:oauth:grant-type:token-exchange', exchange);
      expect(bearer.token_type).toBe('bearer');
      expect(claimsOf(bearer.access_token).cnf).toBeUndefined();
    });

    it('password then refresh: both bound to the key; a refresh with another key is invalid_grant and changes nothing', async () => {
      const config = await discover(auth, 'spa', oidc.None());
      const pair = await oidc.randomDPoPKeyPair('EdDSA');
      const DPoP = oidc.getDPoPHandle(config, pair);
      const first = await oidc.genericGrantRequest(config, 'password', { username: 'carol', password: 'correct horse', scope: 'resource:read' }, { DPoP });
      expect(first.token_type).toBe('dpop');
      const jkt = (claimsOf(first.access_token).cnf as { jkt: string }).jkt;

      const thief = oidc.getDPoPHandle(config, await oidc.randomDPoPKeyPair('ES256'));
      const stolen = await oauthError(oidc.refreshTokenGrant(config, first.refresh_token!, undefined, { DPoP: thief }));
      expect(stolen).toMatchObject({ status: 400, error: 'invalid_grant', body: { error_description: 'the refresh token is bound to another DPoP key' } });
      const noProof = await oauthError(oidc.refreshTokenGrant(await discover(auth, 'spa', oidc.None()), first.refresh_token!));
      expect(noProof).toMatchObject({
        status: 400,
        error: 'invalid_grant',
        body: { error_description: 'the refresh token is bound to a DPoP key: send a DPoP proof by it' },
      });

      // Nothing changed: the refresh token still works for the key's holder (no rotation, no reuse).
      const second = await oidc.refreshTokenGrant(config, first.refresh_token!, undefined, { DPoP });
      expect(second.token_type).toBe('dpop');
      expect((claimsOf(second.access_token).cnf as { jkt: string }).jkt).toBe(jkt);
      const res = await oidc.fetchProtectedResource(config, second.access_token, protectedUrl(), 'GET', undefined, undefined, { DPoP });
      expect(res.status).toBe(200);
    });

    it('introspection returns cnf and token_type DPoP; metadata lists dpop_signing_alg_values_supported', async () => {
      const config = await discover(auth, 'svc', oidc.ClientSecretBasic(svcSecret));
      const DPoP = oidc.getDPoPHandle(config, await oidc.randomDPoPKeyPair('ES256'));
      const tokens = await oidc.clientCredentialsGrant(config, { scope: 'resource:read' }, { DPoP });
      const introspection = await oidc.tokenIntrospection(config, tokens.access_token);
      expect(introspection).toMatchObject({ active: true, token_type: 'DPoP', cnf: { jkt: (claimsOf(tokens.access_token).cnf as { jkt: string }).jkt } });
      expect(config.serverMetadata().dpop_signing_alg_values_supported).toContain('ES256');
    });
  });

  describe('the token endpoint', () => {
    let key: TestDpopKey;
    beforeAll(async () => {
      key = await createTestDpopKey('ES256');
    });

    /** The nonce the token endpoint hands out (RFC 9449 §8: use_dpop_nonce with DPoP-Nonce). */
    async function nonce(): Promise<string> {
      const res = await tokenRequest(await key.proof('POST', TOKEN_HTU)).expect(400);
      expect(res.body.error).toBe('use_dpop_nonce');
      return res.headers['dpop-nonce'] as string;
    }
    const tokenRequest = (proof?: string | string[]) => {
      const req = request(auth.url).post('/oauth/token').auth('svc', svcSecret).type('form');
      // An array is sent as two DPoP header lines.
      if (proof !== undefined) req.set('DPoP', proof as string);
      return req.send({ grant_type: 'client_credentials' });
    };

    it('asks for a nonce (400 use_dpop_nonce, DPoP-Nonce), then binds the token and sends the next nonce', async () => {
      const res = await tokenRequest(await key.proof('POST', TOKEN_HTU)).expect(400);
      expect(res.body).toEqual({ error: 'use_dpop_nonce', error_description: 'The DPoP proof must carry the nonce this server sent in DPoP-Nonce' });
      const ok = await tokenRequest(await key.proof('POST', TOKEN_HTU, { nonce: res.headers['dpop-nonce'] as string })).expect(200);
      expect(ok.body.token_type).toBe('DPoP');
      expect(claimsOf(ok.body.access_token as string).cnf).toEqual({ jkt: key.jkt });
      expect(ok.headers['dpop-nonce']).toBe(res.headers['dpop-nonce']);
    });

    it('without a proof: a Bearer token, unless the client is --dpop-bound (400 invalid_dpop_proof)', async () => {
      const plain = await tokenRequest().expect(200);
      expect(plain.body.token_type).toBe('Bearer');
      expect(claimsOf(plain.body.access_token as string)).not.toHaveProperty('cnf');
      const bound = await request(auth.url)
        .post('/oauth/token')
        .auth('bound-svc', boundSecret)
        .type('form')
        .send({ grant_type: 'client_credentials' })
        .expect(400);
      expect(bound.body).toEqual({ error: 'invalid_dpop_proof', error_description: 'Invalid DPoP proof: this client must send a DPoP proof' });
    });

    const negative: Array<[string, (n: string) => Promise<string | string[]>, string]> = [
      ['wrong typ', (n) => key.proof('POST', TOKEN_HTU, { nonce: n, header: { typ: 'JWT' } }), 'the proof "typ" must be dpop+jwt'],
      [
        'a private key in the header',
        (n) => {
          const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
          return key.proof('POST', TOKEN_HTU, { nonce: n, header: { jwk: privateKey.export({ format: 'jwk' }) } });
        },
        'the "jwk" holds private key material',
      ],
      ['a symmetric alg (HS256)', (n) => key.proof('POST', TOKEN_HTU, { nonce: n, header: { alg: 'HS256' } }), 'the proof "alg" must be one of'],
      ['an htm mismatch', (n) => key.proof('GET', TOKEN_HTU, { nonce: n }), 'the proof "htm" does not match the request method'],
      ['an htu mismatch', (n) => key.proof('POST', `${TEST_ISSUER}/oauth/revoke`, { nonce: n }), 'the proof "htu" does not match the request URL'],
      ['a stale iat', (n) => key.proof('POST', TOKEN_HTU, { nonce: n, claims: { iat: Math.floor(Date.now() / 1000) - 120 } }), 'the proof is too old ("iat")'],
      [
        'a future iat',
        (n) => key.proof('POST', TOKEN_HTU, { nonce: n, claims: { iat: Math.floor(Date.now() / 1000) + 120 } }),
        'the proof "iat" is in the future',
      ],
      [
        'two proofs',
        async (n) => [await key.proof('POST', TOKEN_HTU, { nonce: n }), await key.proof('POST', TOKEN_HTU, { nonce: n })],
        'send exactly one DPoP header',
      ],
    ];
    it.each(negative)('refuses %s: 400 invalid_dpop_proof', async (_case, make, description) => {
      const res = await tokenRequest(await make(await nonce())).expect(400);
      expect(res.body.error).toBe('invalid_dpop_proof');
      expect(res.body.error_description).toContain(description);
    });

    it("binds the default client's session too: /auth/refresh (no proof) is refused and consumes nothing", async () => {
      const proof = async (n?: string) => key.proof('POST', TOKEN_HTU, { nonce: n });
      const login = (p: string) =>
        request(auth.url)
          .post('/oauth/token')
          .set('DPoP', p)
          .type('form')
          .send({ grant_type: 'password', client_id: 'default', username: 'carol', password: 'correct horse' });
      const n = (await login(await proof()).expect(400)).headers['dpop-nonce'] as string;
      const tokens = (await login(await proof(n)).expect(200)).body as { refresh_token: string; token_type: string };
      expect(tokens.token_type).toBe('DPoP');
      const refused = await request(auth.url).post('/auth/refresh').send({ refresh_token: tokens.refresh_token }).expect(400);
      expect(refused.body).toMatchObject({ code: 'ERR_INVALID_GRANT', message: 'the refresh token is bound to a DPoP key: send a DPoP proof by it' });
      const refreshed = await request(auth.url)
        .post('/oauth/token')
        .set('DPoP', await proof(n))
        .type('form')
        .send({ grant_type: 'refresh_token', client_id: 'default', refresh_token: tokens.refresh_token })
        .expect(200);
      expect(refreshed.body.token_type).toBe('DPoP');
    });

    it('with DPOP_NONCES=false, a proof without a nonce binds at once', async () => {
      const relaxed = await startAuth({ DPOP_NONCES: 'false' });
      try {
        const secret = await registerClient(relaxed, { id: 'svc', scopes: [] });
        const res = await request(relaxed.url)
          .post('/oauth/token')
          .auth('svc', secret)
          .set('DPoP', await key.proof('POST', TOKEN_HTU))
          .type('form')
          .send({ grant_type: 'client_credentials' })
          .expect(200);
        expect(res.body.token_type).toBe('DPoP');
        expect(res.headers['dpop-nonce']).toBeUndefined();
      } finally {
        await relaxed.close();
      }
    });

    it('refuses a replayed jti: 400 invalid_dpop_proof, the first use only is answered', async () => {
      const proof = await key.proof('POST', TOKEN_HTU, { nonce: await nonce() });
      await tokenRequest(proof).expect(200);
      const res = await tokenRequest(proof).expect(400);
      expect(res.body).toEqual({ error: 'invalid_dpop_proof', error_description: 'Invalid DPoP proof: the proof was used before ("jti")' });
    });
  });

  describe('the resource-service', () => {
    let key: TestDpopKey;
    let other: TestDpopKey;
    let token: string;
    const url = () => `${resource.url}/resource/protected`;
    const dpopGet = (proof: string | undefined, scheme = 'DPoP', path = '/resource/protected') => {
      const req = request(resource.url).get(path).set('Authorization', `${scheme} ${token}`);
      return proof === undefined ? req : req.set('DPoP', proof);
    };

    beforeAll(async () => {
      key = await createTestDpopKey('ES256');
      other = await createTestDpopKey('ES256');
      const n = (
        await request(auth.url)
          .post('/oauth/token')
          .auth('svc', svcSecret)
          .set('DPoP', await key.proof('POST', TOKEN_HTU))
          .type('form')
          .send({ grant_type: 'client_credentials' })
      ).headers['dpop-nonce'] as string;
      const res = await request(auth.url)
        .post('/oauth/token')
        .auth('svc', svcSecret)
        .set('DPoP', await key.proof('POST', TOKEN_HTU, { nonce: n }))
        .type('form')
        .send({ grant_type: 'client_credentials' })
        .expect(200);
      token = res.body.access_token as string;
    });

    it('accepts a good proof', async () => {
      await dpopGet(await key.proof('GET', url(), { accessToken: token })).expect(200);
    });

    const ALGS = 'RS256 RS384 RS512 PS256 PS384 PS512 ES256 ES384 ES512 EdDSA Ed25519';
    const challenge = (error: string, description: string) => `DPoP error="${error}", error_description="${description}", algs="${ALGS}"`;
    const negative: Array<[string, () => Promise<string | undefined>, string, string]> = [
      [
        'a wrong ath',
        () => key.proof('GET', url(), { accessToken: 'another.access.token' }),
        'invalid_dpop_proof',
        'Invalid DPoP proof: the proof ath does not match the access token',
      ],
      [
        'another key',
        () => other.proof('GET', url(), { accessToken: token }),
        'invalid_dpop_proof',
        'Invalid DPoP proof: the proof is signed by another key than the token is bound to',
      ],
      [
        'an htm mismatch',
        () => key.proof('POST', url(), { accessToken: token }),
        'invalid_dpop_proof',
        'Invalid DPoP proof: the proof htm does not match the request method',
      ],
      [
        'an htu mismatch',
        () => key.proof('GET', `${resource.url}/resource/admin`, { accessToken: token }),
        'invalid_dpop_proof',
        'Invalid DPoP proof: the proof htu does not match the request URL',
      ],
      ['no proof', () => Promise.resolve(undefined), 'invalid_dpop_proof', 'Invalid DPoP proof: the request has no DPoP header'],
    ];
    it.each(negative)('refuses %s: 401 with the DPoP challenge', async (_case, make, error, description) => {
      const res = await dpopGet(await make()).expect(401);
      expect(res.headers['www-authenticate']).toBe(challenge(error, description));
      expect(res.body).toMatchObject({ statusCode: 401, code: 'ERR_DPOP_PROOF_INVALID' });
    });

    it('refuses a replayed proof: 401 invalid_dpop_proof', async () => {
      const proof = await key.proof('GET', url(), { accessToken: token });
      await dpopGet(proof).expect(200);
      const res = await dpopGet(proof).expect(401);
      expect(res.headers['www-authenticate']).toBe(challenge('invalid_dpop_proof', 'Invalid DPoP proof: the proof was used before (jti)'));
    });

    it('refuses the bound token sent as Bearer (no downgrade): 401 invalid_token in the DPoP scheme', async () => {
      const res = await dpopGet(undefined, 'Bearer').expect(401);
      expect(res.headers['www-authenticate']).toBe(challenge('invalid_token', 'The access token is invalid'));
      // Even with a good proof beside it.
      await dpopGet(await key.proof('GET', url(), { accessToken: token }), 'Bearer').expect(401);
    });

    it('behind a proxy (PUBLIC_URL) with DPOP_REQUIRED: proofs name the public URL; a bearer token is refused', async () => {
      const publicUrl = 'https://api.example.com/edge';
      const strict = await startResource(`${auth.url}/.well-known/jwks.json`, { env: { PUBLIC_URL: publicUrl, DPOP_REQUIRED: 'true' } });
      try {
        const get = (authorization: string, proof?: string) => {
          const req = request(strict.url).get('/resource/protected').set('Authorization', authorization);
          return proof === undefined ? req : req.set('DPoP', proof);
        };
        await get(`DPoP ${token}`, await key.proof('GET', `${publicUrl}/resource/protected`, { accessToken: token })).expect(200);
        const internal = await get(`DPoP ${token}`, await key.proof('GET', `${strict.url}/resource/protected`, { accessToken: token })).expect(401);
        expect(internal.headers['www-authenticate']).toBe(challenge('invalid_dpop_proof', 'Invalid DPoP proof: the proof htu does not match the request URL'));
        const bearer = (await request(auth.url).post('/oauth/token').auth('svc', svcSecret).type('form').send({ grant_type: 'client_credentials' }).expect(200))
          .body.access_token as string;
        const refused = await get(`Bearer ${bearer}`).expect(401);
        expect(refused.headers['www-authenticate']).toBe(challenge('invalid_token', 'The access token is invalid'));
        expect((await request(strict.url).get('/resource/protected').expect(401)).headers['www-authenticate']).toBe(`DPoP algs="${ALGS}"`);
      } finally {
        await strict.close();
      }
    });

    it('refuses an unbound token sent as DPoP, and a bad token in the DPoP scheme is invalid_token', async () => {
      const bearer = (await request(auth.url).post('/oauth/token').auth('svc', svcSecret).type('form').send({ grant_type: 'client_credentials' }).expect(200))
        .body.access_token as string;
      const res = await request(resource.url)
        .get('/resource/protected')
        .set('Authorization', `DPoP ${bearer}`)
        .set('DPoP', await key.proof('GET', url(), { accessToken: bearer }))
        .expect(401);
      expect(res.headers['www-authenticate']).toBe(challenge('invalid_dpop_proof', 'Invalid DPoP proof: the access token is not DPoP-bound'));
      const forged = await request(resource.url)
        .get('/resource/protected')
        .set('Authorization', 'DPoP a.b.c')
        .set('DPoP', await key.proof('GET', url()))
        .expect(401);
      expect(forged.headers['www-authenticate']).toBe(challenge('invalid_token', 'The access token is invalid'));
    });
  });
});
