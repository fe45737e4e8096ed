import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, type Database } from '../database/database.js';

/** An interaction as stored: the request it serves (JSON) and, after sign-in, who signed in. */
export interface StoredInteraction {
  id: string;
  browserHash: string;
  csrfHash: string;
  request: string;
  userId?: string;
  ssoSessionId?: string;
  expiresAt: number;
}

interface InteractionRow {
  id: string;
  browser_hash: string;
  csrf_hash: string;
  request: string;
  user_id: string | null;
  sso_session_id: string | null;
  expires_at: number;
}

/** Interactions in the shared database: a sign-in page served by one replica is posted to another. */
@Injectable()
export class InteractionRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  async insert(interaction: StoredInteraction, now: number): Promise<void> {
    await this.db.run(
      'INSERT INTO interactions (id, browser_hash, csrf_hash, request, created_at, expires_at, user_id, sso_session_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
      [
        interaction.id,
        interaction.browserHash,
        interaction.csrfHash,
        interaction.request,
        now,
        interaction.expiresAt,
        interaction.userId ?? null,
        interaction.ssoSessionId ?? null,
      ],
    );
  }

  async findLive(id: string, now: number): Promise<StoredInteraction | undefined> {
    const [row] = await this.db.query<InteractionRow>('SELECT * FROM interactions WHERE id = $1 AND expires_at > $2', [id, now]);
    if (!row) return undefined;
    return {
      id: row.id,
      browserHash: row.browser_hash,
      csrfHash: row.csrf_hash,
      request: row.request,
      userId: row.user_id ?? undefined,
      ssoSessionId: row.sso_session_id ?? undefined,
      expiresAt: Number(row.expires_at),
    };
  }

  /** Records the sign-in; only while nobody has signed in to it yet. */
  async signIn(id: string, userId: string, ssoSessionId: string): Promise<boolean> {
    return (await this.db.run('UPDATE interactions SET user_id = $2, sso_session_id = $3 WHERE id = $1', [id, userId, ssoSessionId])) === 1;
  }

  async setCsrf(id: string, csrfHash: string): Promise<void> {
    await this.db.run('UPDATE interactions SET csrf_hash = $2 WHERE id = $1', [id, csrfHash]);
  }

  /** Ends an interaction; true for the one caller that ended it (a form posted twice acts once). */
  async finish(id: string): Promise<boolean> {
    return (await this.db.run('DELETE FROM interactions WHERE id = $1', [id])) === 1;
  }

  prune(now: number): Promise<number> {
    return this.db.run('DELETE FROM interactions WHERE expires_at <= $1', [now]);
  }
}
