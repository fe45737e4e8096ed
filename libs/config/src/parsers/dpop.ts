import type { Environment } from '../environment.js';
import { duration } from './duration.js';

/**
 * DPOP_PROOF_WINDOW, read the same way by both services (docs/dpop.md): how far a DPoP proof's `iat`
 * may be from now, besides CLOCK_TOLERANCE, and how long its `jti` is remembered. 1 s to 10 min,
 * default 60 s; milliseconds.
 */
export function dpopProofWindow(env: Environment): number {
  return duration(env, 'DPOP_PROOF_WINDOW', { fallback: '60s', min: 1000, max: 10 * 60_000 });
}
