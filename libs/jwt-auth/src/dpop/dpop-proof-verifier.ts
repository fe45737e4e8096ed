import { hash } from 'node:crypto';
import type { JwsAlgorithm } from '@app/contracts';
import { jwsSignatureProblem } from '../verification/jws-signature.js';
import { DpopKeyCache } from './dpop-key.js';
import type { DpopNonces } from './dpop-nonces.js';
import type { DpopReplayStore } from './dpop-replay-store.js';
import { InvalidDpopProofError, UseDpopNonceError } from './dpop.errors.js';
import { checkAth, checkHtm, checkHtu, checkIat, checkJkt, proofClaims, proofHeader, proofSegments, singleProof } from './proof-rules.js';

export interface DpopProofVerifierOptions {
  /** Algorithms a proof may use (all asymmetric). */
  algorithms: readonly JwsAlgorithm[];
  /** DPOP_PROOF_WINDOW, seconds: how far `iat` may be from now (plus the tolerance), and how long a `jti` is remembered. */
  proofWindowSeconds: number;
  clockToleranceSeconds: number;
  replayStore: DpopReplayStore;
  /** Server nonces: when given, every proof must carry a good one (`use_dpop_nonce` otherwise). */
  nonces?: DpopNonces;
  /** Milliseconds since the epoch. */
  clock?: () => number;
}

/** What a request offers for checking: the raw header, and what the proof must match. */
export interface DpopProofInput {
  /** The request's `DPoP` header as the framework gives it (a string, or an array when repeated). */
  header: unknown;
  method: string;
  /** The URL the proof must name, normalized (`normalizedHtu`). */
  url: string;
  /** At a resource server: the access token the proof comes with (`ath`). */
  accessToken?: string;
  /** At a resource server: the token's `cnf.jkt`. */
  boundJkt?: string;
}

/** An accepted proof: the RFC 7638 thumbprint of its key (what tokens are bound to), its `jti` and `iat`. */
export interface CheckedDpopProof {
  jkt: string;
  jti: string;
  iat: number;
}

/**
 * The one DPoP proof check (RFC 9449 §4.3, §7.1), used by the auth-service's token endpoint and by
 * every resource server through `BearerAuthenticator`. In order: one header, a compact JWS, its header
 * (`typ`, `alg`, `jwk`), the public key, the signature (one node:crypto verify, the only costly step),
 * then the claims: `htm`, `htu`, `iat`, `ath` and `cnf.jkt` when a token comes with it, the nonce when
 * nonces are on, and last the `jti` replay record, so only a proof that passed everything else is
 * remembered. Throws InvalidDpopProofError or UseDpopNonceError.
 */
export class DpopProofVerifier {
  private readonly keys = new DpopKeyCache();
  private readonly clock: () => number;
  /** The `algs` of a DPoP challenge (RFC 9449 §7.1). */
  readonly algorithmList: string;

  constructor(private readonly options: DpopProofVerifierOptions) {
    this.clock = options.clock ?? Date.now;
    this.algorithmList = options.algorithms.join(' ');
  }

  /** The proof of a request, or undefined when it sent none (whether one was needed is the caller's rule). */
  async verify(input: DpopProofInput): Promise<CheckedDpopProof | undefined> {
    const proof = singleProof(input.header);
    if (proof === undefined) return undefined;
    return this.check(proof, input);
  }

  /** `verify` for a request that must carry a proof. */
  async require(input: DpopProofInput, missing: string): Promise<CheckedDpopProof> {
    const checked = await this.verify(input);
    if (checked === undefined) throw new InvalidDpopProofError(missing);
    return checked;
  }

  private async check(proof: string, input: DpopProofInput): Promise<CheckedDpopProof> {
    const jws = proofSegments(proof);
    const { alg, jwk } = proofHeader(jws.header, this.options.algorithms);
    const { key, jkt } = this.keys.keyOf(jwk, alg);
    const problem = jwsSignatureProblem(alg, key, jws.signingInput, jws.signature);
    if (problem !== undefined) throw new InvalidDpopProofError('the signature does not verify with the "jwk"', problem);
    const claims = proofClaims(jws.payload);
    checkHtm(claims, input.method);
    checkHtu(claims, input.url);
    const now = this.clock();
    checkIat(claims, Math.floor(now / 1000), this.options.proofWindowSeconds, this.options.clockToleranceSeconds);
    if (input.accessToken !== undefined) checkAth(claims, input.accessToken);
    if (input.boundJkt !== undefined) checkJkt(jkt, input.boundJkt);
    const { nonces } = this.options;
    if (nonces !== undefined) {
      if (claims.nonce === undefined) throw new UseDpopNonceError(nonces.current(), 'the proof carries no nonce');
      if (!nonces.accepts(claims.nonce)) throw new UseDpopNonceError(nonces.current(), 'the proof nonce is not (or no longer) good');
    }
    // Remembered as long as the proof could be accepted: until its iat + window + tolerance.
    const expiresAt = (claims.iat + this.options.proofWindowSeconds + this.options.clockToleranceSeconds) * 1000;
    if (!(await this.options.replayStore.claim(replayKey(jkt, claims.jti), expiresAt))) {
      throw new InvalidDpopProofError('the proof was used before ("jti")');
    }
    return { jkt, jti: claims.jti, iat: claims.iat };
  }
}

/** The replay record of a proof: its `jti` within its key (a digest: fixed size, whatever the `jti`). */
function replayKey(jkt: string, jti: string): string {
  return hash('sha256', `${jkt}\n${jti}`, 'base64url');
}
