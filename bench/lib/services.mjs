// Starts the built services the way an operator would (the command of `npm run start:auth` and
// `start:resource`, configured only by the environment, NODE_ENV=production), on free loopback
// ports, and stops every child on exit or signal.
import { execFileSync, spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { createWriteStream, rmSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CLI = 'dist/apps/auth-service/src/cli.js';
const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 5_000;

const children = new Set();
const tempDirs = new Set();

/** SIGKILLs every child still running; safe to call more than once. */
export function killAll() {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}
process.on('exit', () => {
  killAll();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    killAll();
    process.exit(128 + { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 }[signal]);
  });
}

/** A port that was free a moment ago: listen on 0 and give it back. Never 3000/3001 unless the OS picks them. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * A private temp workspace: KEYS_DIR/private.pem (0600) for `algorithm`, an empty DATA_DIR, log files.
 * `privateKey` is the same key as a KeyObject, for the raw sign/verify rate.
 */
export async function createWorkspace(algorithm) {
  const dir = await mkdtemp(join(tmpdir(), 'nts-bench-'));
  const keysDir = join(dir, 'keys');
  const dataDir = join(dir, 'data');
  await mkdir(keysDir, { mode: 0o700 });
  await mkdir(dataDir, { mode: 0o700 });
  const { privateKey } = generateKeyPairSync(...keyParameters(algorithm));
  const keyFile = join(keysDir, 'private.pem');
  await writeFile(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  await chmod(keyFile, 0o600);
  tempDirs.add(dir);
  const remove = async () => {
    await rm(dir, { recursive: true, force: true });
    tempDirs.delete(dir);
  };
  return { dir, keysDir, dataDir, privateKey, remove };
}

function keyParameters(algorithm) {
  if (algorithm === 'EdDSA' || algorithm === 'Ed25519') return ['ed25519'];
  const curve = { ES256: 'prime256v1', ES384: 'secp384r1', ES512: 'secp521r1' }[algorithm];
  return curve ? ['ec', { namedCurve: curve }] : ['rsa', { modulusLength: 2048 }];
}

/** `users add <name>` through the real operator CLI; the password goes to its stdin, never argv. */
export async function addUser(root, env, username, password) {
  const proc = spawn(process.execPath, [CLI, 'users', 'add', username], { cwd: root, env, stdio: ['pipe', 'pipe', 'pipe'] });
  children.add(proc);
  let output = '';
  proc.stdout.on('data', (chunk) => (output += chunk));
  proc.stderr.on('data', (chunk) => (output += chunk));
  proc.stdin.end(`${password}\n`);
  const code = await new Promise((resolve) => proc.on('close', resolve));
  children.delete(proc);
  if (code !== 0) throw new Error(`cli users add exited with ${code}: ${output.trim()}`);
}

/** Registers a confidential client allowed client_credentials; returns `{ client_id, client_secret }` (the CLI's `--json` line). */
export async function addClient(root, env, clientId, options = ['--grant', 'client_credentials']) {
  const proc = spawn(process.execPath, [CLI, 'clients', 'add', clientId, ...options, '--json'], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(proc);
  let output = '';
  proc.stdout.on('data', (chunk) => (output += chunk));
  proc.stderr.on('data', (chunk) => (output += chunk));
  const code = await new Promise((resolve) => proc.on('close', resolve));
  children.delete(proc);
  if (code !== 0) throw new Error(`cli clients add exited with ${code}: ${output.trim()}`);
  return JSON.parse(output.trim().split('\n').at(-1));
}

/** Environment of the auth-service and of the resource-service, both pointing at the auth port. */
export function serviceEnvironments(workspace, algorithm, authPort, resourcePort) {
  const issuer = `http://127.0.0.1:${authPort}`;
  const base = { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'production' };
  return {
    auth: { ...base, PORT: String(authPort), AUTH_ISSUER: issuer, JWT_ALGORITHM: algorithm, KEYS_DIR: workspace.keysDir, DATA_DIR: workspace.dataDir },
    resource: { ...base, PORT: String(resourcePort), AUTH_ISSUER: issuer, JWKS_URI: `${issuer}/.well-known/jwks.json` },
  };
}

/**
 * The command line of an npm script of the form `node [node flags] <script>` (start:auth,
 * start:resource), so the benchmark runs exactly what `npm run <name>` runs, as a direct child.
 */
export async function npmScriptCommand(root, name) {
  const { scripts } = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
  const words = (scripts?.[name] ?? '').trim().split(/\s+/);
  if (words[0] !== 'node' || words.length < 2 || words.slice(1).some((word) => /["'$;&|<>`]/.test(word))) {
    throw new Error(`npm script "${name}" must be "node [flags] <script>" (is "${scripts?.[name]}")`);
  }
  return words.slice(1);
}

export async function startAuth(root, env, logFile, extraNodeArgs = []) {
  return startService('auth-service', root, [...extraNodeArgs, ...(await npmScriptCommand(root, 'start:auth'))], env, logFile);
}

export async function startResource(root, env, logFile, extraNodeArgs = []) {
  return startService('resource-service', root, [...extraNodeArgs, ...(await npmScriptCommand(root, 'start:resource'))], env, logFile);
}

/** The bare Nest + fast-jwt service of bench/baseline/ (the bar we compare with), same node flags as start:resource; it has no health route. */
export async function startBaseline(root, env, logFile) {
  const nodeFlags = (await npmScriptCommand(root, 'start:resource')).slice(0, -1);
  return startService('fast-jwt baseline', root, [...nodeFlags, 'bench/baseline/fast-jwt-service.mjs'], env, logFile, '/resource/public');
}

/**
 * Spawns a service and waits for the first 200 on `readyPath` (/health/ready). `readyMs` runs from just before the
 * spawn, so it covers node's own start, module loading, Nest's bootstrap and the first readiness check.
 */
async function startService(name, root, args, env, logFile, readyPath = '/health/ready') {
  const url = `http://127.0.0.1:${env.PORT}`;
  const log = createWriteStream(logFile, { flags: 'a' });
  const started = performance.now();
  const proc = spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(proc);
  proc.stdout.pipe(log);
  proc.stderr.pipe(log);
  const exited = new Promise((resolve) => proc.once('exit', (code, signal) => resolve(signal ?? code)));
  const deadline = started + READY_TIMEOUT_MS;
  const state = { early: undefined };
  exited.then((how) => (state.early = how));
  while (performance.now() < deadline && state.early === undefined) {
    if (await answers200(`${url}${readyPath}`)) {
      return { name, url, proc, pid: proc.pid, readyMs: performance.now() - started, exited };
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  proc.kill('SIGKILL');
  const tail = (await readFile(logFile, 'utf8').catch(() => '')).split('\n').slice(-15).join('\n');
  throw new Error(`${name} ${state.early === undefined ? 'was not ready in time' : `exited (${state.early})`}; log tail:\n${tail}`);
}

async function answers200(url) {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false;
  }
}

/** Resident memory of a process now and its peak, in MB, from /proc (Linux); undefined elsewhere. */
export async function memoryOf(pid) {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const field = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]) / 1024;
    return { rssMb: field('VmRSS'), peakMb: field('VmHWM') };
  } catch {
    return undefined;
  }
}

const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' })) || 100;
  } catch {
    return 100;
  }
})();

/** CPU seconds (user + system, all threads) a process has used so far, from /proc; undefined elsewhere. */
export async function cpuSecondsOf(pid) {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS; // utime, stime (fields 14, 15)
  } catch {
    return undefined;
  }
}

/** SIGTERM (the service's graceful shutdown), SIGKILL after a grace period. */
export async function stopService(service) {
  if (service.proc.exitCode === null && service.proc.signalCode === null) {
    service.proc.kill('SIGTERM');
    const timer = setTimeout(() => service.proc.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await service.exited;
    clearTimeout(timer);
  }
  children.delete(service.proc);
}
