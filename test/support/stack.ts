import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import type { Clock } from '../../apps/auth-service/src/time/clock.js';
import { KEY_STORE } from '../../apps/auth-service/src/keys/key-store.js';
import type { ManagedKeyStore } from '../../apps/auth-service/src/keys/managed/managed-key.store.js';
import { startAuth, tempDir, type RunningAuth } from './auth-app.js';
import { createTestDatabase } from './postgres.js';
import { bootResource } from './verifier-app.js';

/**
 * A clock the test moves by hand, so expiry, lockouts and rotation run in milliseconds; shared by the
 * auth-service and the verifier of one test. Starts at the real time unless told otherwise.
 */
export class ManualClock implements Clock {
  constructor(public time = Date.now()) {}
  now(): number {
    return this.time;
  }
  advance(ms: number): void {
    this.time += ms;
  }
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export interface RunningResource {
  app: NestFastifyApplication;
  url: string;
  close(): Promise<void>;
}

/** The real resource-service verifying against `jwksUri`, on 127.0.0.1:0, on the given clock. */
export async function startResource(jwksUri: string, options: { clock?: Clock; env?: Record<string, string> } = {}): Promise<RunningResource> {
  const clock = options.clock;
  const app = await bootResource({ AUTH_ISSUER: 'http://localhost:3000', JWKS_URI: jwksUri, ...options.env }, { clock: clock && (() => clock.now()) });
  return { app, url: (await app.getUrl()).replace('[::1]', '127.0.0.1'), close: () => app.close() };
}

export function managedStore(auth: RunningAuth): ManagedKeyStore {
  return auth.app.get<ManagedKeyStore>(KEY_STORE);
}

export async function login(auth: RunningAuth, username = 'testuser', password = 'password'): Promise<string> {
  const res = await request(auth.url).post('/auth/login').send({ username, password });
  if (res.status !== 200) throw new Error(`login answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body.access_token as string;
}

export function headerOf(token: string): { alg: string; kid: string } {
  return JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString()) as { alg: string; kid: string };
}

export async function jwksKids(auth: RunningAuth): Promise<string[]> {
  const res = await request(auth.url).get('/.well-known/jwks.json').expect(200);
  return (res.body.keys as { kid: string }[]).map((key) => key.kid);
}

/**
 * An auth-service on `driver` (a PostgreSQL database of its own, dropped on close) and a
 * resource-service polling its revocation feed every `pollMs`: the stack of the revocation specs.
 */
export async function startFeedStack(
  driver: 'sqlite' | 'postgres',
  pollMs: number,
): Promise<{ auth: RunningAuth; resource: RunningResource; close(): Promise<void> }> {
  const dir = await tempDir();
  const db = driver === 'postgres' ? await createTestDatabase() : undefined;
  const auth = await startAuth(db ? { DATABASE_URL: db.url } : {}, { dir: dir.dir });
  const resource = await startResource(`${auth.url}/.well-known/jwks.json`, {
    env: { REVOCATION_FEED_URI: `${auth.url}/oauth/revocations`, REVOCATION_POLL_INTERVAL: `${pollMs}ms` },
  });
  return {
    auth,
    resource,
    close: async () => {
      await resource.close();
      await auth.close();
      await db?.drop();
      await dir.remove();
    },
  };
}
