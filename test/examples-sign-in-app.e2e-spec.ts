import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { repositoryImportsOf } from './support/example-imports.js';
import { freePort } from './support/service-process.js';
import { launchChromium } from './support/real-browser.js';
import { ROOT, sleep } from './support/service-process.js';

/**
 * Where the screenshots go. docs/images/try-it-*.png were taken with `SCREENSHOT_DIR=docs/images
 * TRY_PORTS=3000,3001,3002` (the ports the README names; free ones otherwise).
 */
const SHOTS = process.env.SCREENSHOT_DIR ?? join(tmpdir(), 'nts-browser-screenshots');

/**
 * `npm run try` as a terminal runs it: in a process group of its own (Ctrl-C reaches the whole group),
 * its output collected.
 */
class TryCommand {
  output = '';
  /** Once npm and everything that shares its output (the launcher) have exited. */
  readonly closed: Promise<void>;
  private readonly child: ChildProcess;
  private readonly seen = new Set<number>();

  constructor(env: Record<string, string>) {
    const { NODE_OPTIONS: _jest, ...inherited } = process.env;
    this.child = spawn('npm', ['run', 'try'], { cwd: ROOT, env: { ...inherited, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    for (const stream of [this.child.stdout!, this.child.stderr!]) stream.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.closed = new Promise((resolve) => this.child.once('close', () => resolve()));
  }

  get exitCode(): number | null {
    return this.child.exitCode;
  }

  get pid(): number {
    return this.child.pid!;
  }

  async waitFor(text: string, timeoutMs = 60_000): Promise<void> {
    for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await sleep(50)) {
      if (this.output.includes(text)) return;
      if (this.child.exitCode !== null) break;
    }
    throw new Error(`"${text}" not printed; got:\n${this.output}`);
  }

  /** Every live process under it (npm, the launcher, the three services), from /proc. */
  descendants(): number[] {
    const children = new Map<number, number[]>();
    for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
      const ppid = parentOf(Number(entry));
      if (ppid !== undefined) children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    }
    const found: number[] = [];
    for (let i = -1; i < found.length; i++) found.push(...(children.get(i < 0 ? this.pid : found[i]) ?? []));
    for (const pid of found) this.seen.add(pid);
    return found;
  }

  signalGroup(signal: NodeJS.Signals): void {
    process.kill(-this.pid, signal);
  }

  /** For afterAll: nothing of a failed run may outlive the test (re-parented processes included). */
  killAll(): void {
    for (const pid of [this.pid, ...this.descendants(), ...this.seen]) if (alive(pid)) process.kill(pid, 'SIGKILL');
  }
}

/** The parent pid of a live process (a zombie counts as gone), from /proc/<pid>/stat. */
function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return state === 'Z' ? undefined : Number(ppid);
  } catch {
    return undefined;
  }
}
const alive = (pid: number) => parentOf(pid) !== undefined;

/** Every command a test started: afterAll kills what is left of them, whatever the test did. */
const commands: TryCommand[] = [];
function startTry(env: Record<string, string>): TryCommand {
  const command = new TryCommand(env);
  commands.push(command);
  return command;
}
afterAll(() => commands.forEach((command) => command.killAll()));

/** The throwaway folder of a running command (the auth-service names its key file in it), there now. */
function scratchOf(command: TryCommand): string {
  const scratch = /(\/\S*nts-try-[^/\s]+)\//.exec(command.output)?.[1];
  expect(scratch && existsSync(scratch)).toBe(true);
  return scratch!;
}

async function distinctFreePorts(count: number): Promise<number[]> {
  if (process.env.TRY_PORTS) return process.env.TRY_PORTS.split(',').map(Number);
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}

/**
 * The README's "Try it in a minute": the one command starts the auth-service, the resource-service and
 * examples/sign-in-app (openid-client, a server-side session), and Chromium goes through what a
 * newcomer does: Sign in on the hosted page, consent, the ID token's claims, a call to the
 * resource-service, Sign out; then Ctrl-C stops all of it.
 */
