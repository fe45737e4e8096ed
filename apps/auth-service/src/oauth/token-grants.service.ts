import type { TokenResponseDto } from '@app/contracts';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { type Client, DEFAULT_CLIENT } from '../clients/client.entity.js';
import { ClientsService } from '../clients/clients.service.js';
import { type IssuedRefreshToken, type RefreshOutcome, SessionsService } from '../sessions/sessions.service.js';
import { LoginThrottle } from '../throttling/login-throttle.service.js';
import { DEFAULT_SCOPES, type User } from '../users/user.entity.js';
import { UsersService } from '../users/users.service.js';
import { type IssuedAccessToken, TokenService } from '../tokens/token.service.js';
import { TooManyRequestsException } from '../http/too-many-requests.exception.js';
import { AuthMetrics } from '../metrics/auth-metrics.js';
import { InvalidCredentialsError, InvalidRefreshTokenError } from './grant-errors.js';
import type { DpopBinding } from '../dpop/token-endpoint-proofs.js';
import { OAuthError } from './oauth.error.js';
import { registrationScopesOf } from '../consent/granted-scope.js';

export type RefreshResult = { outcome: 'rotated'; tokens: TokenResponseDto } | { outcome: Exclude<RefreshOutcome, 'rotated'> };

/** What a user token of a session carries: its scopes and (unless the default) its audience. */
export interface UserGrant {
  scope: string[];
  audience?: string;
  /** Browser sign-in: the session id chosen before the code was claimed, and the SSO session it belongs to. */
  sessionId?: string;
  ssoSessionId?: string;
}

/** The scopes a user may have through a client: the user's, limited to the client's when it has a list. */
export function userScopesVia(user: User, client: Client): string[] {
  return client.scopes === null ? user.scopes : user.scopes.filter((s) => client.scopes!.includes(s));
}

/**
 * The scopes a session was granted. A session started before the grant was stored (a NULL `scope`,
 * only ever the `default` client's) may have been narrowed at its start and we cannot tell: it gets
 * the scopes every account starts with (DEFAULT_SCOPES), never more; a privileged scope takes a new
 * sign-in (docs/sessions.md "Scope").
 */
function grantedScope(stored: string | undefined): string[] {
  return stored === undefined ? DEFAULT_SCOPES : stored.split(' ').filter(Boolean);
}

function pair(access: IssuedAccessToken, refresh: IssuedRefreshToken): TokenResponseDto {
  return {
    access_token: access.token,
    token_type: access.tokenType,
    expires_in: access.expiresIn,
    scope: access.scope,
    refresh_token: refresh.token,
    refresh_expires_in: refresh.expiresIn,
  };
}

/**
 * The user grants behind both doors, `/auth/*` (the built-in `default` client) and `/oauth/token`:
 * the throttled password check, the start of a session, and its refresh.
 */
@Injectable()
export class TokenGrantsService {
  constructor(
    private readonly users: UsersService,
    private readonly tokens: TokenService,
    private readonly sessions: SessionsService,
    private readonly clients: ClientsService,
    private readonly throttle: LoginThrottle,
    private readonly metrics: AuthMetrics,
  ) {}

  /**
   * The user whose password this is, with the brute-force defence around the check; throws
   * TooManyRequestsException (429, the account not disclosed) or InvalidCredentialsError.
   */
  async checkPassword(username: string, password: string, address: string): Promise<User> {
    const waitMs = await this.throttle.beforeLogin(username, address);
    if (waitMs > 0) throw new TooManyRequestsException(waitMs);
    const user = await this.users.authenticate(username, password);
    if (!user) {
      await this.throttle.loginFailed(address);
      throw new InvalidCredentialsError();
    }
    await this.throttle.loginSucceeded(username);
    return user;
  }

