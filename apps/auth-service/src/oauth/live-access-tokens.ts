import { Injectable } from '@nestjs/common';
import type { JWTPayload } from 'jose';
import { ClientsService } from '../clients/clients.service.js';
import { RevocationService } from '../revocation/revocation.service.js';
import { SessionsService } from '../sessions/sessions.service.js';
import { AccessTokenReader } from '../tokens/access-token-reader.js';

/**
 * Whether one of our access tokens may be used now, as every verifier decides and more: it verifies
 * against our own keys (signature, `iss`, `typ`, times: `AccessTokenReader`), the revocation feed does
 * not refuse it (its `jti`, its `sid`, or a `client_id` entry after its `iat`), its session is live and
 * its client enabled. The one check behind introspection (RFC 7662) and token exchange (RFC 8693).
 */
@Injectable()
export class LiveAccessTokens {
  constructor(
    private readonly reader: AccessTokenReader,
    private readonly revocations: RevocationService,
    private readonly sessions: SessionsService,
    private readonly clients: ClientsService,
  ) {}

  /** The verified claims of `token`, whatever may see them; undefined when it is not ours and valid (`AccessTokenReader`). */
  read(token: string): Promise<JWTPayload | undefined> {
    return this.reader.read(token);
  }

  /** Whether claims `read` gave are still live: not revoked, their session live, their client enabled. */
  async isLive(claims: JWTPayload): Promise<boolean> {
    const sid = typeof claims.sid === 'string' ? claims.sid : undefined;
    const revoked =
      typeof claims.jti === 'string' && (await this.revocations.isTokenRevoked({ jti: claims.jti, iat: claims.iat!, sid, clientId: String(claims.client_id) }));
    if (revoked) return false;
    if (sid !== undefined && !(await this.sessions.isLive(sid))) return false;
    if (typeof claims.client_id === 'string' && !(await this.clientEnabled(claims.client_id))) return false;
    return true;
  }

  /** `read`, then `isLive`: the claims of a token usable now, else undefined. */
  async readLive(token: string): Promise<JWTPayload | undefined> {
    const claims = await this.read(token);
    return claims && (await this.isLive(claims)) ? claims : undefined;
  }

  async clientEnabled(id: string): Promise<boolean> {
    const client = await this.clients.find(id);
    return client !== undefined && !client.disabled;
  }
}
