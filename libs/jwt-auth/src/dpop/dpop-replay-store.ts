/**
 * Where `jti`s of accepted proofs are remembered until their proof could no longer be accepted
 * (RFC 9449 §11.1). `claim` records `key` until `expiresAt` (clock milliseconds) and answers true
 * when it was not recorded yet (or its record expired): the proof is fresh. One call per accepted
 * proof; atomic, so of two concurrent claims of one key exactly one is true.
 */
export interface DpopReplayStore {
  claim(key: string, expiresAt: number): boolean | Promise<boolean>;
}

/**
 * The package's default store: this process's memory, bounded. Replay within the window is caught
 * per instance; a proof replayed to another replica behind the same load balancer is not (give the
 * module a shared store for that, docs/dpop.md "Replay"). At `capacity` live records the oldest is
 * dropped first, so a flood of more than `capacity` proofs per window re-opens the oldest ones to a
 * replay; every proof in it must still carry a valid signature over its `ath` and `htu`, for a token
 * bound to its key.
 */
export class MemoryDpopReplayStore implements DpopReplayStore {
  private readonly records = new Map<string, number>();
  private lastSweep = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly capacity = 100_000,
    private readonly clock: () => number = Date.now,
  ) {}

  get size(): number {
    return this.records.size;
  }

  claim(key: string, expiresAt: number): boolean {
    const now = this.clock();
    const until = this.records.get(key);
    if (until !== undefined && until > now) return false;
    this.records.delete(key);
    this.sweep(now);
    while (this.records.size >= this.capacity) this.records.delete(this.records.keys().next().value as string);
    this.records.set(key, expiresAt);
    return true;
  }

  /** Drops every expired record, at most once a second (one walk of the map: ~1 ms at 100,000 records). */
  private sweep(now: number): void {
    if (now - this.lastSweep < 1000) return;
    this.lastSweep = now;
    for (const [key, until] of this.records) if (until <= now) this.records.delete(key);
  }
}