describe('npm run try: examples/sign-in-app against both services, in Chromium', () => {
  let browser: Browser;
  let command: TryCommand;
  let app: string;
  let issuer: string;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    const [auth, resource, appPort] = await distinctFreePorts(3);
    app = `http://localhost:${appPort}`;
    issuer = `http://localhost:${auth}`;
    command = startTry({ AUTH_PORT: String(auth), RESOURCE_PORT: String(resource), APP_PORT: String(appPort) });
    [browser] = await Promise.all([launchChromium(), command.waitFor(`open ${app} and sign in as testuser / password`)]);
  }, 90_000);

  afterAll(() => browser?.close());

  const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  const claim = (page: Page, name: string) =>
    page
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name, exact: true }) })
      .getByRole('cell')
      .first();

  it('signs in on the hosted page, consents, shows the claims, calls the resource-service, signs out', async () => {
    const context = await browser.newContext({ viewport: { width: 1024, height: 540 } });
    const page = await context.newPage();
    const urls: string[] = [];
    page.on('request', (request) => urls.push(request.url()));

    await page.goto(app);
    await page.getByRole('link', { name: 'Sign in' }).click();
    await page.getByLabel('Username').fill('testuser');
    await page.getByLabel('Password').fill('password');
    expect(new URL(page.url()).origin).toBe(issuer);
    const beforeSignIn = (await context.cookies(app)).find((c) => c.name === 'sign_in_app_session')!.value;
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Allow' }).click();

    await page.getByRole('heading', { name: 'Signed in' }).waitFor();
    expect(page.url()).toBe(`${app}/`);
    const sub = (await claim(page, 'sub').textContent())!;
    expect(sub).toMatch(/^\S{8,}$/);
    expect(await claim(page, 'preferred_username').textContent()).toBe('testuser');
    expect(await claim(page, 'aud').textContent()).toBe('sign-in-app');
    expect(await claim(page, 'iss').textContent()).toBe(issuer);

    // The tokens stay on the app's server: the browser holds an HttpOnly session id, no page shows a token.
    // A new session id once signed in: one planted before sign-in (session fixation) is worth nothing.
    const session = (await context.cookies(app)).find((c) => c.name === 'sign_in_app_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    expect(session!.value).not.toBe(beforeSignIn);
    expect(await page.content()).not.toContain('eyJ');

    await page.getByRole('button', { name: 'Call the resource-service' }).click();
    await page.getByText('HTTP 200').waitFor();
    expect(JSON.parse((await page.locator('pre').textContent())!)).toEqual({
      message: 'This is a protected resource',
      user: { userId: sub, username: 'testuser' },
    });
    await shot(page, 'try-it-claims');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('You are signed out.').waitFor();
    expect(page.url()).toBe(`${app}/signed-out`);
    await shot(page, 'try-it-signed-out');

    // The app forgot the session, and the auth-service ended its own: signing in asks for the password.
    await page.goto(app);
    await page.getByRole('link', { name: 'Sign in' }).click();
    await page.getByLabel('Password').waitFor();

    // The code crossed the browser once (the callback); no token ever did, except the ID token as the
    // logout's id_token_hint. The terminal shows none of them.
    const callback = new URL(urls.find((url) => url.startsWith(`${app}/callback?`))!);
    expect(urls.filter((url) => url.includes('eyJ')).map((url) => new URL(url).pathname)).toEqual(['/oauth/logout']);
    expect(command.output).not.toContain(callback.searchParams.get('code'));
    expect(command.output).not.toMatch(/eyJ|nts_rt_|client_secret/);
    await context.close();
  }, 60_000);

  it('answers a callback it did not ask for, or with another state, 400; a sign-out posted from elsewhere 403', async () => {
    const stray = await fetch(`${app}/callback?code=abc&state=xyz`);
    expect(stray.status).toBe(400);

    const login = await fetch(`${app}/login`, { redirect: 'manual' });
    const cookie = login.headers.get('set-cookie')!.split(';')[0];
    const sent = new URL(login.headers.get('location')!);
    expect(sent.searchParams.get('code_challenge_method')).toBe('S256');
    const forged = await fetch(`${app}/callback?code=abc&state=not-${sent.searchParams.get('state')}&iss=${encodeURIComponent(issuer)}`, {
      headers: { cookie },
    });
    expect(forged.status).toBe(400);
    expect(await forged.text()).toContain('unexpected &quot;state&quot; response parameter value');

    const elsewhere = await fetch(`${app}/logout`, { method: 'POST', headers: { origin: 'http://localhost:1', cookie }, redirect: 'manual' });
    expect(elsewhere.status).toBe(403);
  });

  it('stops on Ctrl-C (SIGINT to its process group): every service ends cleanly, no process left, the throwaway database removed', async () => {
    const tree = command.descendants();
    const scratch = scratchOf(command);
    expect(tree.length).toBeGreaterThanOrEqual(5); // sh, the launcher, auth, resource, app

    command.signalGroup('SIGINT');
    await command.closed;

    expect(tree.filter(alive)).toEqual([]);
    expect(command.output).not.toMatch(/exited with|failed to start/);
    expect(existsSync(scratch)).toBe(false);
  }, 30_000);
});

describe('npm run try: the other ways it ends, and what the example is made of', () => {
  it('stops on SIGTERM to npm alone (a process manager): every service ends cleanly, no process left, the throwaway database removed', async () => {
    const [auth, resource, appPort] = await distinctFreePorts(3);
    const command = startTry({ AUTH_PORT: String(auth), RESOURCE_PORT: String(resource), APP_PORT: String(appPort) });
    await command.waitFor(`open http://localhost:${appPort}`);
    const tree = command.descendants();
    const scratch = scratchOf(command);
    expect(tree.length).toBeGreaterThanOrEqual(5);

    // npm hands it to the shell it started, which dies without passing it on: the launcher sees its parent go.
    process.kill(command.pid, 'SIGTERM');
    await command.closed;

    expect(tree.filter(alive)).toEqual([]);
    expect(command.output).not.toMatch(/exited with|failed to start/);
    expect(existsSync(scratch)).toBe(false);
  }, 90_000);

  it('imports nothing from apps/ or libs/: it is what another team would have', async () => {
    const { files, repositoryImports } = await repositoryImportsOf(join(ROOT, 'examples/sign-in-app'));

    expect(files.length).toBeGreaterThan(3);
    expect(repositoryImports).toEqual([]);
  });

  it('refuses NODE_ENV=production before starting anything', async () => {
    const command = startTry({ NODE_ENV: 'production' });
    await command.closed;

    expect(command.exitCode).toBe(1);
    expect(command.output).toContain('not with NODE_ENV=production');
    expect(command.output).not.toContain('listening');
  });
});
