// Proves that the environment docker-compose.yml gives each of our services is one that service's own
// config loader accepts (the loaders are what `main.js` runs at start, so a typo'd variable or a bad
// duration fails CI instead of the demo). Needs `npm run build` first.
//
// stdin: JSON `{ "<service>": { "VAR": "value", ... } }` for every compose service that runs our image
// (services with `build:`), e.g. from .ci/run:
//   docker-compose config | python3 -c '...yaml -> json...' | node scripts/check-compose-env.mjs
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const loaders = {
  'auth-service': ['dist/apps/auth-service/src/config/auth.config.js', 'loadAuthConfig'],
  'resource-service': ['dist/apps/resource-service/src/config/resource.config.js', 'loadResourceConfig'],
};
// The image sets NODE_ENV=production (Dockerfile); compose's environment overrides it.
const imageEnv = { NODE_ENV: 'production' };

let services;
try {
  services = JSON.parse(readFileSync(0, 'utf8'));
  if (!services || typeof services !== 'object' || Array.isArray(services)) throw new Error('expected an object');
} catch (err) {
  console.error(`compose env: cannot read the JSON on stdin: ${err.message}`);
  process.exit(1);
}

let failed = false;
const fail = (message) => {
  console.error(message);
  failed = true;
};

for (const name of Object.keys(loaders)) {
  if (!(name in services)) fail(`compose env missing: no service "${name}" built from our image in docker-compose.yml`);
}
for (const [name, raw] of Object.entries(services)) {
  if (!loaders[name]) {
    fail(`compose env unknown: service "${name}" runs our image but has no known config loader (${Object.keys(loaders).join(', ')})`);
    continue;
  }
  const env = { ...imageEnv };
  // `KEY` listed without a value means "pass through from the host": unset here, as on a clean host.
  for (const [key, value] of Object.entries(raw ?? {})) env[key] = value == null ? undefined : String(value);
  const [file, exportName] = loaders[name];
  try {
    const mod = await import(pathToFileURL(join(root, file)).href);
    if (typeof mod[exportName] !== 'function') throw new Error(`${file} does not export ${exportName}()`);
    await mod[exportName](env);
    console.log(`compose env ok: ${name}`);
  } catch (err) {
    fail(`compose env invalid: ${name}: ${err instanceof Error ? err.message : String(err)}`);
  }
}
process.exit(failed ? 1 : 0);
