import { boolean, defineNamespace, dpopProofWindow } from '@app/config';

/** DPoP at the token endpoint (`dpop` namespace, docs/dpop.md). */
export interface DpopConfig {
  /** DPOP_PROOF_WINDOW: how far a proof's `iat` may be from now (plus CLOCK_TOLERANCE); also a nonce's time step. */
  proofWindowMs: number;
  /** DPOP_NONCES: every proof must carry a server nonce (`use_dpop_nonce`); default true. */
  nonces: boolean;
}

export const dpopConfig = defineNamespace('dpop', (env): DpopConfig => ({
  proofWindowMs: dpopProofWindow(env),
  nonces: boolean(env, 'DPOP_NONCES', true),
}));
