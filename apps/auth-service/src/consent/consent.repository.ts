import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, type Database } from '../database/database.js';

/** What each user allowed each client: a space-separated scope list per (user, client). */
@Injectable()
export class ConsentRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  async find(userId: string, clientId: string): Promise<string[]> {
    const [row] = await this.db.query<{ scope: string }>('SELECT scope FROM consents WHERE user_id = $1 AND client_id = $2', [userId, clientId]);
    return row ? row.scope.split(' ').filter(Boolean) : [];
  }

  async save(userId: string, clientId: string, scope: readonly string[], now: number): Promise<void> {
    await this.db.run(
      `INSERT INTO consents (user_id, client_id, scope, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (user_id, client_id) DO UPDATE SET scope = excluded.scope, updated_at = excluded.updated_at`,
      [userId, clientId, scope.join(' '), now],
    );
  }
}
