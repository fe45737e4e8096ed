import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { DestinationStream } from 'pino';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAuthApp } from '../../apps/auth-service/src/app.factory.js';
import type { Clock } from '../../apps/auth-service/src/time/clock.js';
import { type AuthConfig, loadAuthConfig } from '../../apps/auth-service/src/config/auth.config.js';

export interface RunningAuth {
  app: NestFastifyApplication;
  url: string;
  config: AuthConfig;
  dir: string;
  close(): Promise<void>;
}

/** A temp folder for KEYS_DIR and DATA_DIR, removed by the returned cleanup. */
export async function tempDir(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'auth-test-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

export interface StartAuthOptions {
  clock?: Clock;
  dir?: string;
  /** Where the pino lines go (silent when absent). */
  logStream?: DestinationStream;
  /** Listen on this port instead of an ephemeral one (when AUTH_ISSUER must name the real address). */
  port?: number;
}

/** Boots the real auth-service on 127.0.0.1:0 with a fresh key and embedded database unless told otherwise. */
export async function startAuth(env: Record<string, string> = {}, options: StartAuthOptions = {}): Promise<RunningAuth> {
  const own = options.dir ? undefined : await tempDir();
  const dir = options.dir ?? own!.dir;
  const config = loadAuthConfig({ KEYS_DIR: join(dir, 'keys'), DATA_DIR: join(dir, 'data'), ...env });
  const app = await createAuthApp(config, options.logStream ? { clock: options.clock, logStream: options.logStream } : { clock: options.clock, logger: false });
  await app.listen(options.port ?? 0, '127.0.0.1');
  const url = await app.getUrl();
  return {
    app,
    url: url.replace('[::1]', '127.0.0.1'),
    config,
    dir,
    close: async () => {
      await app.close();
      await own?.remove();
    },
  };
}

export { freePort } from './ports.js';
