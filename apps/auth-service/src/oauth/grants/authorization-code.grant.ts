import type { OAuthTokenResponseDto } from '@app/contracts';
import { InvalidDpopProofError } from '@app/jwt-auth';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AuthorizationCodesService } from '../../codes/authorization-codes.service.js';
import type { StoredCode } from '../../codes/authorization-code.repository.js';
import { pkceMatches } from '../../codes/pkce.js';
import type { Client } from '../../clients/client.entity.js';
import { SsoSessionsService } from '../../sso/sso-sessions.service.js';
import { IdTokenService } from '../../tokens/id-token.service.js';
import { UsersService } from '../../users/users.service.js';
import { invalidRequest, OAuthError } from '../oauth.error.js';
import { TokenGrantsService } from '../token-grants.service.js';
import type { GrantHandler, GrantRequest } from './grant-handler.js';

const invalidGrant = () =>
  new OAuthError('invalid_grant', 'the code is invalid, expired, already used, or was issued for another client, redirect URI or code verifier');

/** Why a claimed code may not be redeemed by this request; undefined when it may. */
function mismatch(code: StoredCode, client: Client, redirectUri: string, verifier: string): string | undefined {
  if (code.clientId !== client.id) return 'another client';
  if (code.redirectUri !== redirectUri) return 'another redirect_uri';
  if (!pkceMatches(verifier, code.codeChallenge)) return 'a wrong code_verifier';
  return undefined;
}

/**
 * RFC 6749 4.1.3 with PKCE (RFC 7636 4.6), OpenID Connect Core 3.1.3: the code is claimed first (one
 * redemption wins; a second use revokes what the first started), then checked against the client,
 * the redirect URI and the verifier. A code bound by `dpop_jkt` (RFC 9449 §10) is claimed only with a
 * proof by that key; without one, or with another key's, 400 `invalid_dpop_proof` and the code is
 * left as it was (docs/dpop.md "Binding the code"). Then a new app session in the code's SSO
 * session, an access token with its `sid`, a refresh token when the client has that grant, and an ID
 * token for `openid`.
 */
@Injectable()
export class AuthorizationCodeGrant implements GrantHandler {
  readonly grantType = 'authorization_code' as const;

  constructor(
    private readonly codes: AuthorizationCodesService,
    private readonly grants: TokenGrantsService,
    private readonly users: UsersService,
    private readonly sso: SsoSessionsService,
    private readonly idTokens: IdTokenService,
  ) {}

  async handle({ client, body, dpop }: GrantRequest): Promise<OAuthTokenResponseDto> {
    if (!body.code || !body.redirect_uri || !body.code_verifier)
      throw invalidRequest('the authorization_code grant needs code, redirect_uri and code_verifier');
    const sessionId = randomUUID();
    const redemption = await this.codes.redeem(body.code, sessionId, dpop?.jkt);
    if (redemption.outcome === 'dpop_mismatch')
      throw new InvalidDpopProofError(
        dpop ? 'the authorization code is bound to another DPoP key' : 'the authorization code is bound to a DPoP key: send a DPoP proof by it',
      );
    if (redemption.outcome !== 'claimed') throw invalidGrant();
    const { code } = redemption;
    if (mismatch(code, client, body.redirect_uri, body.code_verifier)) throw invalidGrant();
    const user = await this.users.findActive(code.userId);
    if (!user || !(await this.sso.findLive(code.ssoSessionId))) throw invalidGrant();
    const grant = { scope: code.scope, audience: code.audience, sessionId, ssoSessionId: code.ssoSessionId };
    const tokens = await this.grants.login(user, client, grant, dpop);
    // A second use of the code that came while this session was being stored has ended it by now.
    if (!(await this.codes.confirm(body.code, sessionId, client.id))) throw invalidGrant();
    const answer: OAuthTokenResponseDto = {
      access_token: tokens.access_token,
      token_type: tokens.token_type,
      expires_in: tokens.expires_in,
      scope: tokens.scope,
    };
    if (client.grantTypes.includes('refresh_token'))
      Object.assign(answer, { refresh_token: tokens.refresh_token, refresh_expires_in: tokens.refresh_expires_in });
    if (code.scope.includes('openid')) {
      answer.id_token = await this.idTokens.issue({
        user,
        clientId: client.id,
        sid: code.ssoSessionId,
        authTime: code.authTime,
        nonce: code.nonce,
        accessToken: tokens.access_token,
        scope: code.scope,
        alg: client.idTokenAlg,
      });
    }
    return answer;
  }
}
