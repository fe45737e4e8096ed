import * as oidc from 'openid-client';
import { ClientsService, type NewClient } from '../../apps/auth-service/src/clients/clients.service.js';
import type { RunningAuth } from './auth-app.js';

/** The issuer every auth-service under test names; requests to it are sent to the real listen(0) address. */
export const TEST_ISSUER = 'http://localhost:3000';

/** Registers a client straight through the service (as the CLI does); returns its secret when confidential. */
export async function registerClient(auth: RunningAuth, spec: Partial<NewClient> & { id: string }): Promise<string> {
  const { secret } = await auth.app
    .get(ClientsService)
    .register({ grantTypes: ['client_credentials'], scopes: [], audiences: [], serves: [], introspect: false, dpopBound: false, public: false, ...spec });
  return secret ?? '';
}

/**
 * openid-client's discovery against the running auth-service: metadata from the well-known document
 * (`oidc` = openid-configuration, `oauth2` = RFC 8414), then every request of the returned
 * Configuration goes to the endpoints it names, rewritten from TEST_ISSUER to the real address.
 * `metadata`: the client's own (OpenID Connect Registration), such as `id_token_signed_response_alg`.
 */
export function discover(
  auth: RunningAuth,
  clientId: string,
  clientAuth: oidc.ClientAuth,
  algorithm: 'oidc' | 'oauth2' = 'oidc',
  metadata?: Partial<oidc.ClientMetadata>,
): Promise<oidc.Configuration> {
  const rewrite: oidc.CustomFetch = (url, options) => fetch(url.replace(TEST_ISSUER, auth.url), options as RequestInit);
  return oidc.discovery(new URL(TEST_ISSUER), clientId, metadata, clientAuth, {
    algorithm,
    execute: [oidc.allowInsecureRequests],
    [oidc.customFetch]: rewrite,
  });
}

/** The RFC 6749 5.2 error openid-client threw, with the HTTP status and the body as it came. */
export async function oauthError(promise: Promise<unknown>): Promise<{ status: number; error: string; body: unknown; headers?: Headers }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof oidc.ResponseBodyError) return { status: error.status, error: error.error, body: error.cause, headers: error.response.headers };
    // A 401 with WWW-Authenticate is reported as the challenge; the RFC 6749 body is still on the response.
    if (error instanceof oidc.WWWAuthenticateChallengeError) {
      const body = (await error.response.json()) as { error: string };
      return { status: error.status, error: body.error, body, headers: error.response.headers };
    }
    throw error;
  }
  throw new Error('expected an OAuth error answer');
}

/** The claims of a JWS, unverified (the tests check what was signed). */
export function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as Record<string, unknown>;
}
