import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, type Database } from '../database/database.js';

/** A single sign-on session: `id` is public (the ID token's `sid`), the cookie's secret only hashed. */
export interface SsoSession {
  id: string;
  userId: string;
  /** When the user last entered their password (epoch ms; the ID token's `auth_time`). */
  authTime: number;
  expiresAt: number;
}

interface SsoRow {
  id: string;
  user_id: string;
  auth_time: number;
  expires_at: number;
}

const toSession = (row: SsoRow): SsoSession => ({ id: row.id, userId: row.user_id, authTime: Number(row.auth_time), expiresAt: Number(row.expires_at) });

/** SSO sessions in the shared database, so every replica knows the cookie. */
@Injectable()
export class SsoSessionRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  async insert(session: SsoSession, secretHash: string, now: number): Promise<void> {
    await this.db.run('INSERT INTO sso_sessions (id, secret_hash, user_id, auth_time, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)', [
      session.id,
      secretHash,
      session.userId,
      session.authTime,
      now,
      session.expiresAt,
    ]);
  }

  /** The live session whose cookie secret hashes to `secretHash`. */
  async findLive(secretHash: string, now: number): Promise<SsoSession | undefined> {
    const [row] = await this.db.query<SsoRow>('SELECT * FROM sso_sessions WHERE secret_hash = $1 AND ended_at IS NULL AND expires_at > $2', [secretHash, now]);
    return row ? toSession(row) : undefined;
  }

  async findLiveById(id: string, now: number): Promise<SsoSession | undefined> {
    const [row] = await this.db.query<SsoRow>('SELECT * FROM sso_sessions WHERE id = $1 AND ended_at IS NULL AND expires_at > $2', [id, now]);
    return row ? toSession(row) : undefined;
  }

  /** A new password sign-in in the same session: a new secret (no fixation) and a new `auth_time`. */
  async renew(id: string, secretHash: string, authTime: number): Promise<boolean> {
    return (await this.db.run('UPDATE sso_sessions SET secret_hash = $2, auth_time = $3 WHERE id = $1 AND ended_at IS NULL', [id, secretHash, authTime])) === 1;
  }

  /** Ends a session; false when it had ended already. */
  async end(id: string, now: number): Promise<boolean> {
    return (await this.db.run('UPDATE sso_sessions SET ended_at = $2 WHERE id = $1 AND ended_at IS NULL', [id, now])) === 1;
  }

  /** The ids of sessions ended at or before `cutoff`, still stored. */
  async endedBy(cutoff: number): Promise<string[]> {
    const rows = await this.db.query<{ id: string }>('SELECT id FROM sso_sessions WHERE ended_at IS NOT NULL AND ended_at <= $1', [cutoff]);
    return rows.map((row) => row.id);
  }

  /**
   * Deletes sessions past their end that nobody ended (their app sessions live on, on their own
   * schedule) and sessions ended at or before `endedBy`.
   */
  prune(now: number, endedBy: number): Promise<number> {
    return this.db.run('DELETE FROM sso_sessions WHERE (ended_at IS NULL AND expires_at <= $1) OR ended_at <= $2', [now, endedBy]);
  }
}
