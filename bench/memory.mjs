// `node bench/memory.mjs auth|resource`: where a service's memory goes, stage by stage (after start,
// after logins, refreshes, fresh and forged token floods), from /proc and from a probe preloaded into
// the service (bench/lib/memory-probe.mjs). Runs the built services (dist/) as `npm run bench` does.
// The resource run is also the check that forged tokens do not grow memory: it exits 1 when RSS
// grows by more than --flat-mb over the forged flood after its first step. docs/performance.md, "Memory".
import autocannon from 'autocannon';
import { randomBytes } from 'node:crypto';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { forgedTokens, freshTokens } from './lib/minted-tokens.mjs';
import { formatSamples, PROBE_NODE_ARGS, sample } from './lib/memory-sample.mjs';
import { addUser, cpuSecondsOf, createWorkspace, freePort, killAll, serviceEnvironments, startAuth, startResource, stopService } from './lib/services.mjs';
import { login, refresh } from './lib/tokens.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const say = (line) => process.stderr.write(`memory: ${line}\n`);

const USAGE = `usage: node bench/memory.mjs auth|resource [flags]   (run \`npm run build\` first)
  auth:      --logins 40 --concurrency 10 --refreshes 2000
             (the bench user's account lockout is raised so concurrent logins are not 429s)
  resource:  --fresh 15000 --forged 100000 --step 10000 --flat-mb 10 [--kid real|random]
             (--kid random: every forged token names a kid of its own, which no key set has)
  --auth-env K=V, --resource-env K=V   extra environment for one service (repeatable)
  --connections 10                     of the token floods
  --node-args "--flag ..."             extra node flags for the measured service (e.g. V8 heap flags)`;

function parse(argv) {
  const options = {
    target: argv[0],
    logins: 40,
    concurrency: 10,
    refreshes: 2000,
    fresh: 15_000,
    forged: 100_000,
    step: 10_000,
    flatMb: 10,
    connections: 10,
    kid: 'real',
    nodeArgs: [],
    authEnv: {},
    resourceEnv: {},
  };
  const numbers = {
    '--logins': 'logins',
    '--concurrency': 'concurrency',
    '--refreshes': 'refreshes',
    '--fresh': 'fresh',
    '--forged': 'forged',
    '--step': 'step',
    '--flat-mb': 'flatMb',
    '--connections': 'connections',
  };
  for (let i = 1; i < argv.length; i += 1) {
    const flag = argv[i];
    const value = argv[(i += 1)];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (numbers[flag]) options[numbers[flag]] = Number(value);
    else if (flag === '--kid' && ['real', 'random'].includes(value)) options.kid = value;
    else if (flag === '--node-args') options.nodeArgs.push(...value.split(/\s+/).filter(Boolean));
    else if (flag === '--auth-env' || flag === '--resource-env') {
      const [name, ...rest] = value.split('=');
      options[flag === '--auth-env' ? 'authEnv' : 'resourceEnv'][name] = rest.join('=');
    } else throw new Error(`unknown flag ${flag}`);
  }
  if (!['auth', 'resource'].includes(options.target)) throw new Error(USAGE);
  return options;
}

/** `count` calls of `task`, at most `concurrency` at once. */
async function pool(count, concurrency, task) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) await task(next++);
    }),
  );
}

/** Sends every token once to GET /resource/protected (dealt out to the connections); returns the status counts and the server's CPU µs per request. */
async function flood(url, pid, tokens, connections) {
  const cpuBefore = await cpuSecondsOf(pid);
  const requests = tokens.map((token) => ({ method: 'GET', path: '/resource/protected', headers: { authorization: `Bearer ${token}` } }));
  let client = 0;
  const result = await autocannon({
    url,
    connections,
    amount: tokens.length,
    setupClient: (connection) => {
      const index = client++;
      connection.setRequests(requests.filter((_, i) => i % connections === index));
    },
  });
  const cpuUs = Math.round((((await cpuSecondsOf(pid)) - cpuBefore) * 1e6) / tokens.length);
  return { statuses: Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, count])), cpuUs };
}

