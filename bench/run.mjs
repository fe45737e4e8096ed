// `npm run bench`: builds, starts both services as an operator would, loads every route with
// autocannon over loopback, and prints medians, ratios and targets (docs/performance.md explains it).
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { USAGE, parseArgs } from './lib/args.mjs';
import { cryptoRates } from './lib/crypto-rate.mjs';
import { fixed, logins, measureInterleaved, refreshChains, tokenPool } from './lib/load.mjs';
import { formatTable, summarize } from './lib/report.mjs';
import {
  addClient,
  addUser,
  createWorkspace,
  freePort,
  killAll,
  memoryOf,
  serviceEnvironments,
  startAuth,
  startBaseline,
  startResource,
  stopService,
} from './lib/services.mjs';
import { authorizeWithSession, BENCH_REDIRECT_URI, codeExchange, signInCookie } from './lib/browser-sign-in.mjs';
import { dpopBoundToken, dpopKey, dpopRequests } from './lib/dpop.mjs';
import { forgedTokens, freshTokens } from './lib/minted-tokens.mjs';
import { freshRefreshTokens, mintAccessTokens, refreshSupported } from './lib/tokens.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const say = (line) => process.stderr.write(`bench: ${line}\n`);

async function main() {
  const options = parseArgs(process.argv.slice(2));
  if (options.help) return void console.log(USAGE);
  const startedAt = new Date();
  const loadBefore = loadavg();
  if (options.build) build();

  const workspace = await createWorkspace(options.algorithm);
  try {
    const authPort = await freePort();
    let resourcePort = await freePort();
    while (resourcePort === authPort) resourcePort = await freePort();
    const env = serviceEnvironments(workspace, options.algorithm, authPort, resourcePort);
    Object.assign(env.auth, options.authEnv);
    Object.assign(env.resource, options.resourceEnv);
    // A second resource-service, the same but reading no revocation feed: the baseline of the feed-on row.
    let noFeedPort = await freePort();
    while (noFeedPort === authPort || noFeedPort === resourcePort) noFeedPort = await freePort();
    env.resourceNoFeed = { ...env.resource, PORT: String(noFeedPort), REVOCATION_FEED_URI: 'off' };
    let barePort = await freePort();
    while ([authPort, resourcePort, noFeedPort].includes(barePort)) barePort = await freePort();
    env.bare = { ...env.resource, PORT: String(barePort) };
    const credentials = { username: 'bench', password: randomBytes(18).toString('base64url') };
    await addUser(root, env.auth, credentials.username, credentials.password);
    const client = await addClient(root, env.auth, 'bench-service');
    // Serves the audience of the bench user's tokens (the default AUTH_AUDIENCE) and asks for the next hop.
    const exchanger = await addClient(root, env.auth, 'bench-exchanger', [
      '--grant',
      'token-exchange',
      '--serves',
      'resource-service',
      '--audience',
      'bench-next-hop',
      '--scope',
      'profile resource:read',
    ]);
    // A first-party web app (no consent page) for the browser sign-in rows.
    const webApp = await addClient(root, env.auth, 'bench-web', [
      '--grant',
      'authorization_code',
      '--redirect-uri',
      BENCH_REDIRECT_URI,
      '--scope',
      'openid profile',
      '--first-party',
    ]);
    say(`${options.algorithm}, ${options.repeats} repeat(s) of ${options.duration}s per route, ${options.connections} connections; workspace ${workspace.dir}`);

    const shared = { tokens: undefined, useRefresh: undefined, client, exchanger, webApp };
    const repeats = [];
    for (let i = 1; i <= options.repeats; i += 1) {
      say(`repeat ${i}/${options.repeats}`);
      repeats.push(await oneRepeat(options, env, workspace, credentials, shared));
    }
    const summary = summarize(repeats, options);
    const table = formatTable(summary, options.algorithm);
    console.log(`\n${table}\n`);

    const loadAfter = loadavg();
    const file = await saveResults({ startedAt, options, summary, repeats, table, loadBefore, loadAfter });
    console.log(
      `results: ${relative(process.cwd(), file)}; load average before/after: ${loadBefore[0].toFixed(2)}/${loadAfter[0].toFixed(2)} on ${availableParallelism()} cores`,
    );

    const failing = summary.rows.filter((row) => row.failures > 0);
    if (failing.length > 0) {
      say(`routes with errors: ${failing.map((row) => `${row.label} (${row.failures})`).join(', ')}`);
      process.exitCode = 1;
    }
  } finally {
    killAll();
    await workspace.remove();
  }
}

