// Runs node processes side by side for `npm start` (scripts/start-all.mjs) and `npm run try`
// (scripts/try.mjs): prefixes their output with their name, forwards SIGINT/SIGTERM once (SIGHUP and the
// death of our parent as SIGTERM), stops them all when one exits, and calls `onDone(code)` when every
// one has ended: 0 when each ended cleanly (code 0, or the signal we forwarded), else non-zero. A child
// that has not stopped 10 s after the signal is killed (and counts as a failure).
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const KILL_AFTER_MS = 10_000;
// The V8 flags of `npm run start:auth` / `start:resource` (docs/performance.md, "Memory").
export const NODE_FLAGS = ['--max-semi-space-size=4', '--heap-growing-percent=20'];

export function supervise({ cwd, onDone }) {
  const children = [];
  let stopping = false;
  let killTimer = null;

  function finishIfAllDone() {
    if (!children.every((c) => c.done)) return;
    const failed = children.find((c) => c.failed);
    onDone(failed ? failed.code || 1 : 0);
  }

  function stopAll(signal) {
    stopping = true;
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
    finishIfAllDone();
  }

  /** Starts `node [nodeFlags] script` as `name`; nothing once stopping has begun. */
  function start(name, script, { env = process.env, nodeFlags = [] } = {}) {
    if (stopping) return;
    // Own process group: a terminal Ctrl-C reaches only this supervisor, which forwards it once.
    const proc = spawn(process.execPath, [...nodeFlags, script], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    for (const [from, to] of [
      [proc.stdout, process.stdout],
      [proc.stderr, process.stderr],
    ]) {
      createInterface({ input: from, crlfDelay: Infinity }).on('line', (line) => to.write(`[${name}] ${line}\n`));
    }
    const child = { name, proc, sent: null, done: false, failed: false, code: 0 };
    children.push(child);
    proc.on('error', (err) => {
      process.stderr.write(`[${name}] failed to start: ${err.message}\n`);
    });
    proc.on('close', (code, signal) => {
      child.done = true;
      child.failed = !(code === 0 || (signal !== null && signal === child.sent));
      child.code = code ?? 1;
      if (child.failed) process.stderr.write(`[${name}] exited with ${signal ? `signal ${signal}` : `code ${code}`}\n`);
      stopAll('SIGTERM');
    });
  }

  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => stopAll(signal));
  // The terminal closed, or our parent is gone: under `npm run`, npm hands a SIGTERM to the shell it
  // started, which dies without passing it on, and we are re-parented. Stop then too.
  process.on('SIGHUP', () => stopAll('SIGTERM'));
  const parent = process.ppid;
  setInterval(() => {
    if (!stopping && process.ppid !== parent) stopAll('SIGTERM');
  }, 500).unref();
  process.on('exit', () => {
    for (const child of children)
      if (!child.done)
        try {
          child.proc.kill('SIGKILL');
        } catch {}
  });

  return {
    start,
    stopAll,
    get stopping() {
      return stopping;
    },
  };
}
