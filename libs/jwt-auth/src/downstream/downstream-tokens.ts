import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { ACCESS_TOKEN_TYPE_URN, type AuthenticatedCaller, isAuthenticatedClient, TOKEN_EXCHANGE_GRANT_TYPE } from '@app/contracts';
import { bearerToken } from '../bearer/bearer-token.js';
import type { BearerRequest } from '../bearer/bearer-authenticator.js';
import type { JwtAuthClientSettings, JwtAuthClock, JwtAuthSettings } from '../interfaces/jwt-auth-options.interface.js';
import { JWT_AUTH_CLOCK, JWT_AUTH_SETTINGS } from '../jwt-auth.constants.js';
import { DownstreamTokenError, JwtAuthOptionsError, TokenMissingError } from '../jwt-auth.errors.js';
import { advertisedEndpoint, fetchIssuerMetadata } from '../revocation/issuer-metadata-fetcher.js';
import { issuerMetadataUris } from '../revocation/issuer-metadata-uris.js';
import { type CachedToken, TokenCache } from './token-cache.js';
import { requestToken, type TokenAnswer } from './token-request.js';

/** Largest metadata document read to find the token endpoint (as for the revocation feed's discovery). */
const MAX_METADATA_BYTES = 64 * 1024;

/** A request `JwtAuthGuard` let in: its bearer token and the caller it verified. */
export type AuthenticatedRequest = BearerRequest & { user?: AuthenticatedCaller };

/**
 * Tokens to call the next service (docs/service-chains.md), as the service's own client at the issuer
 * (`JwtAuthModule.forRoot({ client: { id, secret } })`):
 * - `forUser(request, audience)`: the request's verified user token exchanged (RFC 8693) for one meant
 *   for `audience`, still naming the user, with this service in its `act`;
 * - `forService(audience)`: a client-credentials token of the service itself.
 * Each is kept until shortly before it expires (`client.refreshBefore`), per SHA-256 of the subject
 * token and audience (a user's) or per audience (the service's), at most `client.cacheSize` of them,
 * the least recently used dropped first; concurrent calls for one key share one request. When the
 * next hop answers 401 to a token, `invalidate(token)` drops it and the next call fetches a new one.
 * The token endpoint is the issuer's metadata `token_endpoint`, read once, unless `client.tokenEndpoint` names it.
 */
@Injectable()
export class DownstreamTokens {
  private readonly cache: TokenCache;
  private endpoint?: Promise<string>;

  constructor(
    @Inject(JWT_AUTH_SETTINGS) private readonly settings: JwtAuthSettings,
    @Inject(JWT_AUTH_CLOCK) private readonly clock: JwtAuthClock,
  ) {
    this.cache = new TokenCache(settings.client?.cacheSize ?? 1);
  }

  /** A token for `audience` acting for the user of `request` (which `JwtAuthGuard` authenticated). */
  async forUser(request: AuthenticatedRequest, audience: string): Promise<string> {
    const client = this.client();
    const subject = bearerToken(request);
    if (!subject || !request.user) throw new TokenMissingError();
    if (isAuthenticatedClient(request.user)) {
      throw new DownstreamTokenError('forUser needs a user token; a client-credentials caller is served with forService', 'invalid_grant');
    }
    const key = `user\n${createHash('sha256').update(subject).digest('base64url')}\n${audience}`;
    return this.cache.get(key, this.clock(), () =>
      this.fetch(client, {
        grant_type: TOKEN_EXCHANGE_GRANT_TYPE,
        subject_token: subject,
        subject_token_type: ACCESS_TOKEN_TYPE_URN,
        audience,
      }),
    );
  }

  /** A client-credentials token of this service for `audience`. */
  async forService(audience: string): Promise<string> {
    const client = this.client();
    return this.cache.get(`service\n${audience}`, this.clock(), () => this.fetch(client, { grant_type: 'client_credentials', audience }));
  }

  /** Drops `token` (the next hop refused it with 401): the next call for its user and audience fetches a new one. */
  invalidate(token: string): boolean {
    return this.cache.drop(token);
  }

  /** Tokens kept now. */
  get size(): number {
    return this.cache.size;
  }

  private client(): JwtAuthClientSettings {
    if (!this.settings.client) throw new JwtAuthOptionsError('client', 'must be set ({ id, secret }) to get downstream tokens');
    return this.settings.client;
  }

  private async fetch(client: JwtAuthClientSettings, form: Record<string, string>): Promise<CachedToken> {
    const answer: TokenAnswer = await requestToken(await this.tokenEndpoint(client), client, form);
    const now = this.clock();
    const expiresAt = now + answer.expiresInMs;
    return { token: answer.accessToken, expiresAt, refreshAt: expiresAt - Math.min(client.refreshBefore, answer.expiresInMs / 2) };
  }

  /** `client.tokenEndpoint`, else the issuer's metadata `token_endpoint`, read once (again after a failed read). */
  private tokenEndpoint(client: JwtAuthClientSettings): Promise<string> {
    if (client.tokenEndpoint) return Promise.resolve(client.tokenEndpoint);
    this.endpoint ??= this.discover(client).catch((error: unknown) => {
      this.endpoint = undefined;
      throw error;
    });
    return this.endpoint;
  }

  private async discover(client: JwtAuthClientSettings): Promise<string> {
    const problems: string[] = [];
    for (const uri of issuerMetadataUris(this.settings.issuer)) {
      try {
        const document = await fetchIssuerMetadata(uri, { timeoutMs: client.timeout, maxBytes: MAX_METADATA_BYTES, issuer: this.settings.issuer });
        const endpoint = advertisedEndpoint(document, 'token_endpoint', uri);
        if (endpoint) return endpoint;
        problems.push(`${uri}: no token_endpoint`);
      } catch (error: unknown) {
        problems.push(`${uri}: ${(error as Error).message}`);
      }
    }
    throw new DownstreamTokenError(`the issuer's token endpoint is unknown (${problems.join('; ') || 'the issuer is not an http(s) URL'})`);
  }
}