/** One repeat: fresh processes, cold start, every load, memory after the load, then the raw crypto rate. */
async function oneRepeat(options, env, workspace, credentials, shared) {
  const nodeArgs = options.profile ? ['--cpu-prof', `--cpu-prof-dir=${join(root, 'bench', 'results', 'profiles')}`] : [];
  const auth = await startAuth(root, env.auth, join(workspace.dir, 'auth.log'), nodeArgs);
  const resource = await startResource(root, env.resource, join(workspace.dir, 'resource.log'), nodeArgs);
  const feedRows = wanted(options, FEED_ROWS);
  const noFeed = feedRows ? await startResource(root, env.resourceNoFeed, join(workspace.dir, 'resource-no-feed.log')) : undefined;
  const bare = wanted(options, BARE_ROWS) ? await startBaseline(root, env.bare, join(workspace.dir, 'fast-jwt-baseline.log')) : undefined;
  const repeat = { ready: { auth: auth.readyMs, resource: resource.readyMs }, loads: {}, skipped: {}, memory: {} };
  try {
    if (shared.tokens === undefined) {
      shared.useRefresh = await refreshSupported(auth.url, credentials);
      say(`minting ${options.pool} access tokens by ${shared.useRefresh ? 'refresh chains' : 'login'}`);
      shared.tokens = await mintAccessTokens(auth.url, credentials, options.pool, { useRefresh: shared.useRefresh });
    }
    if (shared.fresh === undefined && wanted(options, ['publicCold', 'protectedFresh', 'protectedForged', ...BARE_ROWS])) {
      say(`signing ${options.fresh} fresh and ${options.fresh} forged tokens (copies of a real one, each with its own jti)`);
      shared.fresh = freshTokens(shared.tokens[0], options.algorithm, workspace.privateKey, options.fresh);
      shared.forged = forgedTokens(shared.tokens[0], options.fresh);
      await expectStatus(resource.url, shared.fresh[0], 200);
      await expectStatus(resource.url, shared.forged[0], 401);
    }
    // One sign-in through the hosted page; its SSO session lives in the database across the repeats' restarts.
    if (shared.ssoCookie === undefined && wanted(options, SIGN_IN_ROWS)) shared.ssoCookie = await signInCookie(auth.url, 'bench-web', credentials);
    const bearer = { authorization: `Bearer ${shared.tokens[0]}` };
    // A DPoP-bound token per proof algorithm (docs/dpop.md), each request with a fresh proof.
    const dpop = wanted(options, DPOP_ROWS)
      ? await Promise.all(
          ['ES256', 'EdDSA'].map(async (alg) => {
            const key = dpopKey(alg);
            return { key, token: await dpopBoundToken(auth.url, env.auth.AUTH_ISSUER, shared.client, key) };
          }),
        )
      : undefined;
    // Each group is measured interleaved: a route and the baseline it is compared with see the same machine.
    const groups = [
      [
        ['public', fixed(resource.url, { path: '/resource/public' }), resource.pid],
        ['protectedOne', fixed(resource.url, { path: '/resource/protected', headers: bearer }), resource.pid],
        ['protectedPool', tokenPool(resource.url, '/resource/protected', shared.tokens), resource.pid],
      ],
      // The same hot token at a resource-service with the feed on and at one with REVOCATION_FEED_URI=off.
      noFeed
        ? [
            ['protectedNoFeed', fixed(noFeed.url, { path: '/resource/protected', headers: bearer }), noFeed.pid],
            ['protectedFeed', fixed(resource.url, { path: '/resource/protected', headers: bearer }), resource.pid],
          ]
        : [],
      // The same hot token as Bearer and, bound, as DPoP with a proof per request (ES256, EdDSA).
      dpop
        ? [
            ['protectedBearerHot', fixed(resource.url, { path: '/resource/protected', headers: bearer }), resource.pid],
            ['protectedDpopES256', dpopRequests(resource.url, '/resource/protected', dpop[0].token, dpop[0].key), resource.pid],
            ['protectedDpopEdDSA', dpopRequests(resource.url, '/resource/protected', dpop[1].token, dpop[1].key), resource.pid],
          ]
        : [],
      // After the hot rows: the fresh tokens push every earlier entry out of the verified-token cache.
      shared.fresh
        ? [
            ['publicCold', fixed(resource.url, { path: '/resource/public' }), resource.pid],
            ['protectedFresh', tokenPool(resource.url, '/resource/protected', shared.fresh, { resume: true }), resource.pid],
            ['protectedForged', tokenPool(resource.url, '/resource/protected', shared.forged, { expect: 401, resume: true }), resource.pid],
            ...(bare
              ? [
                  ['barePublic', fixed(bare.url, { path: '/resource/public' }), bare.pid],
                  ['bareFresh', tokenPool(bare.url, '/resource/protected', shared.fresh, { resume: true }), bare.pid],
                ]
              : []),
          ]
        : [],
      [
        ['authLive', fixed(auth.url, { path: '/health/live' }), auth.pid],
        ['jwks', fixed(auth.url, { path: '/.well-known/jwks.json' }), auth.pid],
      ],
      shared.useRefresh ? [['refresh', refreshChains(auth.url, (n) => freshRefreshTokens(auth.url, credentials, n), options.connections), auth.pid]] : [],
      [
        ['clientCredentials', clientCredentials(auth.url, shared.client), auth.pid],
        ['tokenExchange', tokenExchange(auth.url, shared.exchanger, shared.tokens[0]), auth.pid],
      ],
      shared.ssoCookie
        ? [
            ['authorizeLive', authorizeWithSession(auth.url, 'bench-web', shared.ssoCookie), auth.pid],
            ['codeExchange', codeExchange(auth.url, shared.webApp, shared.ssoCookie), auth.pid],
          ]
        : [],
      [['login', logins(auth.url, credentials), auth.pid]],
    ];
    if (!shared.useRefresh) repeat.skipped.refresh = 'n/a - route absent';
    for (const group of groups) {
      const routes = group.filter(([key]) => wanted(options, [key]));
      if (routes.length === 0) continue;
      say(`  ${routes.map(([key]) => key).join(', ')}`);
      Object.assign(repeat.loads, await measureInterleaved(routes, options));
    }
    repeat.memory = { auth: await memoryOf(auth.pid), resource: await memoryOf(resource.pid) };
  } finally {
    if (bare) await stopService(bare);
    if (noFeed) await stopService(noFeed);
    await stopService(resource);
    await stopService(auth);
  }
  repeat.crypto = cryptoRates(options.algorithm, workspace.privateKey, options.cryptoSeconds);
  return repeat;
}

