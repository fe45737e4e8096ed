// Compiles apps/, libs/ and examples/ to dist/ with swc (the same compiler jest uses), rewriting the
// @app/* aliases to relative ESM paths. Type checking is `npm run typecheck` (TypeScript 7).
// `--out-dir <dir>` builds elsewhere (inside the repository, so that node_modules resolves): the
// shutdown test builds its own copy instead of touching dist/.
import { transformFile } from '@swc/core';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { swcOptions } from './swc-options.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outFlag = process.argv.indexOf('--out-dir');
const out = outFlag === -1 ? join(root, 'dist') : resolve(root, process.argv[outFlag + 1] ?? 'dist');

async function* sources(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      // libs/jwt-auth's testing kit (it signs tokens) is test code: it ships in the package's
      // `./testing` entry (scripts/pack-jwt-auth.mjs), never in a service's build.
      if (entry.name !== 'testing') yield* sources(path);
    } else if (entry.name.endsWith('.ts') && !/\.(spec|e2e-spec)\.ts$/.test(entry.name)) yield path;
    else if (/\.(hbs|css)$/.test(entry.name)) yield path;
  }
}

const options = {
  ...swcOptions,
  jsc: {
    ...swcOptions.jsc,
    baseUrl: root,
    paths: {
      '@app/config': ['./libs/config/src/index.ts'],
      '@app/contracts': ['./libs/contracts/src/index.ts'],
      '@app/jwt-auth': ['./libs/jwt-auth/src/index.ts'],
      '@app/observability': ['./libs/observability/src/index.ts'],
    },
  },
};

await rm(out, { recursive: true, force: true });
let count = 0;
// examples/ import no @app/* alias (they are what another team would have), so the rewriting leaves them
// as written; the Docker image copies only apps/ and libs/, so there the example is not built.
const tops = ['apps', 'libs', ...(existsSync(join(root, 'examples')) ? ['examples'] : [])];
for (const top of tops) {
  for await (const file of sources(join(root, top))) {
    if (!file.endsWith('.ts')) {
      // The hosted pages' templates and stylesheet (apps/auth-service/src/pages/), read beside the code.
      await mkdir(dirname(join(out, relative(root, file))), { recursive: true });
      await copyFile(file, join(out, relative(root, file)));
      continue;
    }
    const target = join(out, relative(root, file)).replace(/\.ts$/, '.js');
    const { code, map } = await transformFile(file, { ...options, filename: file });
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, `${code}\n//# sourceMappingURL=${target.split('/').pop()}.map\n`);
    if (map) await writeFile(`${target}.map`, map);
    count += 1;
  }
}
console.log(`built ${count} files into ${relative(root, out) || '.'}/`);
