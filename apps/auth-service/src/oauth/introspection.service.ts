import { Injectable } from '@nestjs/common';
import type { JWTPayload } from 'jose';
import { AccessTokenReader } from '../tokens/access-token-reader.js';
import { ClientsService } from '../clients/clients.service.js';
import { RevocationService } from '../revocation/revocation.service.js';
import { SessionsService } from '../sessions/sessions.service.js';
import { UsersService } from '../users/users.service.js';
import type { Client } from '../clients/client.entity.js';

/** RFC 7662 2.2: `{active: false}` and nothing else for any token that cannot be used now. */
export type Introspection = { active: false } | ({ active: true } & Record<string, unknown>);

const INACTIVE: Introspection = { active: false };

/**
 * RFC 7662 token introspection, for resource servers that cannot verify JWTs themselves. An access
 * token is active when its signature, issuer, type and times check out against our own keys, its
 * session (`sid`) is live, its client is enabled and its `jti` is not in the revocation feed; a refresh token when it could be exchanged now
 * and was issued to the asking client. Nothing here changes state: introspecting a used refresh
 * token does not count as its reuse.
 */
@Injectable()
export class IntrospectionService {
  constructor(
    private readonly reader: AccessTokenReader,
    private readonly sessions: SessionsService,
    private readonly clients: ClientsService,
    private readonly users: UsersService,
    private readonly revocations: RevocationService,
  ) {}

  async introspect(token: string, asking: Client): Promise<Introspection> {
    const refresh = await this.sessions.peek(token);
    if (refresh) {
      if (refresh.clientId !== asking.id || !(await this.clientEnabled(refresh.clientId))) return INACTIVE;
      const user = await this.users.findActive(refresh.userId);
      if (!user) return INACTIVE;
      return {
        active: true,
        token_type: 'refresh_token',
        client_id: refresh.clientId,
        sub: user.id,
        username: user.username,
        exp: Math.floor(refresh.expiresAt / 1000),
        ...(refresh.scope === undefined ? {} : { scope: refresh.scope }),
      };
    }
    const claims = await this.activeAccessToken(token);
    return claims ? { active: true, token_type: 'Bearer', ...claims } : INACTIVE;
  }

  /** The claims of an access token of ours that may be used now (not revoked, session live, client enabled); else undefined. */
  async activeAccessToken(token: string): Promise<JWTPayload | undefined> {
    const claims = await this.reader.read(token);
    if (!claims) return undefined;
    if (typeof claims.jti === 'string' && (await this.revocations.isTokenRevoked(claims.jti))) return undefined;
    if (typeof claims.sid === 'string' && !(await this.sessions.isLive(claims.sid))) return undefined;
    if (typeof claims.client_id === 'string' && !(await this.clientEnabled(claims.client_id))) return undefined;
    return claims;
  }

  private async clientEnabled(id: string): Promise<boolean> {
    const client = await this.clients.find(id);
    return client !== undefined && !client.disabled;
  }
}
