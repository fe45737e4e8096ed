import { SUPPORTED_ALGORITHMS } from '@app/contracts';
import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { createLocalJWKSet, type JSONWebKeySet, jwtVerify, type JWTPayload } from 'jose';
import { ClientsService } from '../clients/clients.service.js';
import { tokensConfig } from '../config/tokens.config.js';
import { KEY_STORE, type KeyStore } from '../keys/key-store.js';
import { SessionsService } from '../sessions/sessions.service.js';
import { UsersService } from '../users/users.service.js';
import type { Client } from '../clients/client.entity.js';

/** RFC 7662 2.2: `{active: false}` and nothing else for any token that cannot be used now. */
export type Introspection = { active: false } | ({ active: true } & Record<string, unknown>);

const INACTIVE: Introspection = { active: false };

/**
 * RFC 7662 token introspection, for resource servers that cannot verify JWTs themselves. An access
 * token is active when its signature, issuer, type and times check out against our own keys, its
 * session (`sid`) is live and its client is enabled; a refresh token when it could be exchanged now
 * and was issued to the asking client. Nothing here changes state: introspecting a used refresh
 * token does not count as its reuse.
 */
@Injectable()
export class IntrospectionService {
  private readonly config: ConfigType<typeof tokensConfig>;

  constructor(
    @Inject(KEY_STORE) private readonly keys: KeyStore,
    private readonly sessions: SessionsService,
    private readonly clients: ClientsService,
    private readonly users: UsersService,
    @Inject(tokensConfig.KEY) tokens: ConfigType<typeof tokensConfig>,
  ) {
    this.config = tokens;
  }

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
    const claims = await this.verify(token);
    if (!claims) return INACTIVE;
    if (typeof claims.sid === 'string' && !(await this.sessions.isLive(claims.sid))) return INACTIVE;
    if (typeof claims.client_id === 'string' && !(await this.clientEnabled(claims.client_id))) return INACTIVE;
    return { active: true, token_type: 'Bearer', ...claims };
  }

  private async clientEnabled(id: string): Promise<boolean> {
    const client = await this.clients.find(id);
    return client !== undefined && !client.disabled;
  }

  /** The claims of an access token we signed and that is valid now; undefined for anything else. */
  private async verify(token: string): Promise<JWTPayload | undefined> {
    if (token.length > 8192 || token.split('.').length !== 3) return undefined;
    try {
      const keySet = createLocalJWKSet(this.keys.jwks().document as unknown as JSONWebKeySet);
      const { payload } = await jwtVerify(token, keySet, {
        issuer: this.config.issuer,
        typ: 'at+jwt',
        algorithms: [...SUPPORTED_ALGORITHMS],
        clockTolerance: Math.floor(this.config.clockToleranceMs / 1000),
        requiredClaims: ['exp', 'iat', 'sub', 'jti'],
      });
      return payload;
    } catch {
      // Forged, expired, foreign or malformed: RFC 7662 answers all of them `active: false`.
      return undefined;
    }
  }
}
