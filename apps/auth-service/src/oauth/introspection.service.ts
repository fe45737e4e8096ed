import { Injectable } from '@nestjs/common';
import { SessionsService } from '../sessions/sessions.service.js';
import { UsersService } from '../users/users.service.js';
import { type Client, servedAudiences } from '../clients/client.entity.js';
import { LiveAccessTokens } from './live-access-tokens.js';

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
 * token is active when `LiveAccessTokens` finds it live (our keys, issuer, type and times; not refused
 * by the revocation feed; its session live, its client enabled) and the asking client may see it
 * (`mayInspect`); a refresh token when it could be exchanged now and was issued to the asking client.
 * Anything else is `{active: false}`, whatever the reason. Nothing here changes state: introspecting a used refresh
 * token does not count as its reuse.
 */
@Injectable()
export class IntrospectionService {
  constructor(
    private readonly tokens: LiveAccessTokens,
    private readonly sessions: SessionsService,
    private readonly users: UsersService,
  ) {}

  async introspect(token: string, asking: Client): Promise<Introspection> {
    const refresh = await this.sessions.peek(token);
    if (refresh) {
      if (refresh.clientId !== asking.id || !(await this.tokens.clientEnabled(refresh.clientId))) return INACTIVE;
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
    const claims = await this.tokens.read(token);
    if (!claims || !mayInspect(asking, claims.client_id, claims.aud) || !(await this.tokens.isLive(claims))) return INACTIVE;
    // RFC 9449 §6.2: a bound token is introspected with its `cnf` (in the claims) and token_type DPoP.
    return { active: true, token_type: claims.cnf === undefined ? 'Bearer' : 'DPoP', ...claims };
  }
}
