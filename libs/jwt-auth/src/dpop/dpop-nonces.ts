import { createHmac, randomBytes } from 'node:crypto';
import { sameText } from './proof-rules.js';

/** Server nonces (RFC 9449 §8, §9): the one to send now, and whether a proof's nonce is still good. */
export interface DpopNonces {
  current(): string;
  accepts(nonce: string): boolean;
}

/**
 * Stateless nonces: base64url(HMAC-SHA256(secret, "dpop-nonce:" + time step)), accepting the current
 * and the previous step, so a nonce stays good for one to two steps. Any process holding the same
 * secret issues and accepts the same nonces: the auth-service's replicas share one secret in their
 * database, so any replica accepts any replica's nonce (docs/dpop.md "Nonces"). Nothing is stored per
 * nonce; the two values of the current and previous step are computed once per step.
 */
export class HmacDpopNonces implements DpopNonces {
  private step = Number.NaN;
  private values: [current: string, previous: string] = ['', ''];

  /**
   * @param secret shared by every process that must accept each other's nonces (32 random bytes);
   *   default: random, this process only.
   * @param stepMs how long one nonce is issued for (docs: the proof window).
   * @param clock milliseconds since the epoch.
   */
  constructor(
    private readonly secret: Buffer = randomBytes(32),
    private readonly stepMs = 60_000,
    private readonly clock: () => number = Date.now,
  ) {}

  current(): string {
    return this.window()[0];
  }

  accepts(nonce: string): boolean {
    const [current, previous] = this.window();
    return sameText(nonce, current) || sameText(nonce, previous);
  }

  private window(): [string, string] {
    const step = Math.floor(this.clock() / this.stepMs);
    if (step !== this.step) {
      this.step = step;
      this.values = [this.compute(step), this.compute(step - 1)];
    }
    return this.values;
  }

  private compute(step: number): string {
    return createHmac('sha256', this.secret).update(`dpop-nonce:${step}`).digest('base64url');
  }
}
