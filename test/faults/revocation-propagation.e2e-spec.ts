import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT, BUILT, ServiceProcess, sleep } from '../support/service-process.js';
import { BOUND_MS, POLL_MS, RevocationClient, resourceEnvFor, spread } from './support/revocation.js';

const RUNS = 20;
const CLI = join(ROOT, 'dist/apps/auth-service/src/cli.js');

const run = promisify(execFile);

/**
 * The built auth-service and resource-service as processes on the real clock (REVOCATION_POLL_INTERVAL=1s):
 * how long after a revocation the resource-service refuses the token, per action; and the feed out of
 * reach (the auth-service stopped): the list read last is still enforced, readiness stays up, and
 * enforcement resumes once the feed is back.
 */
describe('revocation propagation between built services', () => {
  let dir: string;
  let env: Record<string, string>;
  let auth: ServiceProcess;
  let resource: ServiceProcess;
  const figures: Record<string, number[]> = {};

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'revocation-fault-'));
    env = { KEYS_DIR: join(dir, 'keys'), DATA_DIR: join(dir, 'data'), LOGIN_MAX_FAILURES: '1000', LOGIN_ADDRESS_MAX_FAILURES: '100000' };
    auth = await ServiceProcess.start(BUILT.auth, env);
    resource = await ServiceProcess.start(BUILT.resource, resourceEnvFor(auth));
  }, 60_000);
  afterAll(async () => {
    await resource?.stop();
    await auth?.stop();
    await rm(dir, { recursive: true, force: true });
    const lines = Object.entries(figures).map(([action, ms]) => `${action}: ${spread(ms)}`);
    process.stderr.write(`revocation propagation (poll ${POLL_MS} ms):\n  ${lines.join('\n  ')}\n`);
  });

  const cli = (...args: string[]) =>
    run(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...process.env, NODE_OPTIONS: '', NODE_ENV: 'development', ...env } });
  const client = new RevocationClient(
    () => auth,
    () => resource,
  );
  const status = (token: string) => client.status(token);
  const login = () => client.login();
  const post = (path: string, body: Record<string, string>) => client.post(path, body);

  /** Runs `revoke`, then measures from its completion until `token` is refused; records the delay under `action`. */
  async function measure(action: string, token: string, revoke: () => Promise<unknown>): Promise<number> {
    expect(await status(token)).toBe(200);
    await revoke();
    const delay = (await client.refusedAfter(token)) ?? Number.POSITIVE_INFINITY;
    (figures[action] ??= []).push(delay);
    expect(await status(token)).toBe(401);
    return delay;
  }

  it(`logout: refused within the poll interval + 1 s (${RUNS} runs); another session of the user is not`, async () => {
    for (let i = 0; i < RUNS; i++) {
      const [mine, other] = [await login(), await login()];
      // A random phase against the poll timer, so the figures spread over the interval instead of repeating one phase.
      await sleep(Math.random() * POLL_MS);
      expect(await measure('logout', mine.access, () => post('/auth/logout', { refresh_token: mine.refresh }))).toBeLessThanOrEqual(BOUND_MS);
      expect(await status(other.access)).toBe(200);
    }
  }, 120_000);

  it('RFC 7009 revocation of an access token at /oauth/revoke', async () => {
    for (let i = 0; i < 5; i++) {
      const { access } = await login();
      const revoke = () =>
        fetch(`${auth.url}/oauth/revoke`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ token: access, client_id: 'default' }),
        });
      expect(await measure('/oauth/revoke', access, revoke)).toBeLessThanOrEqual(BOUND_MS);
    }
  }, 60_000);

  it('operator commands (the built CLI on the same database): sessions revoke --user, clients disable (another client unaffected)', async () => {
    const { access } = await login();
    expect(await measure('sessions revoke --user', access, () => cli('sessions', 'revoke', '--user', 'testuser'))).toBeLessThanOrEqual(BOUND_MS);

    const secrets: Record<string, string> = {};
    for (const id of ['fault-a', 'fault-b']) {
      secrets[id] = (
        JSON.parse((await cli('clients', 'add', id, '--grant', 'client_credentials', '--json')).stdout.trim()) as { client_secret: string }
      ).client_secret;
    }
    const tokenOf = async (id: string) => {
      const res = await fetch(`${auth.url}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${id}:${secrets[id]}`).toString('base64')}` },
        body: new URLSearchParams({ grant_type: 'client_credentials' }),
      });
      return ((await res.json()) as { access_token: string }).access_token;
    };
    const [a, b] = [await tokenOf('fault-a'), await tokenOf('fault-b')];
    expect(await measure('clients disable', a, () => cli('clients', 'disable', 'fault-a'))).toBeLessThanOrEqual(BOUND_MS);
    expect(await status(b)).toBe(200);
  }, 60_000);

  it('feed unreachable: the last list is still enforced, readiness stays up, the feed age grows; back, it is enforced again', async () => {
    const [revoked, kept, later] = [await login(), await login(), await login()];
    await post('/auth/logout', { refresh_token: revoked.refresh });
    await sleep(BOUND_MS);
    const port = auth.port;
    await auth.stop();

    await sleep(2_500);
    expect(await status(revoked.access)).toBe(401);
    expect(await status(kept.access)).toBe(200);
    expect((await fetch(`${resource.url}/health/ready`)).status).toBe(200);
    const metrics = await (await fetch(`${resource.url}/metrics`)).text();
    expect(Number(/^revocation_feed_age_seconds (\S+)$/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(1);
    expect(metrics).toMatch(/^revocation_feed_polls_total\{result="error"\} [1-9]/m);
    expect(resource.records.some((r) => /revocation feed .* unreadable/.test(String(r.msg)))).toBe(true);

    auth = await ServiceProcess.start(BUILT.auth, { ...env, PORT: String(port) });
    expect(await measure('logout after the outage', later.access, () => post('/auth/logout', { refresh_token: later.refresh }))).toBeLessThanOrEqual(BOUND_MS);
    expect(await status(kept.access)).toBe(200);
  }, 60_000);
});
