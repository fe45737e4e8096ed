// Builds libs/jwt-auth as the installable package @nest-token-service/jwt-auth (docs/architecture.md,
// "The verifier package") and packs it: ESM JavaScript and source maps from swc (as scripts/build.mjs),
// `.d.ts` from the TypeScript 7 compiler. The pieces of @app/contracts the verifier uses are copied
// under the package (`dist/contracts/`) and the alias rewritten to a relative path, so the output
// holds no path alias and nothing from apps/ (checked below). The last line printed is the tarball's path.
import { transformFile } from '@swc/core';
import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { swcOptions } from './swc-options.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const lib = join(root, 'libs/jwt-auth');
const out = join(root, 'dist/jwt-auth-package');
const stage = join(out, 'stage');
const pkg = join(out, 'package');
/** The @app/contracts modules the verifier imports (and theirs); its DTOs (class-validator) stay out. */
const CONTRACTS = ['algorithms', 'jws-schemes', 'claims', 'errors', 'http-mapped-error', 'error-answer', 'error-log', 'url', 'duration-text'];

/** What `src/testing/` holds for the library's own specs and the e2e tests only: not part of the kit. */
const SPEC_SUPPORT = new Set(['scripted-server.ts']);

async function* sources(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sources(path);
    else if (entry.name.endsWith('.ts') && !/\.(spec|e2e-spec)\.ts$/.test(entry.name)) {
      if (basename(dir) !== 'testing' || !SPEC_SUPPORT.has(entry.name)) yield path;
    }
  }
}

async function stageSources() {
  const staged = [];
  for await (const file of sources(join(lib, 'src'))) {
    const target = join(stage, 'src', relative(join(lib, 'src'), file));
    const toContracts = relative(dirname(target), join(stage, 'src/contracts/index.js'));
    const text = (await readFile(file, 'utf8')).replaceAll("from '@app/contracts'", `from './${toContracts}'`.replace("'./../", "'../"));
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, text);
    staged.push(target);
  }
  await mkdir(join(stage, 'src/contracts'), { recursive: true });
  for (const name of CONTRACTS) {
    const target = join(stage, 'src/contracts', `${name}.ts`);
    await copyFile(join(root, 'libs/contracts/src', `${name}.ts`), target);
    staged.push(target);
  }
  const barrel = join(stage, 'src/contracts/index.ts');
  await writeFile(barrel, CONTRACTS.map((name) => `export * from './${name}.js';\n`).join(''));
  return [...staged, barrel];
}

async function compile(files) {
  for (const file of files) {
    const target = join(pkg, 'dist', relative(join(stage, 'src'), file)).replace(/\.ts$/, '.js');
    const { code, map } = await transformFile(file, { ...swcOptions, filename: file, sourceFileName: relative(dirname(target), file) });
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, `${code}\n//# sourceMappingURL=${target.split('/').pop()}.map\n`);
    if (map) await writeFile(`${target}.map`, map);
  }
}

async function declarations() {
  const tsconfig = {
    compilerOptions: {
      target: 'es2023',
      module: 'nodenext',
      moduleResolution: 'nodenext',
      lib: ['es2023'],
      types: ['node'],
      strict: true,
      noImplicitOverride: true,
      experimentalDecorators: true,
      emitDecoratorMetadata: true,
      skipLibCheck: true,
      isolatedModules: true,
      declaration: true,
      emitDeclarationOnly: true,
      rootDir: './src',
      outDir: '../package/dist',
    },
    include: ['src/**/*.ts'],
  };
  await writeFile(join(stage, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
  execFileSync(join(root, 'node_modules/.bin/tsc'), ['-p', join(stage, 'tsconfig.json')], { stdio: ['ignore', 'inherit', 'inherit'] });
}

/** Fails on any import of a path alias or of apps/ left in the JavaScript or the declarations. */
async function checkOutput() {
  const leaks = [];
  let count = 0;
  for await (const file of walk(join(pkg, 'dist'))) {
    if (!/\.(js|d\.ts)$/.test(file)) continue;
    count += 1;
    const text = await readFile(file, 'utf8');
    for (const match of text.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)) {
      if (match[1].startsWith('@app/') || /(^|\/)apps\//.test(match[1])) leaks.push(`${relative(pkg, file)}: ${match[1]}`);
    }
  }
  if (leaks.length > 0) throw new Error(`the package still imports from the monorepo:\n${leaks.join('\n')}`);
  if (!count) throw new Error('nothing was built');
  return count;
}

async function* walk(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else yield path;
  }
}

await rm(out, { recursive: true, force: true });
await compile(await stageSources());
await declarations();
const count = await checkOutput();
for (const file of ['package.json', 'README.md', 'CHANGELOG.md']) await copyFile(join(lib, file), join(pkg, file));
console.log(`built ${count} files (JavaScript and declarations) into ${relative(root, pkg)}/`);
const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', out], { cwd: pkg, encoding: 'utf8' }));
console.log(`packed ${packed[0].entryCount} files, ${packed[0].size} bytes (unpacked ${packed[0].unpackedSize})`);
console.log(join(out, packed[0].filename));
