import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, type Database } from '../database/database.js';
import { RevocationRecorder } from '../revocation/revocation-recorder.js';

/** A refresh token as stored, with the state of its family (the session). */
export interface StoredRefreshToken {
  tokenHash: string;
  familyId: string;
  userId: string;
  clientId: string;
  /**
   * What the session's access tokens carry: the scope granted at its start (undefined only for a session
   * started before it was always stored: token-grants.service.ts `grantedScope`); audience undefined:
   * the default one.
   */
  scope?: string;
  audience?: string;
  /** The DPoP key (RFC 7638 thumbprint) a public client's session is bound to: every refresh needs a proof by it. */
  dpopJkt?: string;
  expiresAt: number;
  usedAt?: number;
  familyExpiresAt: number;
  familyRevokedAt?: number;
}

export interface NewFamily {
  id: string;
  userId: string;
  clientId: string;
  scope?: string;
  audience?: string;
  dpopJkt?: string;
  /** The single sign-on session this app session was started from (browser sign-in). */
  ssoSessionId?: string;
  createdAt: number;
  expiresAt: number;
}

export interface NewRefreshToken {
  hash: string;
  familyId: string;
  issuedAt: number;
  expiresAt: number;
}

interface TokenRow {
  token_hash: string;
  family_id: string;
  user_id: string;
  client_id: string;
  scope: string | null;
  audience: string | null;
  dpop_jkt: string | null;
  expires_at: number;
  used_at: number | null;
  family_expires_at: number;
  revoked_at: number | null;
}

const optional = (value: number | null): number | undefined => (value === null ? undefined : Number(value));

/**
 * Refresh families and tokens in the shared database (embedded or PostgreSQL). Ending a session
 * also writes its `sid` to the revocation feed, in the same transaction, so that its access tokens
 * are refused by every verifier too (docs/revocation.md).
 */
@Injectable()
export class SessionsRepository {
  constructor(
    @Inject(DATABASE) private readonly db: Database,
    private readonly revocations: RevocationRecorder,
  ) {}

  async find(tokenHash: string): Promise<StoredRefreshToken | undefined> {
    const [row] = await this.db.query<TokenRow>(
      `SELECT t.token_hash, t.family_id, f.user_id, f.client_id, f.scope, f.audience, f.dpop_jkt, t.expires_at, t.used_at, f.expires_at AS family_expires_at, f.revoked_at
       FROM refresh_tokens t JOIN refresh_families f ON f.id = t.family_id WHERE t.token_hash = $1`,
      [tokenHash],
    );
    if (!row) return undefined;
    return {
      tokenHash: row.token_hash,
      familyId: row.family_id,
      userId: row.user_id,
      clientId: row.client_id,
      scope: row.scope ?? undefined,
      audience: row.audience ?? undefined,
      dpopJkt: row.dpop_jkt ?? undefined,
      expiresAt: Number(row.expires_at),
      usedAt: optional(row.used_at),
      familyExpiresAt: Number(row.family_expires_at),
      familyRevokedAt: optional(row.revoked_at),
    };
  }

