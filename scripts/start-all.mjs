// `npm start`: runs auth-service (3000) and resource-service (3001) from dist/ with the inherited
// environment, prefixes their output, forwards SIGINT/SIGTERM, and stops both when either exits.
// Exit code: 0 when every child ended cleanly (code 0, or the signal we forwarded), else non-zero.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const services = { auth: 'dist/apps/auth-service/src/main.js', resource: 'dist/apps/resource-service/src/main.js' };
// The same V8 flags as `npm run start:auth` / `start:resource` (docs/performance.md, "Memory").
const NODE_FLAGS = ['--max-semi-space-size=4', '--heap-growing-percent=20'];
const KILL_AFTER_MS = 10_000;

const children = Object.entries(services).map(([name, script]) => {
  // Own process group: a terminal Ctrl-C reaches only this supervisor, which forwards it once.
  const proc = spawn(process.execPath, [...NODE_FLAGS, join(root, script)], { cwd: root, env: process.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  for (const [from, to] of [
    [proc.stdout, process.stdout],
    [proc.stderr, process.stderr],
  ]) {
    createInterface({ input: from, crlfDelay: Infinity }).on('line', (line) => to.write(`[${name}] ${line}\n`));
  }
  const child = { name, proc, sent: null, done: false, failed: false, code: 0 };
  proc.on('error', (err) => {
    process.stderr.write(`[${name}] failed to start: ${err.message}\n`);
  });
  proc.on('close', (code, signal) => {
    child.done = true;
    child.failed = !(code === 0 || (signal !== null && signal === child.sent));
    child.code = code ?? 1;
    if (child.failed) process.stderr.write(`[${name}] exited with ${signal ? `signal ${signal}` : `code ${code}`}\n`);
    stopAll('SIGTERM');
    if (children.every((c) => c.done)) {
      const failed = children.find((c) => c.failed);
      process.exit(failed ? failed.code || 1 : 0);
    }
  });
  return child;
});

let killTimer = null;
function stopAll(signal) {
  for (const child of children) {
    if (child.done || child.sent) continue; // forward at most once per child
    child.sent = signal;
    try {
      child.proc.kill(signal);
    } catch {
      /* already gone */
    }
  }
  killTimer ??= setTimeout(() => {
    for (const child of children) if (!child.done) child.proc.kill('SIGKILL'); // a hang counts as a failure
  }, KILL_AFTER_MS).unref();
}

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => stopAll(signal));
process.on('exit', () => {
  for (const child of children)
    if (!child.done)
      try {
        child.proc.kill('SIGKILL');
      } catch {}
});
