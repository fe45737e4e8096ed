import { Injectable } from '@nestjs/common';
import { AccessTokenReader } from '../tokens/access-token-reader.js';
import { ClientsService } from '../clients/clients.service.js';
import { RevocationService } from '../revocation/revocation.service.js';
import { SessionsService } from '../sessions/sessions.service.js';
import { UsersService } from '../users/users.service.js';
import { type Client, servedAudiences } from '../clients/client.entity.js';

/** RFC 7662 2.2: `{active: false}` and nothing else for any token that cannot be used now. */
export type Introspection = { active: false } | ({ active: true } & Record<string, unknown>);

const INACTIVE: Introspection = { active: false };

/**
 * RFC 7662 §4: whose access tokens a client may see. Its own (`client_id`); another client's only when
 * it is registered `--introspect` and the token's `aud` names an audience it serves (`--serves`,
 * default its own id): a resource server learns about the tokens meant for it, nothing else.
 */
function mayInspect(asking: Client, clientId: unknown, aud: unknown): boolean {
  if (clientId === asking.id) return true;
  if (!asking.introspect) return false;
  const audiences = Array.isArray(aud) ? aud : [aud];
  return servedAudiences(asking).some((served) => audiences.includes(served));
}

/**
 * RFC 7662 token introspection, for resource servers that cannot verify JWTs themselves. An access
 * token is active when its signature, issuer, type and times check out against our own keys, its
 * session (`sid`) is live, its client is enabled and the revocation feed does not refuse it (its
 * `jti`, its `sid`, or a `client_id` entry after its `iat`), and the asking client may see it
 * (`mayInspect`); a refresh token when it could be exchanged now and was issued to the asking client.
 * Anything else is `{active: false}`, whatever the reason. Nothing here changes state: introspecting a used refresh
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
    const claims = await this.reader.read(token);
    if (!claims || !mayInspect(asking, claims.client_id, claims.aud)) return INACTIVE;
    const revoked =
      typeof claims.jti === 'string' &&
      (await this.revocations.isTokenRevoked({
        jti: claims.jti,
        iat: claims.iat!,
        sid: typeof claims.sid === 'string' ? claims.sid : undefined,
        clientId: String(claims.client_id),
      }));
    if (revoked) return INACTIVE;
    if (typeof claims.sid === 'string' && !(await this.sessions.isLive(claims.sid))) return INACTIVE;
    if (typeof claims.client_id === 'string' && !(await this.clientEnabled(claims.client_id))) return INACTIVE;
    // RFC 9449 §6.2: a bound token is introspected with its `cnf` (in the claims) and token_type DPoP.
    return { active: true, token_type: claims.cnf === undefined ? 'Bearer' : 'DPoP', ...claims };
  }

  private async clientEnabled(id: string): Promise<boolean> {
    const client = await this.clients.find(id);
    return client !== undefined && !client.disabled;
  }
}
