import { ACCESS_TOKEN_TYPE_URN, type ActorClaim, MAX_ACT_DEPTH, type OAuthTokenResponseDto, TOKEN_EXCHANGE_GRANT_TYPE } from '@app/contracts';
import { Inject, Injectable } from '@nestjs/common';
import type { JWTPayload } from 'jose';
import { servedAudiences } from '../../clients/client.entity.js';
import { CLOCK, type Clock } from '../../time/clock.js';
import { TokenService } from '../../tokens/token.service.js';
import { grantScope, invalidTarget, requestedAudience } from '../grant-policy.js';
import { LiveAccessTokens } from '../live-access-tokens.js';
import { invalidRequest, OAuthError } from '../oauth.error.js';
import type { GrantHandler, GrantRequest } from './grant-handler.js';

const invalidGrant = (description: string) => new OAuthError('invalid_grant', description);

/**
 * RFC 8693 token exchange for service chains (docs/service-chains.md): a service that received a
 * user's access token gets a new one for the next hop, narrower, still naming the user, with `act`
 * saying who acts. Deny by default: the subject token must be live (our keys, times, the revocation
 * feed, its session and client) and meant for a service this client serves; the next hop must be one
 * of the client's registered audiences; the scope stays within the subject's and the client's; the
 * token never outlives the subject token; the `act` chain is at most MAX_ACT_DEPTH deep. No refresh
 * token: the caller exchanges again with the user's next token.
 *
 * DPoP (RFC 9449): a bound subject token is accepted when its `aud` names the exchanger (which cannot
 * prove the user's key); its `cnf` is not carried over. The new token is bound to the exchanger's own
 * proof when it sends one (`token_type: DPoP`).
 */
@Injectable()
export class TokenExchangeGrant implements GrantHandler {
  readonly grantType = TOKEN_EXCHANGE_GRANT_TYPE;

  constructor(
    private readonly tokens: TokenService,
    private readonly subjects: LiveAccessTokens,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async handle({ client, body, dpop }: GrantRequest): Promise<OAuthTokenResponseDto> {
    if (body.actor_token !== undefined || body.actor_token_type !== undefined) {
      throw invalidRequest('actor_token is not supported: the authenticated client is the actor');
    }
    if (body.requested_token_type !== undefined && body.requested_token_type !== ACCESS_TOKEN_TYPE_URN) {
      throw invalidRequest(`requested_token_type must be ${ACCESS_TOKEN_TYPE_URN}`);
    }
    if (!body.subject_token) throw invalidRequest('token exchange needs subject_token');
    if (body.subject_token_type !== ACCESS_TOKEN_TYPE_URN) throw invalidRequest(`subject_token_type must be ${ACCESS_TOKEN_TYPE_URN}`);
    const audience = requestedAudience(body);
    if (audience === undefined) throw invalidRequest('token exchange needs audience or resource: the next hop');
    if (!client.audiences.includes(audience)) throw invalidTarget();

    const subject = await this.subjects.readLive(body.subject_token);
    if (!subject) throw invalidGrant('the subject token is invalid, expired or revoked');
    const aud = Array.isArray(subject.aud) ? subject.aud : [subject.aud];
    if (!servedAudiences(client).some((served) => aud.includes(served))) {
      throw invalidGrant('the subject token was not issued for a service this client serves');
    }
    if (typeof subject.username !== 'string' || typeof subject.sub !== 'string') {
      throw invalidGrant('only user tokens are exchanged; a service acting for itself uses client credentials');
    }
    const notAfter = subject.exp!;
    if (notAfter <= Math.floor(this.clock.now() / 1000)) throw invalidGrant('the subject token is invalid, expired or revoked');
    const act: ActorClaim = subject.act === undefined ? { sub: client.id } : { sub: client.id, act: subject.act as ActorClaim };
    if (actDepth(act) > MAX_ACT_DEPTH) throw invalidGrant(`the chain of services acting for the user is limited to ${MAX_ACT_DEPTH}`);

    const subjectScopes = typeof subject.scope === 'string' ? subject.scope.split(' ').filter(Boolean) : [];
    const allowed = client.scopes === null ? subjectScopes : subjectScopes.filter((s) => client.scopes!.includes(s));
    const scope = grantScope(body.scope, allowed);
    const access = await this.tokens.issue({
      kind: 'exchanged',
      user: { id: subject.sub, username: subject.username },
      sessionId: typeof subject.sid === 'string' ? subject.sid : undefined,
      clientId: client.id,
      scope,
      audience,
      act,
      notAfter,
      dpopJkt: dpop?.jkt,
    });
    return {
      access_token: access.token,
      issued_token_type: ACCESS_TOKEN_TYPE_URN,
      token_type: access.tokenType,
      expires_in: access.expiresIn,
      scope: access.scope,
    };
  }
}

/** How deep an `act` chain nests (1 for `{sub}`); a chain of our own tokens, so only its depth is counted. */
function actDepth(act: JWTPayload['act'] | ActorClaim): number {
  let depth = 0;
  for (let level = act as ActorClaim | undefined; level && typeof level === 'object'; level = level.act) depth++;
  return depth;
}
