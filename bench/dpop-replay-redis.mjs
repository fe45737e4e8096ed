// What a shared DPoP replay record costs (docs/performance.md "DPoP", docs/dpop.md "Replay"):
// `RedisDpopReplayStore.claim` against a Redis (default the local one), one claim at a time (the
// latency one request waits) and `concurrency` in flight (what one process can push through one
// connection), next to the default `MemoryDpopReplayStore`; CPU of this process per claim. Every key
// under a fresh prefix, expiring 10 s after, deleted at the end. Run `npm run build` first.
//   node bench/dpop-replay-redis.mjs [claims=20000] [concurrency=64] [redis url=redis://127.0.0.1:6379]
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { createClient } from 'redis';
import { MemoryDpopReplayStore } from '../dist/libs/jwt-auth/src/dpop/dpop-replay-store.js';
import { RedisDpopReplayStore } from '../dist/libs/jwt-auth/src/dpop/redis-dpop-replay-store.js';

const claims = Number(process.argv[2] ?? 20_000);
const concurrency = Number(process.argv[3] ?? 64);
const url = process.argv[4] ?? 'redis://127.0.0.1:6379';
const prefix = `bench:dpop:${randomUUID()}:`;

const client = createClient({ url, disableOfflineQueue: true });
await client.connect();
const stores = { memory: new MemoryDpopReplayStore(), redis: new RedisDpopReplayStore(client, { keyPrefix: prefix }) };

/** `count` claims of new keys, `inFlight` at a time: claims/s, CPU µs per claim, and the median and p99 wait. */
async function run(store, count, inFlight) {
  const expiresAt = Date.now() + 10_000;
  const waits = [];
  let next = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < count) {
        const key = `${randomUUID()}-${next++}`;
        const t0 = performance.now();
        if (!(await store.claim(key, expiresAt))) throw new Error('a new key was refused');
        waits.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  waits.sort((a, b) => a - b);
  return {
    perSecond: Math.round(count / seconds),
    cpuUs: (used.user + used.system) / count,
    p50: waits[waits.length >> 1],
    p99: waits[Math.floor(waits.length * 0.99)],
  };
}

console.log(`load average ${loadavg()[0].toFixed(2)}; ${claims} claims per row; ${url}`);
for (const [name, store] of Object.entries(stores)) {
  await run(store, Math.min(2000, claims), 8); // warm-up
  for (const inFlight of [1, concurrency]) {
    const r = await run(store, claims, inFlight);
    const row = `${name.padEnd(7)} ${String(inFlight).padStart(3)} in flight`;
    console.log(
      `${row}  ${String(r.perSecond).padStart(8)} claims/s  CPU ${r.cpuUs.toFixed(1).padStart(5)} µs/claim  wait p50 ${r.p50.toFixed(3)} ms, p99 ${r.p99.toFixed(3)} ms`,
    );
  }
}
let cursor = '0';
do {
  const reply = await client.scan(cursor, { MATCH: `${prefix}*`, COUNT: 1000 });
  cursor = reply.cursor;
  if (reply.keys.length > 0) await client.unlink(reply.keys);
} while (cursor !== '0');
client.destroy();
