import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import request from 'supertest';
import { startAuth, type RunningAuth } from './support/auth-app.js';

const run = promisify(execFile);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** What the consumer runs inside: the peers, and the package's own dependencies (npm may not reach the registry here). */
const FROM_REPO = ['@nestjs/common', '@nestjs/core', '@nestjs/passport', 'passport', 'reflect-metadata', 'rxjs', 'jose'];
/** The consumer's own choices: its HTTP adapters, and the Redis client it hands `RedisDpopReplayStore` (the package imports none). */
const ADAPTERS = ['@nestjs/platform-express', '@nestjs/platform-fastify', 'redis', '@redis'];

interface Answer {
  status: number;
  challenge: string | null;
  body: Record<string, unknown>;
}

async function linkFromRepo(project: string, names: string[]): Promise<void> {
  for (const name of names) {
    await mkdir(dirname(join(project, 'node_modules', name)), { recursive: true });
    await rm(join(project, 'node_modules', name), { recursive: true, force: true });
    await symlink(join(root, 'node_modules', name), join(project, 'node_modules', name));
  }
}

describe('@nest-token-service/jwt-auth installed from its tarball into a project outside the repository', () => {
  let project: string;
  let tarball: string;
  let listing: string[];
  let auth: RunningAuth;
  let authEnv: Record<string, string>;

  beforeAll(async () => {
    auth = await startAuth({ AUTH_ISSUER: 'http://auth.test', AUTH_AUDIENCE: 'orders-service' });
    const login = await request(auth.url).post('/auth/login').send({ username: 'testuser', password: 'password' }).expect(200);
    authEnv = {
      AUTH_ISSUER: 'http://auth.test',
      AUTH_AUDIENCE: 'orders-service',
      AUTH_JWKS_URI: `${auth.url}/.well-known/jwks.json`,
      AUTH_TOKEN: login.body.access_token,
    };
    const packed = await run(process.execPath, [join(root, 'scripts/pack-jwt-auth.mjs')], { cwd: root });
    tarball = packed.stdout.trim().split('\n').at(-1) ?? '';
    listing = (await run('tar', ['-tzf', tarball])).stdout.trim().split('\n');
    project = await mkdtemp(join(tmpdir(), 'jwt-auth-consumer-'));
    await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    await linkFromRepo(project, FROM_REPO);
    await run('npm', ['install', tarball, '--offline', '--no-audit', '--no-fund', '--ignore-scripts', '--no-save'], { cwd: project });
    // npm prunes what package.json does not ask for; the adapters are the consumer's own choice.
    await linkFromRepo(project, ADAPTERS);
    await linkFromRepo(project, ['@types/node']);
    await copyFile(join(root, 'test/support/package-consumer/consumer.mjs'), join(project, 'consumer.mjs'));
    await copyFile(join(root, 'test/support/package-consumer/typed-consumer.mts'), join(project, 'typed-consumer.mts'));
  }, 120_000);

  afterAll(async () => {
    await auth?.close();
    if (project) await rm(project, { recursive: true, force: true });
  });

  it('prints the tarball path last, and the tarball holds the built package only (no sources, no specs, no monorepo import)', async () => {
    const { version } = JSON.parse(await readFile(join(root, 'libs/jwt-auth/package.json'), 'utf8')) as { version: string };
    const changelog = await readFile(join(root, 'libs/jwt-auth/CHANGELOG.md'), 'utf8');
    expect(changelog.match(/^## (.+)$/m)?.[1]).toBe(version);
    expect(tarball.endsWith(`/nest-token-service-jwt-auth-${version}.tgz`)).toBe(true);
    expect(listing).toEqual(expect.arrayContaining(['package/package.json', 'package/README.md', 'package/CHANGELOG.md', 'package/dist/index.js']));
    expect(listing).toEqual(expect.arrayContaining(['package/dist/index.d.ts', 'package/dist/testing/index.js', 'package/dist/testing/index.d.ts']));
    expect(listing.filter((file) => !/^package\/(dist\/.+\.(js|js\.map|d\.ts)|package\.json|README\.md|CHANGELOG\.md)$/.test(file))).toEqual([]);
    expect(listing.filter((file) => /\.spec\.|\.ts$/.test(file) && !file.endsWith('.d.ts'))).toEqual([]);
    // The specs' scripted server is test support of the library's own, not part of the kit.
    expect(listing.filter((file) => file.includes('/testing/scripted-server.'))).toEqual([]);
    const installed = join(project, 'node_modules/@nest-token-service/jwt-auth');
    const manifest = JSON.parse(await readFile(join(installed, 'package.json'), 'utf8')) as Record<string, Record<string, unknown>>;
    expect(Object.keys(manifest.peerDependencies ?? {}).sort()).toEqual([
      '@nestjs/common',
      '@nestjs/core',
      '@nestjs/passport',
      'passport',
      'reflect-metadata',
      'rxjs',
    ]);
    expect(Object.keys(manifest.dependencies ?? {}).sort()).toEqual(['jose']);
    const { stdout } = await run('grep', ['-rlE', `from ['"](@app/|[^'"]*apps/)`, join(installed, 'dist')]).catch((error: { code: number; stdout: string }) => {
      if (error.code === 1) return { stdout: '' };
      throw error;
    });
    expect(stdout).toBe('');
  });

  it('type-checks a TypeScript consumer against its declarations (strict, skipLibCheck off)', async () => {
    const compilerOptions = {
      target: 'es2023',
      module: 'nodenext',
      strict: true,
      experimentalDecorators: true,
      noEmit: true,
      types: ['node'],
      skipLibCheck: false,
    };
    await writeFile(join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['typed-consumer.mts'] }));

    await expect(run(join(root, 'node_modules/.bin/tsc'), ['-p', project], { cwd: project })).resolves.toMatchObject({ stdout: '' });
  }, 60_000);

  it.each(['fastify', 'express'])(
    "works on platform-%s with forRoot({ issuer, audience }): the testing kit's tokens and a running auth-service's",
    async (adapter) => {
      const { stdout } = await run(process.execPath, ['consumer.mjs', adapter], { cwd: project, timeout: 30_000, env: { ...process.env, ...authEnv } });
      const answers = JSON.parse(stdout) as Record<string, Answer> & { revocation?: Record<string, Answer> };

      expect(answers.open).toMatchObject({ status: 200, body: { open: true } });
      expect(answers.valid).toMatchObject({ status: 200, body: { userId: 'user-42', scopes: ['resource:read'] } });
      expect(answers.missing).toMatchObject({ status: 401, challenge: 'Bearer', body: { code: 'ERR_TOKEN_MISSING' } });
      expect(answers.expired).toMatchObject({ status: 401, challenge: expect.stringContaining('error="invalid_token"'), body: { code: 'ERR_TOKEN_EXPIRED' } });
      expect(answers.wrongAudience).toMatchObject({ status: 401, body: { code: 'ERR_TOKEN_INVALID' } });
      expect(answers.otherKid).toMatchObject({ status: 401, body: { code: 'ERR_TOKEN_INVALID' } });
      expect(answers.noScope).toMatchObject({ status: 403, challenge: 'Bearer error="insufficient_scope", scope="reports:write"' });
      expect(answers.scoped).toMatchObject({ status: 200, body: { written: true } });
      expect(answers.viaPassport).toMatchObject({ status: 200, body: { userId: 'user-42' } });
      expect(answers.viaPassportForged).toMatchObject({ status: 401, challenge: expect.stringMatching(/^Bearer/) });
      expect(answers.revocation).toEqual({
        before: expect.objectContaining({ status: 200 }),
        after: expect.objectContaining({ status: 401, body: expect.objectContaining({ code: 'ERR_TOKEN_INVALID' }) }),
        otherSession: expect.objectContaining({ status: 200 }),
      });
      expect(answers.authService).toEqual({
        valid: expect.objectContaining({ status: 200, body: { userId: expect.any(String), scopes: expect.any(Array) } }),
        missing: expect.objectContaining({ status: 401, challenge: 'Bearer' }),
        noScope: expect.objectContaining({ status: 403, challenge: 'Bearer error="insufficient_scope", scope="reports:write"' }),
      });
    },
  );
});
