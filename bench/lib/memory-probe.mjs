// Preloaded into a service by `bench/memory.mjs` (`node --import <this file> ...`), never by the
// services themselves: on SIGUSR2 it writes the process's own memory accounting (V8 heap spaces,
// external and ArrayBuffer memory) as one JSON object to MEMORY_PROBE_FILE, so a running service
// can be inspected without --inspect, a debugger or a heap snapshot. When node runs with --expose-gc,
// the heap is also measured after a full collection (`retainedMb`: what is really kept).
import { writeFileSync } from 'node:fs';
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics, getHeapStatistics } from 'node:v8';

const file = process.env.MEMORY_PROBE_FILE;
const MB = 2 ** 20;
const mb = (bytes) => Math.round((bytes / MB) * 10) / 10;

/** Garbage collections so far (the probe's own forced ones left out), by kind: how many and their main-thread time (ms). */
const gc = { minor: { count: 0, ms: 0 }, major: { count: 0, ms: 0 }, other: { count: 0, ms: 0 } };
const KINDS = { [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor', [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major' };

if (file) {
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.detail?.flags & constants.NODE_PERFORMANCE_GC_FLAGS_FORCED) continue; // the probe's own gc()
      const kind = gc[KINDS[entry.detail?.kind] ?? 'other'];
      kind.count += 1;
      kind.ms += entry.duration;
    }
  }).observe({ entryTypes: ['gc'] });
  process.on('SIGUSR2', () => {
    const usage = process.memoryUsage();
    const heap = getHeapStatistics();
    const spaces = Object.fromEntries(
      getHeapSpaceStatistics().map((space) => [space.space_name, { usedMb: mb(space.space_used_size), sizeMb: mb(space.space_size) }]),
    );
    const report = {
      at: Date.now(),
      rssMb: mb(usage.rss),
      heapUsedMb: mb(usage.heapUsed),
      heapTotalMb: mb(usage.heapTotal),
      externalMb: mb(usage.external),
      arrayBuffersMb: mb(usage.arrayBuffers),
      mallocedMb: mb(heap.malloced_memory),
      peakMallocedMb: mb(heap.peak_malloced_memory),
      spaces,
      gc: structuredClone(gc),
    };
    if (typeof globalThis.gc === 'function') {
      globalThis.gc();
      report.retainedMb = mb(process.memoryUsage().heapUsed);
    }
    writeFileSync(file, `${JSON.stringify(report)}\n`);
  });
}
