import { Injectable } from '@nestjs/common';
import { RevocationService } from '../revocation/revocation.service.js';
import { SessionsService } from '../sessions/sessions.service.js';
import { AccessTokenReader } from '../tokens/access-token-reader.js';

/**
 * RFC 7009 for both kinds of token (docs/revocation.md): a refresh token ends its session (and the
 * session's access tokens through its `sid`); an access token we issued enters the revocation feed
 * within the budgets (RevocationService.revokeToken), and a session over its budget is ended as a
 * whole. Only tokens issued to the client the request acts for are touched (`/auth/*` act for
 * `default`): anything else changes nothing, and the caller answers as for an unknown token.
 */
@Injectable()
export class TokenRevocation {
  constructor(
    private readonly sessions: SessionsService,
    private readonly reader: AccessTokenReader,
    private readonly revocations: RevocationService,
  ) {}

  /** Revokes `token` if it is ours and was issued to `clientId`. Returns what was revoked. */
  async revoke(token: string, clientId: string): Promise<'session' | 'access_token' | 'nothing'> {
    if (await this.sessions.revoke(token, 'revocation', clientId)) return 'session';
    const claims = await this.reader.read(token);
    if (!claims || typeof claims.jti !== 'string' || typeof claims.exp !== 'number' || typeof claims.iat !== 'number') return 'nothing';
    if (claims.client_id !== clientId) return 'nothing';
    const sid = typeof claims.sid === 'string' ? claims.sid : undefined;
    const exchanged = claims.act !== undefined;
    const outcome = await this.revocations.revokeToken({ jti: claims.jti, exp: claims.exp, iat: claims.iat, sid, clientId, exchanged });
    if (outcome === 'session_over_budget') {
      await this.sessions.endSession(sid!, 'revocation');
      return 'session';
    }
    return outcome === 'listed' || outcome === 'client_cut' ? 'access_token' : 'nothing';
  }
}
