import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ActorClaim, JwsAlgorithm } from '@app/contracts';
import { createTestKey, signAccessToken, TEST_AUDIENCE } from './jwks-fixture.js';
import { createTestDpopKey, type TestDpopKey } from './test-dpop-key.js';
import { TEST_REVOCATION_FEED_PATH, TestRevocationFeed, type TestRevocation } from './test-revocation-feed.js';

export interface TestIssuerOptions {
  /** The `aud` of signed tokens (default `resource-service`). */
  audience?: string;
  /** The signing key's algorithm (default `ES256`; any of `SUPPORTED_ALGORITHMS`). */
  algorithm?: JwsAlgorithm;
  /**
   * Serve a revocation feed at `/oauth/revocations` (the auth-service's format) and advertise it in the
   * metadata as `revocation_feed_endpoint`, so `forRoot({ issuer })` discovers it; `revoke()` adds to
   * it. Default false: no feed, and the metadata names none.
   */
  revocations?: boolean;
}

export interface TestSignOptions {
  /** The header's `kid` (default: the published key's): another one forges a token for an unknown key. */
  kid?: string;
  /** Header parameters to set or override; `undefined` leaves one out (e.g. `{ typ: undefined }`). */
  header?: Record<string, unknown>;
  /** Bind the token to this DPoP key (`cnf: { jkt }`): it then works only with its proofs, `Authorization: DPoP`. */
  dpop?: TestDpopKey;
}

export interface TestIssuer {
  /** `http://127.0.0.1:<port>`: pass it as `issuer` to `JwtAuthModule.forRoot`. */
  readonly issuer: string;
  readonly jwksUri: string;
  readonly audience: string;
  /** `${issuer}/oauth/revocations` with `{ revocations: true }`; undefined without. */
  readonly revocationFeedUri: string | undefined;
  /**
   * A token of the auth-service's claim set (`sub` user-42, `username` testuser, `scope`
   * resource:read, valid 15 minutes from now), each claim overridable: `{ exp }`, `{ aud }`, `{ scope }`...
   */
  sign(claims?: Record<string, unknown>, options?: TestSignOptions): Promise<string>;
  /**
   * An exchanged token (RFC 8693, as the auth-service's token exchange issues it) for a chain of
   * services, the nearest first: `signExchanged(['billing', 'orders'])` is the token billing got to
   * call this service for the user, with `client_id` billing and `act: {sub: 'billing', act: {sub:
   * 'orders'}}` (`@CurrentUser()` then has `actor`). Other claims as `sign`, each overridable.
   */
  signExchanged(actors: readonly string[], claims?: Record<string, unknown>, options?: TestSignOptions): Promise<string>;
  /**
   * Lists a session (`{ sid }`: its tokens), a token (`{ jti }`) or a client (`{ client_id }`: its
   * tokens issued until now) in the feed; verifiers refuse them from their next poll. Needs `{ revocations: true }`.
   */
  revoke(target: TestRevocation): void;
  /**
   * A client's DPoP key (default ES256): `key.proof(method, url, { accessToken })` signs the proof
   * for one request, `sign({}, { dpop: key })` a token bound to it (docs/dpop.md "Testing").
   */
  dpop(algorithm?: JwsAlgorithm): Promise<TestDpopKey>;
  /** Stops the server. */
  close(): Promise<void>;
}

/**
 * An issuer for a consumer's own e2e tests: a real key pair, and on 127.0.0.1 (an ephemeral port)
 * its JWKS at `/.well-known/jwks.json` and its metadata at `/.well-known/oauth-authorization-server`,
 * so `JwtAuthModule.forRoot({ issuer: kit.issuer, audience: kit.audience })` works unchanged; with
 * `{ revocations: true }` also its revocation feed, which that verifier then discovers and polls.
 */
export async function createTestIssuer(options: TestIssuerOptions = {}): Promise<TestIssuer> {
  const audience = options.audience ?? TEST_AUDIENCE;
  const key = await createTestKey(options.algorithm ?? 'ES256');
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const jwksUri = `${issuer}/.well-known/jwks.json`;
  const feed = options.revocations ? new TestRevocationFeed(issuer) : undefined;
  const revocationFeedUri = feed ? `${issuer}${TEST_REVOCATION_FEED_PATH}` : undefined;
  const metadata = { issuer, jwks_uri: jwksUri, id_token_signing_alg_values_supported: [key.alg], revocation_feed_endpoint: revocationFeedUri };
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const path = (request.url ?? '').split('?')[0];
    if (feed && path === TEST_REVOCATION_FEED_PATH) return feed.answer(request, response);
    const body = path === '/.well-known/jwks.json' ? { keys: [key.publicJwk] } : path === '/.well-known/oauth-authorization-server' ? metadata : undefined;
    response.writeHead(body ? 200 : 404, { 'content-type': 'application/json' }).end(JSON.stringify(body ?? { error: 'not found' }));
  });
  const sign = (claims: Record<string, unknown> = {}, signOptions: TestSignOptions = {}) =>
    signAccessToken(key, {
      claims: { iss: issuer, aud: audience, ...(signOptions.dpop === undefined ? {} : { cnf: { jkt: signOptions.dpop.jkt } }), ...claims },
      header: { ...(signOptions.kid === undefined ? {} : { kid: signOptions.kid }), ...signOptions.header },
    });
  return {
    issuer,
    jwksUri,
    audience,
    revocationFeedUri,
    sign,
    signExchanged: (actors, claims = {}, signOptions = {}) => {
      if (actors.length === 0) throw new TypeError('signExchanged needs at least one acting service');
      const act = actors.reduceRight<ActorClaim | undefined>((before, sub) => (before ? { sub, act: before } : { sub }), undefined);
      return sign({ client_id: actors[0], act, ...claims }, signOptions);
    },
    dpop: (algorithm) => createTestDpopKey(algorithm),
    revoke: (target) => {
      if (!feed) throw new Error('this test issuer serves no revocation feed: create it with createTestIssuer({ revocations: true })');
      feed.revoke(target);
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
