import type { TokenResponseDto } from '@app/contracts';
import { Injectable } from '@nestjs/common';
import { DEFAULT_CLIENT_ID } from '../clients/client.entity.js';
import { type IssuedRefreshToken, type RefreshOutcome, SessionsService } from '../sessions/sessions.service.js';
import type { User } from '../users/user.entity.js';
import { UsersService } from '../users/users.service.js';
import { type IssuedAccessToken, TokenService } from './token.service.js';

export type RefreshResult = { outcome: 'rotated'; tokens: TokenResponseDto } | { outcome: Exclude<RefreshOutcome, 'rotated'> };

function pair(access: IssuedAccessToken, refresh: IssuedRefreshToken): TokenResponseDto {
  return {
    access_token: access.token,
    token_type: 'Bearer',
    expires_in: access.expiresIn,
    scope: access.scope,
    refresh_token: refresh.token,
    refresh_expires_in: refresh.expiresIn,
  };
}

/** The two grants: a password login starts a session, a refresh token continues one. */
@Injectable()
export class TokenGrantsService {
  constructor(
    private readonly users: UsersService,
    private readonly tokens: TokenService,
    private readonly sessions: SessionsService,
  ) {}

  /** For a user whose password was just checked: an access token and the first refresh token of a new session. */
  async login(user: User): Promise<TokenResponseDto> {
    const access = await this.tokens.issue(user);
    return pair(access, await this.sessions.start(user.id, { clientId: DEFAULT_CLIENT_ID }));
  }

  /** Exchanges a refresh token for a new pair; anything but `rotated` is an `invalid_grant` for the client. */
  async refresh(presented: string): Promise<RefreshResult> {
    const found = await this.sessions.inspect(presented);
    if (found.outcome !== 'active') return found;
    const user = await this.users.findActive(found.session.userId);
    if (!user) {
      await this.sessions.revokeSession(found.session, 'user_disabled');
      return { outcome: 'revoked' };
    }
    // Signed before the rotation commits: should signing fail, the presented token is still unused.
    const access = await this.tokens.issue(user);
    const rotated = await this.sessions.rotate(found.session);
    return rotated.outcome === 'rotated' ? { outcome: 'rotated', tokens: pair(access, rotated.refresh) } : rotated;
  }
}
