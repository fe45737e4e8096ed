import { hash } from 'node:crypto';
import type { JwsAlgorithm } from '@app/contracts';
import { jwsSignatureProblem } from '../verification/jws-signature.js';
import { proofKey, type DpopKey } from './dpop-key.js';
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
  /** The URL the proof must name (compared as `checkHtu` does: the same text, or the same normalized). */
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
  /**
   * What each recent proof header was found to be (alg and imported key, by the header's exact text):
   * a client signs every proof with one header, so its next proofs skip the header's decoding, the
   * key's import and its thumbprint (~4 µs). Only headers that passed are kept, short ones, bounded.
   */
  private readonly headers = new Map<string, DpopKey & { alg: JwsAlgorithm }>();
  private readonly clock: () => number;
  /** The `algs` of a DPoP challenge (RFC 9449 §7.1). */
  readonly algorithmList: string;

  constructor(private readonly options: DpopProofVerifierOptions) {
    this.clock = options.clock ?? Date.now;
    this.algorithmList = options.algorithms.join(' ');
  }

  /** The proof of a request, or undefined when it sent none (whether one was needed is the caller's rule). */
  verify(input: DpopProofInput): Promise<CheckedDpopProof | undefined> {
    try {
      const proof = singleProof(input.header);
      return proof === undefined ? Promise.resolve(undefined) : this.check(proof, input);
    } catch (error: unknown) {
      return Promise.reject(error as Error);
    }
  }

  /** `verify` for a request that must carry a proof. */
  require(input: DpopProofInput, missing: string): Promise<CheckedDpopProof> {
    try {
      const proof = singleProof(input.header);
      if (proof === undefined) throw new InvalidDpopProofError(missing);
      return this.check(proof, input);
    } catch (error: unknown) {
      return Promise.reject(error as Error);
    }
  }

  /** Every rule but the replay record synchronously; one promise, for the store's answer. */
  private check(proof: string, input: DpopProofInput): Promise<CheckedDpopProof> {
    const jws = proofSegments(proof);
    const { alg, key, jkt } = this.headerOf(jws.header);
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
    const checked: CheckedDpopProof = { jkt, jti: claims.jti, iat: claims.iat };
    const fresh = this.options.replayStore.claim(replayKey(jkt, claims.jti), expiresAt);
    return typeof fresh === 'boolean'
      ? fresh
        ? Promise.resolve(checked)
        : Promise.reject(replayed())
      : fresh.then((ok) => (ok ? checked : Promise.reject(replayed())));
  }

  private headerOf(segment: string): DpopKey & { alg: JwsAlgorithm } {
    const known = this.headers.get(segment);
    if (known !== undefined) return known;
    const { alg, jwk } = proofHeader(segment, this.options.algorithms);
    const found = { alg, ...proofKey(jwk, alg) };
    if (segment.length <= MAX_CACHED_HEADER) {
      if (this.headers.size >= HEADER_CACHE_SIZE) this.headers.delete(this.headers.keys().next().value as string);
      this.headers.set(segment, found);
    }
    return found;
  }
}

/** Headers remembered (`DpopProofVerifier.headers`): at most this many, of at most this many characters (an RSA-4096 key's fits). */
const HEADER_CACHE_SIZE = 1000;
const MAX_CACHED_HEADER = 1024;

function replayed(): InvalidDpopProofError {
  return new InvalidDpopProofError('the proof was used before ("jti")');
}

/** The replay record of a proof: its `jti` within its key (a digest: fixed size, whatever the `jti`). */
function replayKey(jkt: string, jti: string): string {
  return hash('sha256', `${jkt}\n${jti}`, 'base64url');
}
