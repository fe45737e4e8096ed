// Prints where a .cpuprofile (from `npm run bench -- --profile`) spends its time: the functions with
// the most self time, and the packages (node_modules/<name>, node internals, our dist/) they belong to.
// usage: node bench/profile-top.mjs <file.cpuprofile> [rows, default 25] [regexp: inclusive rows to show]
import { readFileSync } from 'node:fs';

const [file, rowsArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: node bench/profile-top.mjs <file.cpuprofile> [rows]');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8'));
const rows = Number(rowsArg ?? 25);

const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const selfUs = new Map();
for (let i = 0; i < profile.samples.length; i += 1) {
  const id = profile.samples[i];
  selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
}

function owner(url) {
  if (!url) return '(native/V8)';
  const module = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (module) return module[1];
  if (url.startsWith('node:')) return 'node internals';
  const ours = /\/dist\/(.+)$/.exec(url);
  return ours ? `ours: ${ours[1].split('/').slice(0, 3).join('/')}` : url;
}

const byFunction = new Map();
const byOwner = new Map();
let total = 0;
for (const [id, us] of selfUs) {
  const { callFrame } = nodes.get(id);
  const name = callFrame.functionName || '(anonymous)';
  const where = callFrame.url ? `${callFrame.url.split('/').slice(-2).join('/')}:${callFrame.lineNumber + 1}` : '';
  const key = `${name} ${where}`.trim();
  byFunction.set(key, (byFunction.get(key) ?? 0) + us);
  const who = ['(idle)', '(program)', '(garbage collector)'].includes(name) ? name : owner(callFrame.url);
  byOwner.set(who, (byOwner.get(who) ?? 0) + us);
  total += us;
}

// Inclusive time: a function's own samples plus everything it called (counted once per stack).
const parent = new Map();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
const keyOf = (node) => {
  const { callFrame } = node;
  const where = callFrame.url ? `${callFrame.url.split('/').slice(-2).join('/')}:${callFrame.lineNumber + 1}` : '';
  return `${callFrame.functionName || '(anonymous)'} ${where}`.trim();
};
const inclusive = new Map();
for (const [id, us] of selfUs) {
  const seen = new Set();
  for (let at = id; at !== undefined; at = parent.get(at)) {
    const key = keyOf(nodes.get(at));
    if (seen.has(key)) continue;
    seen.add(key);
    inclusive.set(key, (inclusive.get(key) ?? 0) + us);
  }
}

const pct = (us) => `${((100 * us) / total).toFixed(1).padStart(5)}%`;
const top = (map, n) => [...map].sort((a, b) => b[1] - a[1]).slice(0, n);
console.log(`${file}: ${(total / 1e6).toFixed(1)} s sampled\n\nself time by owner`);
for (const [who, us] of top(byOwner, 15)) console.log(`${pct(us)}  ${who}`);
console.log('\nself time by function');
for (const [key, us] of top(byFunction, rows)) console.log(`${pct(us)}  ${key}`);
const filter = process.argv[4] ? new RegExp(process.argv[4]) : /./;
console.log(`\ninclusive time by function${process.argv[4] ? ` (matching ${filter})` : ''}`);
for (const [key, us] of top(new Map([...inclusive].filter(([name]) => filter.test(name) && !name.startsWith('('))), rows)) {
  console.log(`${pct(us)}  ${key}`);
}
