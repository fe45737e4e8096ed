// `npm run try`: the whole flow on your machine in one command. Builds if the sources are newer than
// dist/, starts the auth-service and the resource-service with development settings on a throwaway
// database and key (a temp folder, removed at the end), registers the example app as an OAuth client,
// starts it (examples/sign-in-app) and says where to open it. Ctrl-C stops everything.
// Ports: AUTH_PORT (3000), RESOURCE_PORT (3001), APP_PORT (3002). Refused with NODE_ENV=production.
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { NODE_FLAGS, supervise } from './supervisor.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BUILT = {
  auth: join(root, 'dist/apps/auth-service/src/main.js'),
  cli: join(root, 'dist/apps/auth-service/src/cli.js'),
  resource: join(root, 'dist/apps/resource-service/src/main.js'),
  app: join(root, 'dist/examples/sign-in-app/src/main.js'),
};
const CLIENT_ID = 'sign-in-app';
const USER = { name: 'testuser', password: 'password' };

if (process.env.NODE_ENV === 'production') {
  console.error('npm run try is a local demo (a demo user, a generated key, plain http): not with NODE_ENV=production');
  process.exit(1);
}
const ports = { auth: port('AUTH_PORT', 3000), resource: port('RESOURCE_PORT', 3001), app: port('APP_PORT', 3002) };
const issuer = `http://localhost:${ports.auth}`;
const resourceUrl = `http://localhost:${ports.resource}`;
const appUrl = `http://localhost:${ports.app}`;

if (!isBuilt()) {
  console.log('building (npm run build)…');
  if (spawnSync(process.execPath, [join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'inherit' }).status !== 0) process.exit(1);
}

const scratch = mkdtempSync(join(tmpdir(), 'nts-try-'));
const supervisor = supervise({
  cwd: root,
  onDone: (code) => {
    rmSync(scratch, { recursive: true, force: true });
    process.exit(code);
  },
});
// Only what the demo needs: nothing of your shell's DATABASE_URL, KEYS_SOURCE, … reaches the services.
const common = { PATH: process.env.PATH, NODE_ENV: 'development', LOG_LEVEL: process.env.LOG_LEVEL || 'warn' };
const authEnv = {
  ...common,
  PORT: String(ports.auth),
  AUTH_ISSUER: issuer,
  DATA_DIR: join(scratch, 'data'),
  KEYS_DIR: join(scratch, 'keys'),
  DEMO_USER: `${USER.name}:${USER.password}`,
};

try {
  supervisor.start('auth', BUILT.auth, { env: authEnv, nodeFlags: NODE_FLAGS });
  await ready(`${issuer}/health/ready`);
  // The resource-service once the auth-service answers: its first reads of the JWKS and revocation feed succeed.
  supervisor.start('resource', BUILT.resource, { env: { ...common, PORT: String(ports.resource), AUTH_ISSUER: issuer }, nodeFlags: NODE_FLAGS });
  // A confidential client (the app has a server to keep its secret), not first-party: the consent page shows once.
  const [{ stdout }] = await Promise.all([
    promisify(execFile)(
      process.execPath,
      [
        BUILT.cli,
        ...['clients', 'add', CLIENT_ID, '--grant', 'authorization_code', '--scope', 'openid profile resource:read'],
        ...['--redirect-uri', `${appUrl}/callback`, '--post-logout-redirect-uri', `${appUrl}/signed-out`, '--json'],
      ],
      { cwd: root, env: authEnv },
    ),
    ready(`${resourceUrl}/health/ready`),
  ]);
  const { client_secret: secret } = JSON.parse(stdout);
  const appEnv = {
    ...common,
    PORT: String(ports.app),
    AUTH_ISSUER: issuer,
    CLIENT_ID,
    CLIENT_SECRET: secret,
    RESOURCE_URL: `${resourceUrl}/resource/protected`,
  };
  supervisor.start('app', BUILT.app, { env: appEnv });
  await ready(`${appUrl}/signed-out`);
  console.log(
    [
      '',
      `  open ${appUrl} and sign in as ${USER.name} / ${USER.password}`,
      `  (auth-service ${issuer}, resource-service ${resourceUrl}; the code: examples/sign-in-app; Ctrl-C stops everything)`,
      '',
    ].join('\n'),
  );
} catch (error) {
  if (!supervisor.stopping) {
    console.error(`npm run try: ${error.message}`);
    supervisor.stopAll('SIGTERM');
  }
}

function port(name, fallback) {
  const value = process.env[name] ? Number(process.env[name]) : fallback;
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    console.error(`${name} must be a port number, got ${JSON.stringify(process.env[name])}`);
    process.exit(1);
  }
  return value;
}

/** dist/ holds every entry point, each newer than every source file of apps/, libs/ and examples/. */
function isBuilt() {
  if (!Object.values(BUILT).every((file) => existsSync(file))) return false;
  const builtAt = Math.min(...Object.values(BUILT).map((file) => statSync(file).mtimeMs));
  return !['apps', 'libs', 'examples'].some((top) => changedSince(join(root, top), builtAt));
}

function changedSince(dir, time) {
  return readdirSync(dir, { withFileTypes: true }).some((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name !== 'node_modules' && changedSince(path, time);
    return /\.(ts|hbs|css)$/.test(entry.name) && statSync(path).mtimeMs > time;
  });
}

/** Polls `url` until it answers 200 (30 s at most; given up as soon as we are stopping). */
async function ready(url) {
  for (const deadline = Date.now() + 30_000; Date.now() < deadline && !supervisor.stopping;) {
    const ok = await fetch(url).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error(`${url} did not answer 200 within 30 s`);
}
