import { Inject, Injectable, Logger } from '@nestjs/common';
import { SessionsService } from '../sessions/sessions.service.js';
import { generateOpaqueSecret, hashOpaqueSecret, OPAQUE_SECRET } from '../sso/opaque-secret.js';
import { CLOCK, type Clock } from '../time/clock.js';
import { type CodeGrant, AuthorizationCodeRepository, type StoredCode } from './authorization-code.repository.js';

/** A code lives 60 seconds (OAuth 2.1 4.1.2: short; RFC 6749 recommends at most 10 minutes). */
export const CODE_TTL_MS = 60_000;

/** `dpop_mismatch`: the code is bound to a DPoP key this request did not prove; nothing changed. */
export type Redemption = { outcome: 'claimed'; code: StoredCode } | { outcome: 'invalid' | 'reused' | 'expired' | 'dpop_mismatch' };

/**
 * Authorization codes (docs/oidc.md "Codes"): 256 random bits, stored only as a hash, 60
 * seconds, single use. A second use is refused and ends the app session the first one started
 * (RFC 6749 4.1.2), its `sid` entering the revocation feed.
 */
@Injectable()
export class AuthorizationCodesService {
  private readonly logger = new Logger(AuthorizationCodesService.name);

  constructor(
    private readonly repository: AuthorizationCodeRepository,
    private readonly sessions: SessionsService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** A new code for `grant`: the code itself goes to the browser once and is never stored. */
  async issue(grant: CodeGrant): Promise<string> {
    const code = generateOpaqueSecret();
    await this.repository.insert(hashOpaqueSecret(code), grant, this.clock.now() + CODE_TTL_MS);
    return code;
  }

  /**
   * Claims a code for the app session `appSessionId` about to start; a reused one revokes what its
   * first use started. `dpopJkt`: the key the request proved. A code bound to another key (or to a
   * key, without one) is `dpop_mismatch` and stays as it was, whatever its state: whoever holds a
   * bound code without its key can neither burn it nor set off the reuse revocation (docs/dpop.md).
   */
  async redeem(presented: string, appSessionId: string, dpopJkt?: string): Promise<Redemption> {
    if (!OPAQUE_SECRET.test(presented)) return { outcome: 'invalid' };
    const hash = hashOpaqueSecret(presented);
    const claimed = await this.repository.claim(hash, appSessionId, this.clock.now(), dpopJkt);
    if (claimed) return { outcome: 'claimed', code: claimed };
    const found = await this.repository.find(hash);
    if (!found) return { outcome: 'invalid' };
    if (found.dpopJkt !== undefined && found.dpopJkt !== dpopJkt) return { outcome: 'dpop_mismatch' };
    if (found.usedAt === undefined) return { outcome: 'expired' };
    await this.repository.markReused(hash, this.clock.now());
    if (found.appSessionId) await this.endReusedSession(found.appSessionId, found.clientId);
    return { outcome: 'reused' };
  }

  /**
   * Called by the redemption that claimed `presented` once its app session is stored: false when a
   * second use came meanwhile — before the session existed, so that use found nothing to end. The
   * session is ended here then, and the redemption must answer `invalid_grant`. Either way the
   * session ends: the second use marks the code before it looks for the session, and this looks for
   * the mark after the session is stored.
   */
  async confirm(presented: string, appSessionId: string, clientId: string): Promise<boolean> {
    if (!(await this.repository.wasReused(hashOpaqueSecret(presented)))) return true;
    await this.endReusedSession(appSessionId, clientId);
    return false;
  }

  private async endReusedSession(appSessionId: string, clientId: string): Promise<void> {
    if (await this.sessions.revokeById(appSessionId, 'code_reuse')) {
      this.logger.warn(`authorization code reuse: revoked session ${appSessionId} of client ${clientId}`);
    }
  }
}