/** The rows of the feed on/off comparison: the second resource-service is started only for them. */
const FEED_ROWS = ['protectedNoFeed', 'protectedFeed'];
/** The DPoP rows: a bound token is fetched only for them. */
const DPOP_ROWS = ['protectedBearerHot', 'protectedDpopES256', 'protectedDpopEdDSA'];
/** The browser sign-in rows: the bench user signs in through the hosted page only for them. */
const SIGN_IN_ROWS = ['authorizeLive', 'codeExchange'];
/** The rows of the bare Nest + fast-jwt service (bench/baseline/), started only for them. */
const BARE_ROWS = ['barePublic', 'bareFresh'];

/** `POST /oauth/token` with `grant_type=client_credentials` and Basic client authentication: one signature per answer, no hash. */
function clientCredentials(url, client) {
  return tokenRequest(url, client, 'grant_type=client_credentials');
}

/**
 * `POST /oauth/token` with RFC 8693 token exchange: the bench user's access token for the next hop.
 * Per answer: the subject token's signature verified, its feed entries, session and client looked up,
 * one signature.
 */
function tokenExchange(url, client, subjectToken) {
  const form = new URLSearchParams({
    grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
    subject_token: subjectToken,
    subject_token_type: 'urn:ietf:params:oauth:token-type:access_token',
    audience: 'bench-next-hop',
  });
  return tokenRequest(url, client, form.toString());
}

/** A token request with Basic client authentication. */
function tokenRequest(url, { client_id: id, client_secret: secret }, body) {
  const basic = Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64');
  return fixed(url, {
    path: '/oauth/token',
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${basic}` },
    body,
  });
}

/** Whether any of `keys` is to be measured (`--only`). */
function wanted(options, keys) {
  return !options.only || keys.some((key) => options.only.includes(key));
}

/** The resource-service's answer to one bearer token, before the load: a minted token that does not verify would measure nothing. */
async function expectStatus(resourceUrl, token, status) {
  const response = await fetch(`${resourceUrl}/resource/protected`, { headers: { authorization: `Bearer ${token}` } });
  await response.arrayBuffer();
  if (response.status !== status) throw new Error(`a minted token was answered ${response.status}, expected ${status}`);
}

function build() {
  const result = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) throw new Error(`build failed (exit ${result.status})`);
}

async function saveResults({ startedAt, options, summary, repeats, table, loadBefore, loadAfter }) {
  const dir = join(root, 'bench', 'results');
  await mkdir(dir, { recursive: true });
  const file = join(dir, `${startedAt.toISOString().replace(/[:.]/g, '-')}${options.quick ? '-quick' : ''}.json`);
  const machine = {
    node: process.version,
    cores: availableParallelism(),
    cpu: cpus()[0]?.model,
    memoryMb: Math.round(totalmem() / 2 ** 20),
    loadBefore,
    loadAfter,
  };
  const { help: _help, ...flags } = options;
  await writeFile(file, `${JSON.stringify({ startedAt, machine, options: flags, summary, table, repeats }, null, 2)}\n`);
  return file;
}

main().catch((error) => {
  killAll();
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
