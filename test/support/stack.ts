import { JWT_AUTH_CLOCK } from '@app/jwt-auth';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { ResourceAppModule } from '../../apps/resource-service/src/app.module.js';
import { loadResourceConfig } from '../../apps/resource-service/src/config/resource.config.js';
import type { Clock } from '../../apps/auth-service/src/common/clock.js';
import { KEY_STORE } from '../../apps/auth-service/src/keys/key-store.js';
import type { ManagedKeyStore } from '../../apps/auth-service/src/keys/managed/managed-key.store.js';
import type { RunningAuth } from './auth-app.js';

/** A clock the test moves by hand; shared by the auth-service and the verifier of one test. */
export class ManualClock implements Clock {
  constructor(public time = Date.UTC(2026, 0, 1)) {}
  now(): number {
    return this.time;
  }
  advance(ms: number): void {
    this.time += ms;
  }
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

export interface RunningResource {
  app: NestFastifyApplication;
  url: string;
  close(): Promise<void>;
}

/** The real resource-service verifying against `jwksUri`, on 127.0.0.1:0, on the given clock. */
export async function startResource(jwksUri: string, options: { clock?: Clock; env?: Record<string, string> } = {}): Promise<RunningResource> {
  const config = loadResourceConfig({ AUTH_ISSUER: 'http://localhost:3000', JWKS_URI: jwksUri, ...options.env });
  let builder = Test.createTestingModule({ imports: [ResourceAppModule.forRoot(config)] });
  const clock = options.clock;
  if (clock) builder = builder.overrideProvider(JWT_AUTH_CLOCK).useValue(() => clock.now());
  const app = (await builder.compile()).createNestApplication<NestFastifyApplication>(new FastifyAdapter(), { logger: false });
  await app.listen(0, '127.0.0.1');
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
