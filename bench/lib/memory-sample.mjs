// One memory sample of a running service: the kernel's view (/proc/<pid>/status: resident, peak,
// anonymous vs file-backed) and, when the service was started with bench/lib/memory-probe.mjs, the
// process's own (V8 heap used and committed, external, ArrayBuffers).
import { readFile, rm, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

export const PROBE = fileURLToPath(new URL('./memory-probe.mjs', import.meta.url));

/** Node flags that preload the probe (and allow it a full GC before its `retainedMb`). */
export const PROBE_NODE_ARGS = ['--expose-gc', '--import', PROBE];

const KB_FIELDS = ['VmRSS', 'VmHWM', 'RssAnon', 'RssFile'];

async function procStatus(pid) {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const field = (name) => Math.round((Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]) / 1024) * 10) / 10;
  return Object.fromEntries(KB_FIELDS.map((name) => [name, field(name)]));
}

/** Asks the probe for a report (SIGUSR2) and waits for the file to be rewritten; undefined without a probe. */
async function probeReport(pid, file) {
  if (!file) return undefined;
  await rm(file, { force: true });
  process.kill(pid, 'SIGUSR2');
  for (let i = 0; i < 200; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    const written = await stat(file).catch(() => undefined);
    if (written && written.size > 0) return JSON.parse(await readFile(file, 'utf8'));
  }
  throw new Error(`the memory probe of ${pid} did not answer (is it preloaded?)`);
}

/** `/proc` first, then the probe (whose optional full GC must not change the kernel's figures). */
export async function sample(label, pid, probeFile) {
  const proc = await procStatus(pid);
  const probe = await probeReport(pid, probeFile);
  return { label, ...proc, probe };
}

const COLUMNS = [
  ['stage', (s) => s.label],
  ['RSS MB', (s) => s.VmRSS],
  ['peak', (s) => s.VmHWM],
  ['anon', (s) => s.RssAnon],
  ['file', (s) => s.RssFile],
  ['heap used', (s) => s.probe?.heapUsedMb],
  ['after GC', (s) => s.probe?.retainedMb],
  ['heap committed', (s) => s.probe?.heapTotalMb],
  ['external', (s) => s.probe?.externalMb],
  ['array buffers', (s) => s.probe?.arrayBuffersMb],
  ['native (anon - heap - external)', (s) => (s.probe ? Math.round((s.RssAnon - s.probe.heapTotalMb - s.probe.externalMb) * 10) / 10 : undefined)],
];

/** Collections of one kind since the previous sample: `count (ms)`. */
function gcSince(kind) {
  return (s, previous) => {
    const now = s.probe?.gc?.[kind];
    if (!now) return undefined;
    const before = previous?.probe?.gc?.[kind] ?? { count: 0, ms: 0 };
    return `${now.count - before.count} (${Math.round(now.ms - before.ms)} ms)`;
  };
}
COLUMNS.push(['minor GCs since', gcSince('minor')], ['major GCs since', gcSince('major')]);

/** A markdown table of samples. */
export function formatSamples(samples) {
  const rows = samples.map((s, i) => COLUMNS.map(([, value]) => String(value(s, samples[i - 1]) ?? '')));
  const header = COLUMNS.map(([name]) => name);
  const widths = header.map((name, i) => Math.max(name.length, ...rows.map((row) => row[i].length)));
  const line = (cells) => `| ${cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join(' | ')} |`;
  const rule = `|${widths.map((width, i) => (i === 0 ? `:${'-'.repeat(width + 1)}` : `${'-'.repeat(width + 1)}:`)).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}
