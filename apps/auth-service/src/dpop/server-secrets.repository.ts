import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { DATABASE, type Database } from '../database/database.js';
import { CLOCK, type Clock } from '../time/clock.js';

/**
 * Secrets every replica must share, in the shared database: the first replica to ask for one creates
 * it (32 random bytes), every other one reads that row (`ON CONFLICT DO NOTHING`, then a read), so
 * two replicas starting at once still agree. Used for the DPoP nonce secret (docs/dpop.md "Nonces").
 */
@Injectable()
export class ServerSecretsRepository {
  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async secret(name: string): Promise<Buffer> {
    await this.db.run('INSERT INTO server_secrets (name, value, created_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING', [
      name,
      randomBytes(32).toString('base64url'),
      this.clock.now(),
    ]);
    const [row] = await this.db.query<{ value: string }>('SELECT value FROM server_secrets WHERE name = $1', [name]);
    return Buffer.from(row.value, 'base64url');
  }
}
