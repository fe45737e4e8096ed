// Latency percentiles at 10 µs resolution (autocannon's own histogram rounds to whole milliseconds,
// which says nothing about a route answered in 0.3 ms).
const BUCKET_MS = 0.01;
const BUCKETS = 200_000; // up to 2 s; slower answers count in the last bucket

export class LatencyHistogram {
  counts = new Uint32Array(BUCKETS);
  total = 0;

  record(ms) {
    this.counts[Math.min(Math.floor(ms / BUCKET_MS), BUCKETS - 1)] += 1;
    this.total += 1;
  }

  add(other) {
    for (let i = 0; i < BUCKETS; i += 1) this.counts[i] += other.counts[i];
    this.total += other.total;
  }

  /** The upper edge (ms) of the bucket holding the p-th percentile; undefined when empty. */
  percentile(p) {
    if (this.total === 0) return undefined;
    const rank = Math.ceil((p / 100) * this.total);
    let seen = 0;
    for (let i = 0; i < BUCKETS; i += 1) {
      seen += this.counts[i];
      if (seen >= rank) return (i + 1) * BUCKET_MS;
    }
    return BUCKETS * BUCKET_MS;
  }
}