  /** A new session and its first token, together or not at all. */
  async startFamily(family: NewFamily, token: NewRefreshToken): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.run(
        'INSERT INTO refresh_families (id, user_id, client_id, scope, audience, created_at, expires_at, dpop_jkt, sso_session_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)',
        [
          family.id,
          family.userId,
          family.clientId,
          family.scope ?? null,
          family.audience ?? null,
          family.createdAt,
          family.expiresAt,
          family.dpopJkt ?? null,
          family.ssoSessionId ?? null,
        ],
      );
      await tx.run('INSERT INTO refresh_tokens (token_hash, family_id, issued_at, expires_at) VALUES ($1, $2, $3, $4)', [
        token.hash,
        token.familyId,
        token.issuedAt,
        token.expiresAt,
      ]);
    });
  }

  /**
   * Marks `tokenHash` used and stores its successor, in one transaction. The conditional UPDATE is the
   * arbiter between concurrent uses: only a token still unused, unexpired and in a live family is
   * claimed. PostgreSQL makes a second UPDATE of the row wait for the first to commit and then
   * re-check the WHERE clause (0 rows); SQLite runs write transactions one at a time. Either way one
   * caller gets true, every other one false, and the successor exists only for the winner.
   */
  async rotate(tokenHash: string, now: number, successor: NewRefreshToken): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const claimed = await tx.run(
        `UPDATE refresh_tokens SET used_at = $2
         WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2
           AND EXISTS (SELECT 1 FROM refresh_families f WHERE f.id = refresh_tokens.family_id AND f.revoked_at IS NULL AND f.expires_at > $2)`,
        [tokenHash, now],
      );
      if (claimed !== 1) return false;
      await tx.run('INSERT INTO refresh_tokens (token_hash, family_id, issued_at, expires_at) VALUES ($1, $2, $3, $4)', [
        successor.hash,
        successor.familyId,
        successor.issuedAt,
        successor.expiresAt,
      ]);
      return true;
    });
  }

  async isFamilyLive(familyId: string, now: number): Promise<boolean> {
    const rows = await this.db.query('SELECT 1 AS live FROM refresh_families WHERE id = $1 AND revoked_at IS NULL AND expires_at > $2', [familyId, now]);
    return rows.length === 1;
  }

  /**
   * Revokes one session; false when it was already revoked (or is unknown). `listAnyway` writes its
   * `sid` entry even then (idempotent: one entry per session).
   */
  revokeFamily(familyId: string, now: number, reason: string, options: { listAnyway?: boolean } = {}): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const changed = await tx.run('UPDATE refresh_families SET revoked_at = $2, revoked_reason = $3 WHERE id = $1 AND revoked_at IS NULL', [
        familyId,
        now,
        reason,
      ]);
      if (changed === 1 || options.listAnyway) await this.revocations.recordSessions(tx, [familyId], now);
      return changed === 1;
    });
  }

  /**
   * Revokes every session of a user whose access tokens may still be live (a session past its end
   * less than one access-token lifetime ago may still have one); returns how many sessions.
   */
  revokeUser(userId: string, now: number, reason: string): Promise<number> {
    return this.revokeWhere('user_id', userId, now, reason);
  }

  /** Revokes the sessions whose `column` is `value` and writes their feed entries, in one transaction. */
  private revokeWhere(column: 'user_id' | 'sso_session_id', value: string, now: number, reason: string): Promise<number> {
    const liveAfter = now - this.revocations.retentionMs;
    return this.db.transaction(async (tx) => {
      const ended = await tx.query<{ id: string }>(
        `UPDATE refresh_families SET revoked_at = $2, revoked_reason = $3 WHERE ${column} = $1 AND revoked_at IS NULL AND expires_at > $4 RETURNING id`,
        [value, now, reason, liveAfter],
      );
      await this.revocations.recordSessions(
        tx,
        ended.map((row) => row.id),
        now,
      );
      return ended.length;
    });
  }

  /** Revokes every app session started from a single sign-on session (logout, a reused code); returns how many. */
  revokeSso(ssoSessionId: string, now: number, reason: string): Promise<number> {
    return this.revokeWhere('sso_session_id', ssoSessionId, now, reason);
  }

  /**
   * Revokes every live session of a client (disabled or removed); returns how many. Its access tokens
   * are refused through one `client_id` entry instead (ClientsService), not one entry per session.
   */
  revokeClient(clientId: string, now: number, reason: string): Promise<number> {
    return this.db.run('UPDATE refresh_families SET revoked_at = $2, revoked_reason = $3 WHERE client_id = $1 AND revoked_at IS NULL AND expires_at > $2', [
      clientId,
      now,
      reason,
    ]);
  }

  /**
   * Deletes sessions past their absolute end (their tokens go with them) and tokens past their own
   * expiry; either would only ever be answered `invalid_grant` again. Returns the rows deleted.
   */
  async prune(now: number): Promise<number> {
    const families = await this.db.run('DELETE FROM refresh_families WHERE expires_at <= $1', [now]);
    const tokens = await this.db.run('DELETE FROM refresh_tokens WHERE expires_at <= $1', [now]);
    return families + tokens;
  }
}
