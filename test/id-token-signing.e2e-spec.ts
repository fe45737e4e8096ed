import { compactVerify, createLocalJWKSet, decodeProtectedHeader, type JSONWebKeySet } from 'jose';
import { createHash } from 'node:crypto';
import * as oidc from 'openid-client';
import request from 'supertest';
import { signerFor } from '../apps/auth-service/src/keys/jws-signer.js';
import { KEY_STORE, type KeyStore } from '../apps/auth-service/src/keys/key-store.js';
import { startAuth, tempDir, type RunningAuth } from './support/auth-app.js';
import { authorizeQuery, Browser, pkce, REDIRECT_URI, registerWebClient, signIn } from './support/browser-flow.js';
import { claimsOf, discover } from './support/oauth.js';
import { createTestDatabase, type TestDatabase } from './support/postgres.js';
import { headerOf, managedStore, ManualClock, MINUTE, startResource, type RunningResource } from './support/stack.js';

const SECRET = 'test-only-secret-0123456789abcdefghijklmnop';
const MANAGED = { KEYS_SOURCE: 'managed', KEY_ROTATION_INTERVAL: '1h', KEY_ACTIVATION_DELAY: '5m', KEY_RETENTION: '2h', KEY_SYNC_INTERVAL: '10s' };

interface PublishedKey {
  kid: string;
  alg: string;
}

async function jwksOf(auth: RunningAuth): Promise<{ keys: PublishedKey[] }> {
  return (await request(auth.url).get('/.well-known/jwks.json').expect(200)).body as { keys: PublishedKey[] };
}

/** The signature of `token` checked against `auth`'s JWKS as served (jose: the key's `alg` must match the header's). */
async function verifiesAgainst(auth: RunningAuth, token: string): Promise<boolean> {
  const keySet = createLocalJWKSet((await jwksOf(auth)) as unknown as JSONWebKeySet);
  return compactVerify(token, keySet).then(
    () => true,
    () => false,
  );
}

