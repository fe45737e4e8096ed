import { joinUrl } from '@app/contracts';
import { DpopProofVerifier, normalizedHtu } from '@app/jwt-auth';
import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { dpopConfig } from '../config/dpop.config.js';
import { tokensConfig } from '../config/tokens.config.js';
import { CLOCK, type Clock } from '../time/clock.js';
import { DpopReplayRepository } from './dpop-replay.repository.js';
import { DPOP_SIGNING_ALGORITHMS } from './token-endpoint-proofs.js';

/**
 * DPoP at `/oauth/userinfo`, the auth-service's one resource route (docs/dpop.md): the package's one
 * proof check against the route's public URL, with `ath` and the token's `cnf.jkt`, the `jti` record
 * in the database beside the token endpoint's; no nonces (as at a resource server by default).
 */
@Injectable()
export class UserinfoProofs {
  private readonly htu: string;
  private readonly proofs: DpopProofVerifier;

  constructor(
    @Inject(dpopConfig.KEY) config: ConfigType<typeof dpopConfig>,
    @Inject(tokensConfig.KEY) tokens: ConfigType<typeof tokensConfig>,
    @Inject(CLOCK) clock: Clock,
    replays: DpopReplayRepository,
  ) {
    this.htu = normalizedHtu(joinUrl(tokens.issuer, 'oauth/userinfo')) ?? '';
    this.proofs = new DpopProofVerifier({
      algorithms: DPOP_SIGNING_ALGORITHMS,
      proofWindowSeconds: config.proofWindowMs / 1000,
      clockToleranceSeconds: tokens.clockToleranceMs / 1000,
      replayStore: replays,
      clock: () => clock.now(),
    });
  }

  /** The `algs` of a DPoP challenge. */
  get algorithms(): string {
    return this.proofs.algorithmList;
  }

  /** Checks the proof that must come with a DPoP-bound token; throws InvalidDpopProofError. */
  async check(header: unknown, method: string, accessToken: string, boundJkt: string): Promise<void> {
    await this.proofs.require({ header, method, url: this.htu, accessToken, boundJkt }, 'send a DPoP proof with a DPoP-bound token');
  }
}
