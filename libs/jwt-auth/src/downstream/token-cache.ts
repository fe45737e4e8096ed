/** A token kept for reuse; times in milliseconds since the epoch. */
export interface CachedToken {
  token: string;
  expiresAt: number;
  /** From then on the token is replaced (shortly before `expiresAt`). */
  refreshAt: number;
}

/**
 * Downstream tokens by key, least recently used dropped first beyond `maxEntries`, with the fetches in
 * flight shared: however many callers ask for one key at once, one fetch runs and all get its token
 * (or its error; nothing is kept then). A kept token is served until its `refreshAt`.
 */
export class TokenCache {
  private readonly entries = new Map<string, CachedToken>();
  /** token → key, so that a token the next hop refused is dropped by its value. */
  private readonly keyOf = new Map<string, string>();
  private readonly inFlight = new Map<string, Promise<CachedToken>>();

  constructor(private readonly maxEntries: number) {}

  async get(key: string, now: number, fetch: () => Promise<CachedToken>): Promise<string> {
    const kept = this.entries.get(key);
    if (kept && now < kept.refreshAt) {
      // Most recently used last: Map keeps insertion order, the first key is the eviction candidate.
      this.entries.delete(key);
      this.entries.set(key, kept);
      return kept.token;
    }
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = fetch()
        .then((fresh) => {
          this.store(key, fresh);
          return fresh;
        })
        .finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    return (await pending).token;
  }

  /** Forgets `token` (the next hop answered 401): the next `get` of its key fetches a new one. True when it was kept. */
  drop(token: string): boolean {
    const key = this.keyOf.get(token);
    if (key === undefined) return false;
    this.remove(key);
    return true;
  }

  get size(): number {
    return this.entries.size;
  }

  private store(key: string, fresh: CachedToken): void {
    this.remove(key);
    this.entries.set(key, fresh);
    this.keyOf.set(fresh.token, key);
    while (this.entries.size > this.maxEntries) this.remove(this.entries.keys().next().value!);
  }

  private remove(key: string): void {
    const kept = this.entries.get(key);
    if (!kept) return;
    this.entries.delete(key);
    this.keyOf.delete(kept.token);
  }
}
