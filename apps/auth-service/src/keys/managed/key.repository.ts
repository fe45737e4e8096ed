import { isJwsAlgorithm, type PublicJwk } from '@app/contracts';
import type { Queryable } from '../../database/database.js';
import { KEY_PURPOSES, type KeyPurpose, type KeyRecord } from './key-record.js';

interface KeyRow {
  kid: string;
  alg: string;
  purpose: string;
  public_jwk: string;
  sealed_private_key: string | null;
  owner: string | null;
  created_at: number;
  activates_at: number;
  deprecates_at: number;
  expires_at: number;
  revoked_at: number | null;
}

function toRecord(row: KeyRow): KeyRecord {
  if (!isJwsAlgorithm(row.alg)) throw new Error(`key ${row.kid} has unsupported alg ${row.alg}`);
  if (!(KEY_PURPOSES as readonly string[]).includes(row.purpose)) throw new Error(`key ${row.kid} has unknown purpose ${row.purpose}`);
  return {
    kid: row.kid,
    alg: row.alg,
    purpose: row.purpose as KeyPurpose,
    publicJwk: JSON.parse(row.public_jwk) as PublicJwk,
    sealedPrivateKey: row.sealed_private_key ?? undefined,
    owner: row.owner ?? undefined,
    createdAt: Number(row.created_at),
    activatesAt: Number(row.activates_at),
    deprecatesAt: Number(row.deprecates_at),
    expiresAt: Number(row.expires_at),
    revokedAt: row.revoked_at === null ? undefined : Number(row.revoked_at),
  };
}

/** SQL of the `signing_keys` table (migrations 2 and 10); every function takes the connection or transaction to use. */
export const keyRepository = {
  async all(db: Queryable): Promise<KeyRecord[]> {
    const rows = await db.query<KeyRow>('SELECT * FROM signing_keys ORDER BY activates_at, kid');
    return rows.map(toRecord);
  },

  async insert(db: Queryable, key: KeyRecord): Promise<void> {
    await db.run(
      `INSERT INTO signing_keys (kid, alg, public_jwk, sealed_private_key, owner, created_at, activates_at, deprecates_at, expires_at, revoked_at, purpose)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, NULL, $10)`,
      [
        key.kid,
        key.alg,
        JSON.stringify(key.publicJwk),
        key.sealedPrivateKey ?? null,
        key.owner ?? null,
        key.createdAt,
        key.activatesAt,
        key.deprecatesAt,
        key.expiresAt,
        key.purpose,
      ],
    );
  },

  /** Moves a key's timestamps; a revoked key is never changed again. */
  async reschedule(db: Queryable, kid: string, times: { activatesAt: number; deprecatesAt: number; expiresAt: number }): Promise<number> {
    return db.run('UPDATE signing_keys SET activates_at = $2, deprecates_at = $3, expires_at = $4 WHERE kid = $1 AND revoked_at IS NULL', [
      kid,
      times.activatesAt,
      times.deprecatesAt,
      times.expiresAt,
    ]);
  },

  async revoke(db: Queryable, kid: string, now: number): Promise<number> {
    return db.run('UPDATE signing_keys SET revoked_at = $2 WHERE kid = $1 AND revoked_at IS NULL', [kid, now]);
  },

  async revokeAllPublished(db: Queryable, now: number): Promise<number> {
    return db.run('UPDATE signing_keys SET revoked_at = $1 WHERE revoked_at IS NULL AND expires_at > $1', [now]);
  },

  /** Deletes keys that can never be published again: expired or revoked. */
  async purge(db: Queryable, now: number): Promise<number> {
    return db.run('DELETE FROM signing_keys WHERE revoked_at IS NOT NULL OR expires_at <= $1', [now]);
  },
};
