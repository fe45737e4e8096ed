import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root; `dist/` (from `npm run build`, which `npm test` runs first) holds the built services. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The entry points `npm run start:auth` / `npm run start:resource` run, with the same V8 flags. */
export const BUILT = {
  auth: join(ROOT, 'dist/apps/auth-service/src/main.js'),
  resource: join(ROOT, 'dist/apps/resource-service/src/main.js'),
} as const;
const NODE_FLAGS = ['--max-semi-space-size=4', '--heap-growing-percent=20'];

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A port nobody listens on right now on 127.0.0.1 (the kernel's choice for port 0): for an address a service must know before it listens, or one that refuses connections. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface StartOptions {
  /** Inherit stderr (default) or collect it with stdout. */
  stderr?: 'inherit' | 'collect';
}

/**
 * A built service running as a child process on the real clock, its JSON log lines collected. Started
 * with `PORT=0` unless told otherwise; `url` is read from its "listening on" line.
 */
export class ServiceProcess {
  readonly records: Array<Record<string, unknown>> = [];
  readonly exited: Promise<number | null>;
  port = 0;
  exitSignal: NodeJS.Signals | null = null;

  constructor(readonly child: ChildProcess) {
    const collect = (line: string) => {
      try {
        this.records.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        this.records.push({ msg: line });
      }
    };
    createInterface({ input: child.stdout! }).on('line', collect);
    if (child.stderr) createInterface({ input: child.stderr }).on('line', collect);
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        this.exitSignal = signal;
        resolve(code);
      }),
    );
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Starts `script` (a built entry point, `BUILT.auth` by default) and waits until it listens (killed if it does not). */
  static async start(script: string, env: Record<string, string>, options: StartOptions = {}): Promise<ServiceProcess> {
    const service = ServiceProcess.launch(script, env, options);
    // A service that never listens is killed, or it would outlive the test and keep jest from exiting.
    const listening = await service
      .waitForLog((r) => /listening on http:\/\/[\d.]+:\d+/.test(String(r.msg)), 30_000)
      .catch(async (error: unknown) => {
        await service.kill();
        throw error;
      });
    service.port = Number(/:(\d+)/.exec(String(listening.msg).split('http://')[1])![1]);
    return service;
  }

  /** Starts `script` without waiting for it to listen: for a start that is meant to fail (`exited`). */
  static launch(script: string, env: Record<string, string>, options: StartOptions = {}): ServiceProcess {
    const { NODE_OPTIONS: _jestOptions, ...inherited } = process.env;
    const child = spawn(process.execPath, [...NODE_FLAGS, script], {
      cwd: ROOT,
      env: { ...inherited, NODE_ENV: 'development', PORT: '0', LOG_FORMAT: 'json', ...env },
      stdio: ['ignore', 'pipe', options.stderr === 'collect' ? 'pipe' : 'inherit'],
    });
    return new ServiceProcess(child);
  }

  async waitForLog(predicate: (record: Record<string, unknown>) => boolean, timeoutMs = 15_000): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const found = this.records.find(predicate);
      if (found) return found;
      if (this.child.exitCode !== null || this.exitSignal !== null) break;
      await sleep(10);
    }
    throw new Error(`log line not found; got:\n${this.records.map((r) => JSON.stringify(r)).join('\n')}`);
  }

  /** True while the process has not exited. */
  get running(): boolean {
    return this.child.exitCode === null && this.exitSignal === null;
  }

  /** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code. */
  async stop(graceMs = 5_000): Promise<number | null> {
    if (!this.running) return this.child.exitCode;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }

  /** SIGKILL now: no shutdown hook runs. */
  async kill(): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }
}
