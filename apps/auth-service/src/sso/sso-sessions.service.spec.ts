import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAuthConfig } from '../config/auth.config.js';
import type { Database } from '../database/database.js';
import { openDatabase } from '../database/database.module.js';
import { RevocationRepository } from '../revocation/revocation.repository.js';
import { RevocationRecorder } from '../revocation/revocation-recorder.js';
import { SessionsRepository } from '../sessions/sessions.repository.js';
import { SessionsService } from '../sessions/sessions.service.js';
import type { Clock } from '../time/clock.js';
import { SsoSessionRepository } from './sso-session.repository.js';
import { SsoSessionsService } from './sso-sessions.service.js';

const MINUTE = 60_000;

describe('SSO sessions: ending and pruning (embedded database, controllable clock)', () => {
  let dir: string;
  let db: Database;
  let repository: SsoSessionRepository;
  let appSessions: SessionsService;
  let sso: SsoSessionsService;
  const clock = {
    time: Date.UTC(2026, 0, 1),
    now(): number {
      return this.time;
    },
  } satisfies Clock & { time: number };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sso-'));
    const config = loadAuthConfig({ DATA_DIR: dir, SSO_SESSION_TTL: '1h' });
    db = await openDatabase(config.database, clock);
    appSessions = new SessionsService(new SessionsRepository(db, new RevocationRecorder(new RevocationRepository(db), config.tokens)), clock, config.sessions);
    repository = new SsoSessionRepository(db);
    sso = new SsoSessionsService(repository, appSessions, clock, config.sessions);
    await db.run("INSERT INTO users (id, username, password_hash, scopes, created_at, updated_at) VALUES ('u1', 'ann', 'x', 'profile', 0, 0)");
  });
  afterEach(async () => {
    await db.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** A browser sign-in with one app session started from it. */
  async function signedInWithApp(appSessionId: string): Promise<string> {
    const { session } = await sso.signedIn('u1', undefined);
    await appSessions.start('u1', { clientId: 'web', ssoSessionId: session.id }, appSessionId);
    return session.id;
  }

  it('a logout interrupted after the SSO session ended (its app sessions still live) is mended by the next pruning, once settled', async () => {
    const interrupted = await signedInWithApp('app-1');
    const bystander = await signedInWithApp('app-2');
    // The first half of end(): the process dies before the app sessions are ended.
    await repository.end(interrupted, clock.now());
    expect(await appSessions.isLive('app-1')).toBe(true);

    // Within the minute an end() in progress may still be finishing: left alone.
    clock.time += 30_000;
    expect(await sso.prune(clock.now())).toBe(0);
    expect(await appSessions.isLive('app-1')).toBe(true);

    clock.time += MINUTE;
    expect(await sso.prune(clock.now())).toBe(1);
    expect(await appSessions.isLive('app-1')).toBe(false);
    expect(await appSessions.isLive('app-2')).toBe(true);
    expect(await sso.findLive(bystander)).toBeDefined();
  });

  it('a session that simply expired is forgotten and its app sessions live on (they have their own lifetime)', async () => {
    const expired = await signedInWithApp('app-1');
    clock.time += 61 * MINUTE;
    expect(await sso.findLive(expired)).toBeUndefined();
    expect(await sso.prune(clock.now())).toBe(1);
    expect(await appSessions.isLive('app-1')).toBe(true);
  });

  it('end() ends the SSO session and every app session in it', async () => {
    const id = await signedInWithApp('app-1');
    await appSessions.start('u1', { clientId: 'other', ssoSessionId: id }, 'app-3');
    expect(await sso.end(id)).toBe(2);
    expect(await sso.findLive(id)).toBeUndefined();
    expect([await appSessions.isLive('app-1'), await appSessions.isLive('app-3')]).toEqual([false, false]);
  });
});
