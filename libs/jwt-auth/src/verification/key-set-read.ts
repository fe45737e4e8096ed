import { createPublicKey, type JsonWebKey } from 'node:crypto';
import type { ResolvedKey } from './signing-key.resolver.js';

/**
 * One successful read of the JWK set: when it happened and which key each `kid` named. Answers
 * "does this read publish exactly this key?" and remembers the answer per imported key, so the
 * JWK is imported at most once per read and key, not per request.
 */
export class KeySetRead {
  private readonly jwks = new Map<string, Record<string, unknown>>();
  private readonly answers = new WeakMap<ResolvedKey, boolean>();

  constructor(
    keys: readonly unknown[],
    /** Clock time (ms) of the read. */
    readonly at: number,
  ) {
    for (const jwk of keys) {
      if (typeof jwk !== 'object' || jwk === null) continue;
      const { kid } = jwk as { kid?: unknown };
      if (typeof kid === 'string' && !this.jwks.has(kid)) this.jwks.set(kid, jwk as Record<string, unknown>);
    }
  }

  /** True when this read lists `resolved.kid` with the same public key and the same `alg` (or none). */
  publishes(resolved: ResolvedKey): boolean {
    const known = this.answers.get(resolved);
    if (known !== undefined) return known;
    const answer = this.compare(resolved);
    this.answers.set(resolved, answer);
    return answer;
  }

  private compare(resolved: ResolvedKey): boolean {
    const jwk = this.jwks.get(resolved.kid);
    if (jwk === undefined) return false;
    const alg = typeof jwk.alg === 'string' ? jwk.alg : undefined;
    if (alg !== resolved.jwkAlg) return false;
    try {
      return createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' }).equals(resolved.key);
    } catch {
      return false;
    }
  }
}
