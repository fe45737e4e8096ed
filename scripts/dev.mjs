// `npm run start:dev`: builds, runs both services (scripts/start-all.mjs) and, on every change under
// apps/ or libs/, rebuilds and restarts them. The Nest CLI's watch mode cannot drive TypeScript 7 (it
// needs the compiler API that returns in 7.1), so this loop uses the same swc build as `npm run build`;
// types are checked by `npm run typecheck`, not here, so a type error does not stop the loop.
import { spawn } from 'node:child_process';
import { watch } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DEBOUNCE_MS = 200;
let services = null;
let timer = null;
let building = false;
let again = false;

function run(script) {
  return new Promise((done) => spawn(process.execPath, [join(root, script)], { cwd: root, stdio: 'inherit' }).on('close', (code) => done(code)));
}

function stopServices() {
  if (!services || services.exitCode !== null) return Promise.resolve();
  const exited = new Promise((done) => services.once('close', done));
  services.kill('SIGTERM');
  return exited;
}

async function cycle() {
  if (building) return void (again = true);
  building = true;
  const code = await run('scripts/build.mjs');
  if (code === 0) {
    await stopServices();
    services = spawn(process.execPath, [join(root, 'scripts/start-all.mjs')], { cwd: root, env: process.env, stdio: 'inherit' });
  } else {
    process.stderr.write('[dev] build failed; the services keep running the last build\n');
  }
  building = false;
  if (again) {
    again = false;
    void cycle();
  }
}

for (const dir of ['apps', 'libs']) {
  watch(join(root, dir), { recursive: true }, (_event, file) => {
    if (!file || !file.endsWith('.ts') || /\.(spec|e2e-spec)\.ts$/.test(file)) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      process.stdout.write(`[dev] ${dir}/${file} changed: rebuilding\n`);
      void cycle();
    }, DEBOUNCE_MS);
  });
}
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => void stopServices().then(() => process.exit(0)));
await cycle();
