import { SUPPORTED_ALGORITHMS, joinUrl } from '@app/contracts';
import { DpopProofVerifier, HmacDpopNonces, InvalidDpopProofError, normalizedHtu } from '@app/jwt-auth';
import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { Client } from '../clients/client.entity.js';
import { dpopConfig } from '../config/dpop.config.js';
import { tokensConfig } from '../config/tokens.config.js';
import { CLOCK, type Clock } from '../time/clock.js';
import { DpopReplayRepository } from './dpop-replay.repository.js';
import { ServerSecretsRepository } from './server-secrets.repository.js';

/** The DPoP key a token request proved it holds (RFC 9449 §5): its RFC 7638 thumbprint. */
export interface DpopBinding {
  jkt: string;
}

/** The name of the nonce secret in `server_secrets`. */
const NONCE_SECRET = 'dpop_nonce';

/** The algorithms a proof may use at the token endpoint (and the metadata's `dpop_signing_alg_values_supported`). */
export const DPOP_SIGNING_ALGORITHMS = SUPPORTED_ALGORITHMS;

/**
 * DPoP at the token endpoint (docs/dpop.md): the package's one proof check (`DpopProofVerifier`)
 * against the token endpoint's public URL (`AUTH_ISSUER` + `/oauth/token`, as the metadata names
 * it, so proxies in front change nothing), with the `jti` record in the database and, by default,
 * server nonces from the secret all replicas share. Built on first use (the secret is read then),
 * again after a failed read.
 */
@Injectable()
export class TokenEndpointProofs {
  private readonly htu: string;
  private verifier?: Promise<{ proofs: DpopProofVerifier; nonces?: HmacDpopNonces }>;

  constructor(
    @Inject(dpopConfig.KEY) private readonly config: ConfigType<typeof dpopConfig>,
    @Inject(tokensConfig.KEY) private readonly tokens: ConfigType<typeof tokensConfig>,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly replays: DpopReplayRepository,
    private readonly secrets: ServerSecretsRepository,
  ) {
    this.htu = normalizedHtu(joinUrl(tokens.issuer, 'oauth/token')) ?? '';
  }

  /**
   * The key a token request proves it holds, or undefined when it sent no proof and its client is not
   * `--dpop-bound` (400 `invalid_dpop_proof` when it is). Throws InvalidDpopProofError or
   * UseDpopNonceError (400 `use_dpop_nonce` with `DPoP-Nonce`) for a bad proof.
   */
  async bindingOf(request: { method: string; headers: Record<string, unknown> }, client: Client): Promise<DpopBinding | undefined> {
    const header = request.headers.dpop;
    if (header === undefined) {
      if (client.dpopBound) throw new InvalidDpopProofError('this client must send a DPoP proof');
      return undefined;
    }
    const { proofs } = await this.ready();
    const checked = await proofs.verify({ header, method: request.method, url: this.htu });
    return checked && { jkt: checked.jkt };
  }

  /** The nonce to hand out with an answer (`DPoP-Nonce`), when nonces are on. */
  async currentNonce(): Promise<string | undefined> {
    return (await this.ready()).nonces?.current();
  }

  private ready(): Promise<{ proofs: DpopProofVerifier; nonces?: HmacDpopNonces }> {
    this.verifier ??= this.build().catch((error: unknown) => {
      this.verifier = undefined;
      throw error;
    });
    return this.verifier;
  }

  private async build(): Promise<{ proofs: DpopProofVerifier; nonces?: HmacDpopNonces }> {
    const clock = () => this.clock.now();
    const nonces = this.config.nonces ? new HmacDpopNonces(await this.secrets.secret(NONCE_SECRET), this.config.proofWindowMs, clock) : undefined;
    const proofs = new DpopProofVerifier({
      algorithms: DPOP_SIGNING_ALGORITHMS,
      proofWindowSeconds: this.config.proofWindowMs / 1000,
      clockToleranceSeconds: this.tokens.clockToleranceMs / 1000,
      replayStore: this.replays,
      nonces,
      clock,
    });
    return { proofs, nonces };
  }
}
