import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAuthConfig } from '../config/auth.config.js';
import { ConsentRepository } from '../consent/consent.repository.js';
import { ConsentService } from '../consent/consent.service.js';
import type { Database } from '../database/database.js';
import { openDatabase } from '../database/database.module.js';
import { RevocationRepository } from '../revocation/revocation.repository.js';
import { RevocationRecorder } from '../revocation/revocation-recorder.js';
import { SessionsRepository } from '../sessions/sessions.repository.js';
import { SessionsService } from '../sessions/sessions.service.js';
import type { Clock } from '../time/clock.js';
import { AuthorizationCodeRepository, type CodeGrant } from './authorization-code.repository.js';
import { AuthorizationCodesService, CODE_TTL_MS } from './authorization-codes.service.js';

describe('authorization codes and the consent memory (embedded database, controllable clock)', () => {
  let dir: string;
  let db: Database;
  let codes: AuthorizationCodesService;
  let sessions: SessionsService;
  let consent: ConsentService;
  const clock = {
    time: Date.UTC(2026, 0, 1),
    now(): number {
      return this.time;
    },
  } satisfies Clock & { time: number };
  const grant: CodeGrant = {
    clientId: 'web',
    redirectUri: 'https://app.example/cb',
    codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    nonce: 'n',
    scope: ['openid', 'profile'],
    audience: 'billing',
    userId: 'u1',
    ssoSessionId: 'sso-1',
    authTime: clock.time,
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'codes-'));
    const config = loadAuthConfig({ DATA_DIR: dir });
    db = await openDatabase(config.database, clock);
    sessions = new SessionsService(new SessionsRepository(db, new RevocationRecorder(new RevocationRepository(db), config.tokens)), clock, config.sessions);
    codes = new AuthorizationCodesService(new AuthorizationCodeRepository(db), sessions, clock);
    consent = new ConsentService(new ConsentRepository(db), clock);
    await db.run("INSERT INTO users (id, username, password_hash, scopes, created_at, updated_at) VALUES ('u1', 'ann', 'x', 'profile', 0, 0)");
  });
  afterEach(async () => {
    await db.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('stores only the hash, and a claim returns everything the code is bound to', async () => {
    const code = await codes.issue(grant);
    expect(code).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(JSON.stringify(await db.query('SELECT * FROM authorization_codes'))).not.toContain(code);
    expect(await codes.redeem(code, 'app-1')).toEqual({ outcome: 'claimed', code: expect.objectContaining({ ...grant, appSessionId: 'app-1' }) });
  });

  it('lives 60 seconds', async () => {
    const code = await codes.issue(grant);
    clock.time += CODE_TTL_MS;
    expect(await codes.redeem(code, 'app-1')).toEqual({ outcome: 'expired' });
    clock.time -= 1;
    const fresh = await codes.issue(grant);
    clock.time += CODE_TTL_MS - 1;
    expect((await codes.redeem(fresh, 'app-2')).outcome).toBe('claimed');
  });

  it('a second use is reused and ends the app session the first started (its sid in the feed)', async () => {
    const code = await codes.issue(grant);
    await codes.redeem(code, 'app-1');
    await sessions.start('u1', { clientId: 'web', ssoSessionId: 'sso-1' }, 'app-1');
    expect(await sessions.isLive('app-1')).toBe(true);
    expect(await codes.redeem(code, 'app-2')).toEqual({ outcome: 'reused' });
    expect(await sessions.isLive('app-1')).toBe(false);
    expect(await db.query("SELECT type, value FROM revocations WHERE value = 'app-1'")).toEqual([{ type: 'sid', value: 'app-1' }]);
  });

  it('a second use that comes before the first use stored its session: the first use, confirming, ends that session and is refused', async () => {
    const code = await codes.issue(grant);
    expect((await codes.redeem(code, 'app-1')).outcome).toBe('claimed');
    // The replay lands while the first redemption signs its tokens: no session to end yet.
    expect(await codes.redeem(code, 'app-2')).toEqual({ outcome: 'reused' });
    await sessions.start('u1', { clientId: 'web', ssoSessionId: 'sso-1' }, 'app-1');
    expect(await codes.confirm(code, 'app-1', 'web')).toBe(false);
    expect(await sessions.isLive('app-1')).toBe(false);
    expect(await db.query("SELECT type, value FROM revocations WHERE value = 'app-1'")).toEqual([{ type: 'sid', value: 'app-1' }]);
  });

  it('a redemption nobody replayed is confirmed and its session lives', async () => {
    const code = await codes.issue(grant);
    await codes.redeem(code, 'app-1');
    await sessions.start('u1', { clientId: 'web', ssoSessionId: 'sso-1' }, 'app-1');
    expect(await codes.confirm(code, 'app-1', 'web')).toBe(true);
    expect(await sessions.isLive('app-1')).toBe(true);
  });

  describe('a code bound to a DPoP key (dpop_jkt, RFC 9449 §10)', () => {
    const jkt = 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs';
    const otherJkt = 'cbaZgHZazjgQq0Q2-Hy_o2-OCDpPu02S30lNhTsNU1Q';

    it('is claimed only by the key it is bound to; without a proof or with another key nothing changes', async () => {
      const code = await codes.issue({ ...grant, dpopJkt: jkt });
      expect(await codes.redeem(code, 'app-1')).toEqual({ outcome: 'dpop_mismatch' });
      expect(await codes.redeem(code, 'app-1', otherJkt)).toEqual({ outcome: 'dpop_mismatch' });
      expect(await db.query('SELECT used_at, app_session_id FROM authorization_codes')).toEqual([{ used_at: null, app_session_id: null }]);
      expect(await codes.redeem(code, 'app-2', jkt)).toEqual({ outcome: 'claimed', code: expect.objectContaining({ dpopJkt: jkt, appSessionId: 'app-2' }) });
    });

    it('a reuse without its key is refused and revokes nothing; by its key it is a reuse as any other', async () => {
      const code = await codes.issue({ ...grant, dpopJkt: jkt });
      await codes.redeem(code, 'app-1', jkt);
      await sessions.start('u1', { clientId: 'web', ssoSessionId: 'sso-1' }, 'app-1');
      expect(await codes.redeem(code, 'app-2', otherJkt)).toEqual({ outcome: 'dpop_mismatch' });
      expect(await codes.redeem(code, 'app-2')).toEqual({ outcome: 'dpop_mismatch' });
      expect(await sessions.isLive('app-1')).toBe(true);
      expect(await codes.redeem(code, 'app-2', jkt)).toEqual({ outcome: 'reused' });
      expect(await sessions.isLive('app-1')).toBe(false);
    });

    it('an unbound code is claimed with or without a proof', async () => {
      expect((await codes.redeem(await codes.issue(grant), 'app-1', otherJkt)).outcome).toBe('claimed');
      expect((await codes.redeem(await codes.issue(grant), 'app-2')).outcome).toBe('claimed');
    });
  });

  it('unknown or malformed codes are invalid', async () => {
    expect(await codes.redeem('x'.repeat(43), 'a')).toEqual({ outcome: 'invalid' });
    expect(await codes.redeem("' OR 1=1 --", 'a')).toEqual({ outcome: 'invalid' });
  });

  it('remembers consent per user and client, adds scopes, and asks again for a scope not yet allowed', async () => {
    expect(await consent.covers('u1', 'web', ['openid'])).toBe(false);
    await consent.remember('u1', 'web', ['openid']);
    expect(await consent.covers('u1', 'web', ['openid'])).toBe(true);
    expect(await consent.covers('u1', 'web', ['openid', 'profile'])).toBe(false);
    expect(await consent.covers('u1', 'other', ['openid'])).toBe(false);
    await consent.remember('u1', 'web', ['profile']);
    expect(await consent.covers('u1', 'web', ['openid', 'profile'])).toBe(true);
  });

  it('ending an SSO session ends every app session started from it, not the others', async () => {
    await sessions.start('u1', { clientId: 'web', ssoSessionId: 'sso-1' }, 'a');
    await sessions.start('u1', { clientId: 'other', ssoSessionId: 'sso-1' }, 'b');
    await sessions.start('u1', { clientId: 'web', ssoSessionId: 'sso-2' }, 'c');
    expect(await sessions.revokeAllForSso('sso-1', 'logout')).toBe(2);
    expect([await sessions.isLive('a'), await sessions.isLive('b'), await sessions.isLive('c')]).toEqual([false, false, true]);
  });
});