  /**
   * For a user whose password was just checked: an access token and the first refresh token of a new
   * session, both bound to `dpop` when given; a public client's session keeps the key, so that every
   * refresh needs a proof by it (RFC 9449 §5; a confidential client's refresh is bound by its secret).
   */
  async login(
    user: User,
    client: Client = DEFAULT_CLIENT,
    grant: UserGrant = { scope: userScopesVia(user, client) },
    dpop?: DpopBinding,
  ): Promise<TokenResponseDto> {
    // The session id is the token's `sid`; the token is signed before the session is stored, so a
    // failed signature leaves nothing behind.
    const sessionId = grant.sessionId ?? randomUUID();
    const access = await this.tokens.issue({
      kind: 'user',
      user,
      clientId: client.id,
      sessionId,
      scope: grant.scope,
      audience: grant.audience,
      dpopJkt: dpop?.jkt,
    });
    // What was granted is stored, always: a refresh never gives more (RFC 6749 §6).
    const bindSession = client.public ? dpop?.jkt : undefined;
    return pair(
      access,
      await this.sessions.start(
        user.id,
        { clientId: client.id, scope: grant.scope.join(' '), audience: grant.audience, dpopJkt: bindSession, ssoSessionId: grant.ssoSessionId },
        sessionId,
      ),
    );
  }

  /**
   * What both doors answer to a refresh token: the new pair, or `InvalidRefreshTokenError` for every
   * other outcome (counted by outcome in the metrics, one answer to the client).
   */
  async refreshOrRefuse(presented: string, client?: Client, narrow?: (granted: string[]) => string[], dpop?: DpopBinding): Promise<TokenResponseDto> {
    const result = await this.refresh(presented, client, narrow, dpop);
    this.metrics.refresh(result.outcome);
    if (result.outcome !== 'rotated') throw new InvalidRefreshTokenError(result.outcome);
    return result.tokens;
  }

  /**
   * Exchanges a refresh token of `client` for a new pair; anything but `rotated` is an `invalid_grant`.
   * A token of another client, or of a client since disabled or removed, is refused. `narrow` may
   * limit (or refuse, by throwing) the scopes of this access token; it runs before anything changes.
   * The new access token is bound to `dpop` when given. A session bound to a DPoP key (a public
   * client's, docs/dpop.md) needs `dpop` of that very key: without it, or with another key's, the
   * refresh is refused with `invalid_grant` before anything changes (no rotation, no reuse detection:
   * the session lives on for the key's holder).
   */
  async refresh(presented: string, client: Client = DEFAULT_CLIENT, narrow?: (granted: string[]) => string[], dpop?: DpopBinding): Promise<RefreshResult> {
    const found = await this.sessions.inspect(presented);
    if (found.outcome !== 'active') return found;
    const { session } = found;
    if (session.clientId !== client.id) return { outcome: 'invalid' };
    if (session.dpopJkt !== undefined && session.dpopJkt !== dpop?.jkt) {
      throw new OAuthError(
        'invalid_grant',
        dpop === undefined ? 'the refresh token is bound to a DPoP key: send a DPoP proof by it' : 'the refresh token is bound to another DPoP key',
      );
    }
    const owner = await this.clients.find(session.clientId);
    const user = await this.users.findActive(session.userId);
    if (!user || !owner || owner.disabled) {
      await this.sessions.revokeSession(session, user ? 'client_disabled' : 'user_disabled');
      return { outcome: 'revoked' };
    }
    // What the user and the client may still have, of what the session was granted.
    const allowed = [...userScopesVia(user, owner), ...registrationScopesOf(owner)];
    const granted = grantedScope(session.scope).filter((s) => allowed.includes(s));
    const scope = narrow ? narrow(granted) : granted;
    // Signed before the rotation commits: should signing fail, the presented token is still unused.
    const access = await this.tokens.issue({
      kind: 'user',
      user,
      clientId: owner.id,
      sessionId: session.familyId,
      scope,
      audience: session.audience,
      dpopJkt: dpop?.jkt,
    });
    const rotated = await this.sessions.rotate(session);
    return rotated.outcome === 'rotated' ? { outcome: 'rotated', tokens: pair(access, rotated.refresh) } : rotated;
  }
}
