import { Injectable } from '@nestjs/common';
import { RevocationService } from '../revocation/revocation.service.js';
import { SessionsService } from '../sessions/sessions.service.js';
import { AccessTokenReader } from '../tokens/access-token-reader.js';

/**
 * RFC 7009 for both kinds of token (docs/revocation.md): a refresh token ends its session (and the
 * session's access tokens through its `sid`); an access token we issued enters the revocation feed
 * by its `jti`. Anything else changes nothing: the caller answers 200 either way, as the RFC requires.
 */
@Injectable()
export class TokenRevocation {
  constructor(
    private readonly sessions: SessionsService,
    private readonly reader: AccessTokenReader,
    private readonly revocations: RevocationService,
  ) {}

  /** Revokes `token` if it is ours, and, when `clientId` is given, was issued to that client. Returns what was revoked. */
  async revoke(token: string, clientId?: string): Promise<'session' | 'access_token' | 'nothing'> {
    if (await this.sessions.revoke(token, 'revocation', clientId)) return 'session';
    const claims = await this.reader.read(token);
    if (!claims || typeof claims.jti !== 'string' || typeof claims.exp !== 'number') return 'nothing';
    if (clientId !== undefined && claims.client_id !== clientId) return 'nothing';
    await this.revocations.revokeToken(claims.jti, claims.exp);
    return 'access_token';
  }
}
