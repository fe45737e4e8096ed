// Proves two things about the environment docker-compose.yml gives each of our services (needs
// `npm run build` first):
//  1. that service's own config loader accepts it (the loaders are what `main.js` runs at start, so a
//     typo'd variable or a bad duration fails CI instead of the demo);
//  2. every URL the service will contact — the resource-service's JWKS_URI and REVOCATION_FEED_URI
//     (set, or derived from AUTH_ISSUER) and DPOP_REPLAY_REDIS_URL (if set), the auth-service's
//     DATABASE_URL — names another service of
//     the compose file by its name, at the port that service listens on. Inside a container, localhost
//     is that container itself: a resource-service polling localhost:3000 reads nothing and runs with
//     revocation off. (AUTH_ISSUER itself is the `iss` string clients see, never contacted as such.)
//
// stdin: JSON `{ "services": ["<every compose service name>"], "environment": { "<service>": { "VAR": "value", ... } } }`,
// the environment for every compose service that runs our image (services with `build:`), e.g. from
// .ci/run (`compose_env_check`):
//   docker-compose config | python3 -c '...yaml -> json...' | node scripts/check-compose-env.mjs
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** Each of our services: its config loader, its default port, and the URLs it contacts, read from its loaded config. */
const ours = {
  'auth-service': {
    file: 'dist/apps/auth-service/src/config/auth.config.js',
    exportName: 'loadAuthConfig',
    port: (config) => config.http.port,
    contacts: (config) => [['DATABASE_URL', config.database.url]],
  },
  'resource-service': {
    file: 'dist/apps/resource-service/src/config/resource.config.js',
    exportName: 'loadResourceConfig',
    port: (config) => config.http.port,
    contacts: (config) => [
      ['JWKS_URI (or AUTH_ISSUER, from which it is derived)', config.verifier.jwksUri],
      ['REVOCATION_FEED_URI (or AUTH_ISSUER, from which it is derived)', config.revocation.feedUri],
      ['DPOP_REPLAY_REDIS_URL', config.dpopReplay.redisUrl],
    ],
  },
};
// The image sets NODE_ENV=production (Dockerfile); compose's environment overrides it.
const imageEnv = { NODE_ENV: 'production' };
const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/;

let services;
let environments;
try {
  const input = JSON.parse(readFileSync(0, 'utf8'));
  services = input?.services;
  environments = input?.environment;
  if (!Array.isArray(services) || !services.every((name) => typeof name === 'string')) throw new Error('"services" is not a list of names');
  if (!environments || typeof environments !== 'object' || Array.isArray(environments)) throw new Error('"environment" is not an object');
} catch (err) {
  console.error(`compose env: cannot read the JSON on stdin: ${err.message}`);
  process.exit(1);
}

let failed = false;
const fail = (message) => {
  console.error(message);
  failed = true;
};

for (const name of Object.keys(ours)) {
  if (!(name in environments)) fail(`compose env missing: no service "${name}" built from our image in docker-compose.yml`);
}

// Every service of ours, its loaded config (or undefined when the loader refused it).
const loaded = {};
for (const [name, raw] of Object.entries(environments)) {
  const service = ours[name];
  if (!service) {
    fail(`compose env unknown: service "${name}" runs our image but has no known config loader (${Object.keys(ours).join(', ')})`);
    continue;
  }
  const env = { ...imageEnv };
  // `KEY` listed without a value means "pass through from the host": unset here, as on a clean host.
  for (const [key, value] of Object.entries(raw ?? {})) env[key] = value == null ? undefined : String(value);
  try {
    const mod = await import(pathToFileURL(join(root, service.file)).href);
    if (typeof mod[service.exportName] !== 'function') throw new Error(`${service.file} does not export ${service.exportName}()`);
    loaded[name] = await mod[service.exportName](env);
  } catch (err) {
    fail(`compose env invalid: ${name}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** What is wrong with `url`, contacted by service `from`; undefined when it names another compose service at its port. */
function reachProblem(from, url) {
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    return 'is not a URL';
  }
  const host = parsed.hostname.toLowerCase();
  if (LOOPBACK.test(host)) return `names ${host}: inside the ${from} container that is ${from} itself, not another service`;
  if (host === from) return `names ${from} itself`;
  if (!services.includes(host)) return `names "${host}", which is no service of docker-compose.yml (${services.join(', ')})`;
  const target = loaded[host];
  const port = parsed.port === '' ? undefined : Number(parsed.port);
  if (target && port !== ours[host].port(target)) return `reaches ${host} at port ${port ?? 'default'}, but ${host} listens on ${ours[host].port(target)}`;
  return undefined;
}

for (const [name, config] of Object.entries(loaded)) {
  let ok = true;
  for (const [variable, url] of ours[name].contacts(config)) {
    if (url === undefined) continue; // no DATABASE_URL (the embedded database) or DPOP_REPLAY_REDIS_URL (memory): nothing to reach
    const problem = url === false ? 'is off: no token would ever be refused as revoked' : reachProblem(name, url);
    if (problem) {
      ok = false;
      // The URL is not repeated: DATABASE_URL and DPOP_REPLAY_REDIS_URL may hold a password.
      fail(`compose env unreachable: ${name}: ${variable} ${problem}`);
    }
  }
  if (ok) console.log(`compose env ok: ${name}`);
}
process.exit(failed ? 1 : 0);