async function main() {
  const options = parse(process.argv.slice(2));
  const workspace = await createWorkspace('RS256');
  const samples = [];
  let exitCode = 0;
  try {
    const authPort = await freePort();
    let resourcePort = await freePort();
    while (resourcePort === authPort) resourcePort = await freePort();
    const env = serviceEnvironments(workspace, 'RS256', authPort, resourcePort);
    Object.assign(env.auth, { LOGIN_MAX_FAILURES: '1000', MEMORY_PROBE_FILE: join(workspace.dir, 'auth-probe.json') }, options.authEnv);
    Object.assign(env.resource, { MEMORY_PROBE_FILE: join(workspace.dir, 'resource-probe.json') }, options.resourceEnv);
    const credentials = { username: 'bench', password: randomBytes(18).toString('base64url') };
    await addUser(root, env.auth, credentials.username, credentials.password);
    const probed = options.target === 'auth' ? [...PROBE_NODE_ARGS, ...options.nodeArgs] : [];
    const auth = await startAuth(root, env.auth, join(workspace.dir, 'auth.log'), probed);
    try {
      if (options.target === 'auth') await authStages(options, auth, env, credentials, samples);
      else exitCode = await resourceStages(options, auth, env, workspace, credentials, samples);
    } finally {
      await stopService(auth);
    }
  } finally {
    killAll();
    await workspace.remove();
  }
  console.log(formatSamples(samples));
  process.exitCode = exitCode;
}

async function authStages(options, auth, env, credentials, samples) {
  const probe = env.auth.MEMORY_PROBE_FILE;
  samples.push(await sample('after start', auth.pid, probe));
  const started = await cpuSecondsOf(auth.pid);
  const sessions = [];
  await pool(options.logins, options.concurrency, async () => sessions.push(await login(auth.url, credentials)));
  const perLogin = ((await cpuSecondsOf(auth.pid)) - started) / options.logins;
  samples.push(await sample(`after ${options.logins} logins, ${options.concurrency} at once (${(perLogin * 1000).toFixed(1)} ms CPU each)`, auth.pid, probe));
  // One chain per session, each always sending the newest refresh token (single use, rotated).
  await Promise.all(
    sessions.map(async (session, lane) => {
      let token = session.refresh_token;
      for (let i = lane; i < options.refreshes; i += sessions.length) {
        const { status, body } = await refresh(auth.url, token);
        if (status !== 200) throw new Error(`refresh answered ${status}`);
        token = body.refresh_token;
      }
    }),
  );
  samples.push(await sample(`after ${options.refreshes} refreshes`, auth.pid, probe));
  await new Promise((done) => setTimeout(done, 5000));
  samples.push(await sample('5 s idle', auth.pid, probe));
}

async function resourceStages(options, auth, env, workspace, credentials, samples) {
  const probe = env.resource.MEMORY_PROBE_FILE;
  const resource = await startResource(root, env.resource, join(workspace.dir, 'resource.log'), [...PROBE_NODE_ARGS, ...options.nodeArgs]);
  try {
    const real = (await login(auth.url, credentials)).access_token;
    samples.push(await sample('after start', resource.pid, probe));
    if (options.fresh > 0) {
      const { statuses, cpuUs } = await flood(resource.url, resource.pid, freshTokens(real, 'RS256', workspace.privateKey, options.fresh), options.connections);
      samples.push(await sample(`after ${options.fresh} fresh tokens ${JSON.stringify(statuses)}, ${cpuUs} µs CPU each`, resource.pid, probe));
    }
    const forged = [];
    for (let sent = 0; sent < options.forged; sent += options.step) {
      const count = Math.min(options.step, options.forged - sent);
      const { statuses, cpuUs } = await flood(
        resource.url,
        resource.pid,
        forgedTokens(real, count, { randomKid: options.kid === 'random' }),
        options.connections,
      );
      if (Object.keys(statuses).some((code) => code !== '401')) throw new Error(`forged tokens answered ${JSON.stringify(statuses)}`);
      forged.push(await sample(`after ${sent + count} forged tokens, ${options.kid} kid (${cpuUs} µs CPU each)`, resource.pid, probe));
    }
    samples.push(...forged);
    if (forged.length < 2) return 0;
    const growth = forged.at(-1).VmRSS - forged[0].VmRSS;
    say(`RSS over the forged flood after its first step: ${growth >= 0 ? '+' : ''}${growth.toFixed(1)} MB (limit ${options.flatMb} MB)`);
    return growth > options.flatMb ? 1 : 0;
  } finally {
    await stopService(resource);
  }
}

main().catch((error) => {
  killAll();
  process.stderr.write(`memory: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