/** A sign-in over HTTP (the sign-in page, no consent: first-party) and the code redeemed; returns the token answer. */
async function codeFlow(auth: RunningAuth, clientId: string, secret: string, browser = new Browser(auth.url)): Promise<Record<string, string>> {
  const { verifier, challenge } = pkce();
  const callback = await signIn(browser, authorizeQuery(clientId, challenge));
  const response = await fetch(`${auth.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}` },
    body: new URLSearchParams({ grant_type: 'authorization_code', code: callback.get('code')!, redirect_uri: REDIRECT_URI, code_verifier: verifier }),
  });
  if (response.status !== 200) throw new Error(`the code exchange answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as Record<string, string>;
}

/**
 * JWT_ALGORITHM=ES256 with PEM keys: ID tokens are RS256 (OpenID Connect Core §15.1) from a second
 * key published beside the ES256 one, unless the client registered `--id-token-alg ES256`
 * (docs/oidc.md "Tokens"); openid-client is the relying party.
 */
describe('ID tokens with JWT_ALGORITHM=ES256: RS256 from the ID-token key', () => {
  let auth: RunningAuth;
  let pinned: RunningResource;
  let unpinned: RunningResource;
  const secrets: Record<string, string> = {};

  beforeAll(async () => {
    auth = await startAuth({ DEMO_USER: 'testuser:password', JWT_ALGORITHM: 'ES256' });
    pinned = await startResource(`${auth.url}/.well-known/jwks.json`, { env: { JWT_ALGORITHMS: 'ES256' } });
    unpinned = await startResource(`${auth.url}/.well-known/jwks.json`);
    secrets.rp = await registerWebClient(auth, 'rp', { firstParty: true });
    secrets['rp-es'] = await registerWebClient(auth, 'rp-es', { firstParty: true, idTokenAlg: 'ES256' });
    // An app named like the resource-service's audience: its ID tokens' `aud` is the one that service accepts.
    secrets['resource-service'] = await registerWebClient(auth, 'resource-service', { firstParty: true });
  });
  afterAll(async () => {
    await pinned.close();
    await unpinned.close();
    await auth.close();
  });

  /** openid-client's code flow, the browser driven over HTTP; the ID token's signature checked against the JWKS too. */
  async function relyingParty(clientId: string, metadata?: Partial<oidc.ClientMetadata>) {
    const config = await discover(auth, clientId, oidc.ClientSecretBasic(secrets[clientId]), 'oidc', metadata);
    oidc.enableNonRepudiationChecks(config);
    const verifier = oidc.randomPKCECodeVerifier();
    const [state, nonce] = [oidc.randomState(), oidc.randomNonce()];
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT_URI,
      scope: 'openid profile',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    const browser = new Browser(auth.url);
    const callback = await signIn(browser, `${url.pathname}${url.search}`);
    const tokens = await oidc.authorizationCodeGrant(config, new URL(`${REDIRECT_URI}?${callback}`), {
      pkceCodeVerifier: verifier,
      expectedState: state,
      expectedNonce: nonce,
    });
    return { tokens, browser, config };
  }

  it('publishes both keys and says which algorithms ID tokens are signed with: RS256 first, then JWT_ALGORITHM', async () => {
    const keys = auth.app.get<KeyStore>(KEY_STORE);
    expect((await jwksOf(auth)).keys.map(({ kid, alg }) => ({ kid, alg }))).toEqual([
      { kid: keys.signingKey()!.kid, alg: 'ES256' },
      { kid: keys.idTokenKey()!.kid, alg: 'RS256' },
    ]);
    const metadata = (await request(auth.url).get('/.well-known/openid-configuration').expect(200)).body as Record<string, unknown>;
    expect(metadata.id_token_signing_alg_values_supported).toEqual(['RS256', 'ES256']);
  });

  it('openid-client with its defaults, and one that accepts RS256 only, gets an RS256 ID token it validates; the access token stays ES256', async () => {
    for (const metadata of [undefined, { id_token_signed_response_alg: 'RS256' }]) {
      const { tokens, config } = await relyingParty('rp', metadata);
      const idToken = tokens.id_token!;
      expect(decodeProtectedHeader(idToken)).toEqual({ alg: 'RS256', kid: auth.app.get<KeyStore>(KEY_STORE).idTokenKey()!.kid, typ: 'JWT' });
      expect(headerOf(tokens.access_token).alg).toBe('ES256');
      expect(tokens.claims()).toMatchObject({ aud: 'rp', nonce: expect.any(String), preferred_username: 'testuser' });
      expect(claimsOf(idToken).at_hash).toBe(createHash('sha256').update(tokens.access_token).digest().subarray(0, 16).toString('base64url'));
      expect(await oidc.fetchUserInfo(config, tokens.access_token, tokens.claims()!.sub)).toMatchObject({ preferred_username: 'testuser' });
    }
  });

  it('a client registered --id-token-alg ES256 gets ES256 ID tokens from the signing key (openid-client told so)', async () => {
    const { tokens } = await relyingParty('rp-es', { id_token_signed_response_alg: 'ES256' });
    expect(decodeProtectedHeader(tokens.id_token!)).toEqual({ alg: 'ES256', kid: headerOf(tokens.access_token).kid, typ: 'JWT' });
    expect(tokens.claims()).toMatchObject({ aud: 'rp-es' });
    // An RP that expects the default, RS256, refuses it: the registration is a promise to the client.
    const refused = (await relyingParty('rp-es', { id_token_signed_response_alg: 'RS256' }).catch((error: unknown) => error)) as Error;
    expect(refused.cause).toMatchObject({ message: 'unexpected JWT "alg" header parameter', cause: { header: { alg: 'ES256' }, expected: 'RS256' } });
  });

  it('the ID token is never an access token, and the ID-token key verifies no access token where algorithms are pinned', async () => {
    const { tokens } = await relyingParty('resource-service');
    expect(claimsOf(tokens.id_token!).aud).toBe('resource-service'); // only its typ (JWT, not at+jwt) tells it apart
    for (const resource of [pinned, unpinned]) {
      await request(resource.url).get('/resource/protected').auth(tokens.id_token!, { type: 'bearer' }).expect(401);
      await request(resource.url).get('/resource/protected').auth(tokens.access_token, { type: 'bearer' }).expect(200);
    }
    await request(auth.url).get('/oauth/userinfo').auth(tokens.id_token!, { type: 'bearer' }).expect(401);
    // Typed as an ID token (typ JWT) yet carrying every access-token claim, signed by either key: the typ alone refuses it.
    const keys = auth.app.get<KeyStore>(KEY_STORE);
    for (const key of [keys.signingKey()!, keys.idTokenKey()!]) {
      const typedAsIdToken = await signerFor(key, 'JWT')(claimsOf(tokens.access_token));
      await request(unpinned.url).get('/resource/protected').auth(typedAsIdToken, { type: 'bearer' }).expect(401);
    }
    // The access token's claims signed by the ID-token key as an access token (typ at+jwt): only the
    // auth-service holds that key; a verifier pinned to JWT_ALGORITHM refuses it all the same.
    const forged = await signerFor(keys.idTokenKey()!)(claimsOf(tokens.access_token));
    expect(headerOf(forged).alg).toBe('RS256');
    const refusal = await request(pinned.url).get('/resource/protected').auth(forged, { type: 'bearer' }).expect(401);
    expect(refusal.headers['www-authenticate']).toContain('error="invalid_token"');
  });

  it('a logout hint signed by either key ends the session and redirects to the registered URI', async () => {
    for (const [clientId, metadata] of [
      ['rp', undefined],
      ['rp-es', { id_token_signed_response_alg: 'ES256' }],
    ] as const) {
      const { tokens, browser, config } = await relyingParty(clientId, metadata);
      const end = oidc.buildEndSessionUrl(config, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: 'http://127.0.0.1:9/bye', state: 'bye' });
      const answer = await browser.get(`${end.pathname}${end.search}`);
      expect([answer.status, answer.headers.get('location')]).toEqual([303, 'http://127.0.0.1:9/bye?state=bye']);
    }
  });
});

/** Managed keys and JWT_ALGORITHM=ES256: the ID-token key lives in the key table like the signing key. */
describe('ID tokens with managed keys and JWT_ALGORITHM=ES256', () => {
  it('a restart keeps the shared ID-token key: the same key signs ID tokens and the JWKS is the same', async () => {
    const clock = new ManualClock();
    const { dir, remove } = await tempDir();
    const env = { ...MANAGED, KEYS_ENCRYPTION_SECRET: SECRET, JWT_ALGORITHM: 'ES256', DEMO_USER: 'testuser:password' };
    let auth = await startAuth(env, { clock, dir });
    try {
      const secret = await registerWebClient(auth, 'rp', { firstParty: true });
      const before = await codeFlow(auth, 'rp', secret);
      const jwks = await jwksOf(auth);
      expect(jwks.keys.map((k) => k.alg).sort()).toEqual(['ES256', 'RS256']);
      expect(headerOf(before.id_token)).toMatchObject({ alg: 'RS256', kid: managedStore(auth).idTokenKey()!.kid });
      await auth.close();

      clock.advance(MINUTE);
      auth = await startAuth(env, { clock, dir });
      expect(await jwksOf(auth)).toEqual(jwks);
      const after = await codeFlow(auth, 'rp', secret);
      expect(headerOf(after.id_token).kid).toBe(headerOf(before.id_token).kid);
      expect(headerOf(after.access_token).kid).toBe(headerOf(before.access_token).kid);
    } finally {
      await auth.close();
      await remove();
    }
  });

  it('the ID-token key rotates on the signing key schedule, published KEY_ACTIVATION_DELAY before it signs', async () => {
    const clock = new ManualClock();
    const { dir, remove } = await tempDir();
    const auth = await startAuth({ ...MANAGED, KEYS_ENCRYPTION_SECRET: SECRET, JWT_ALGORITHM: 'ES256', DEMO_USER: 'testuser:password' }, { clock, dir });
    try {
      const secret = await registerWebClient(auth, 'rp', { firstParty: true });
      const first = headerOf((await codeFlow(auth, 'rp', secret)).id_token).kid;
      clock.advance(55 * MINUTE);
      await managedStore(auth).sync();
      const rsaKeys = (await jwksOf(auth)).keys.filter((k) => k.alg === 'RS256').map((k) => k.kid);
      expect(rsaKeys).toHaveLength(2);
      const next = rsaKeys.find((kid) => kid !== first)!;
      expect(headerOf((await codeFlow(auth, 'rp', secret)).id_token).kid).toBe(first); // published, not signing yet
      clock.advance(5 * MINUTE);
      await managedStore(auth).sync();
      const rotated = await codeFlow(auth, 'rp', secret);
      expect(headerOf(rotated.id_token).kid).toBe(next);
      expect(await verifiesAgainst(auth, rotated.id_token)).toBe(true);
    } finally {
      await auth.close();
      await remove();
    }
  });

  describe('two replicas on PostgreSQL', () => {
    let db: TestDatabase;
    let dir: { dir: string; remove: () => Promise<void> };

    beforeEach(async () => {
      db = await createTestDatabase();
      dir = await tempDir();
    });
    afterEach(async () => {
      await db.drop();
      await dir.remove();
    });

    it.each([
      ['a shared key set', { KEYS_ENCRYPTION_SECRET: SECRET }],
      ['per-replica keys', {}],
    ])('%s: each ID token verifies against the other replica', async (_mode, extra) => {
      const clock = new ManualClock();
      const env = { ...MANAGED, ...extra, DATABASE_URL: db.url, JWT_ALGORITHM: 'ES256', DEMO_USER: 'testuser:password' };
      const a = await startAuth(env, { clock, dir: dir.dir });
      const b = await startAuth(env, { clock, dir: dir.dir });
      try {
        await managedStore(a).sync();
        // A replica joining while another signs waits two sync intervals before its own keys sign (per-replica mode).
        clock.advance(20_000);
        await Promise.all([managedStore(a).sync(), managedStore(b).sync()]);
        expect(await jwksOf(a)).toEqual(await jwksOf(b));
        const secret = await registerWebClient(a, 'rp', { firstParty: true });
        const onA = new Browser(a.url);
        const fromA = await codeFlow(a, 'rp', secret, onA);
        const fromB = await codeFlow(b, 'rp', secret, onA.at(b.url));
        expect([headerOf(fromA.id_token).alg, headerOf(fromB.id_token).alg]).toEqual(['RS256', 'RS256']);
        expect(await verifiesAgainst(b, fromA.id_token)).toBe(true);
        expect(await verifiesAgainst(a, fromB.id_token)).toBe(true);
        const sameKey = headerOf(fromA.id_token).kid === headerOf(fromB.id_token).kid;
        expect(sameKey).toBe('KEYS_ENCRYPTION_SECRET' in extra);
      } finally {
        await a.close();
        await b.close();
      }
    });
  });
});
