import { Inject, Injectable } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { DATABASE, type Database, type Queryable } from '../database/database.js';

/** What an entry names: a session, one access token, or a client (its tokens issued before `revokedAt`). */
export type RevocationType = 'sid' | 'jti' | 'client_id';

export interface NewRevocation {
  type: RevocationType;
  value: string;
  /** Epoch milliseconds. */
  revokedAt: number;
  /** Epoch milliseconds: when every token the entry can affect has expired; pruned after. */
  expiresAt: number;
}

export interface Revocation extends NewRevocation {
  /** The feed's cursor: a sequence, never reused. */
  id: number;
}

interface Row {
  id: number;
  type: RevocationType;
  value: string;
  revoked_at: number;
  expires_at: number;
}

/** Any fixed number, distinct from the maintenance lock: serializes the writers of the feed on PostgreSQL. */
const FEED_LOCK_ID = 7_462_002;

/** How long a read of the latest cursor is reused by this replica (docs/revocation.md "Cost of a poll"). */
const LATEST_MEMO_MS = 250;

/**
 * The revocation feed's table. The cursor is the row id, and a reader must never see id N before
 * every id below N that will ever exist: on PostgreSQL a sequence hands out ids at insert time and
 * transactions commit in any order, so an entry with a lower id could become visible after a
 * higher one was served (and be skipped for good). Writers therefore take a transaction-scoped
 * advisory lock before they insert: ids are drawn and committed one writer at a time, so a visible
 * id implies every lower one is committed (or rolled back, a harmless gap). SQLite writes one
 * transaction at a time anyway. Revocations are rare next to reads, so the lock costs nothing that
 * matters (docs/revocation.md "The cursor").
 */
@Injectable()
export class RevocationRepository {
  private memo?: { latest: number; at: number };

  constructor(@Inject(DATABASE) private readonly db: Database) {}

  /** Inserts entries inside the caller's transaction `tx` (so they commit with the change they record). */
  async record(tx: Queryable, entries: readonly NewRevocation[]): Promise<void> {
    if (entries.length === 0) return;
    if (this.db.dialect === 'postgres') await tx.query('SELECT pg_advisory_xact_lock($1)', [FEED_LOCK_ID]);
    for (const entry of entries) {
      await tx.run('INSERT INTO revocations (type, value, revoked_at, expires_at) VALUES ($1, $2, $3, $4)', [
        entry.type,
        entry.value,
        entry.revokedAt,
        entry.expiresAt,
      ]);
    }
    this.memo = undefined;
  }

  /** Inserts entries in a transaction of their own. */
  async add(entries: readonly NewRevocation[]): Promise<void> {
    await this.db.transaction((tx) => this.record(tx, entries));
    this.memo = undefined;
  }

  /** The highest id written (0 for none), read again at most every 250 ms unless this replica wrote since. */
  async latest(): Promise<number> {
    // A monotonic clock, not the injected one: this is a cache of a database read, not a rule on tokens.
    const now = performance.now();
    if (this.memo && now - this.memo.at < LATEST_MEMO_MS) return this.memo.latest;
    const [row] = await this.db.query<{ latest: number | null }>('SELECT MAX(id) AS latest FROM revocations');
    const latest = Number(row?.latest ?? 0);
    this.memo = { latest, at: now };
    return latest;
  }

  /** Entries with `after < id <= upTo` that have not expired at `now`, in id order. */
  async live(after: number, upTo: number, now: number): Promise<Revocation[]> {
    const rows = await this.db.query<Row>(
      'SELECT id, type, value, revoked_at, expires_at FROM revocations WHERE id > $1 AND id <= $2 AND expires_at > $3 ORDER BY id',
      [after, upTo, now],
    );
    return rows.map((r) => ({ id: Number(r.id), type: r.type, value: r.value, revokedAt: Number(r.revoked_at), expiresAt: Number(r.expires_at) }));
  }

  async isListed(type: RevocationType, value: string, now: number): Promise<boolean> {
    const rows = await this.db.query('SELECT 1 AS listed FROM revocations WHERE value = $1 AND type = $2 AND expires_at > $3', [value, type, now]);
    return rows.length > 0;
  }

  /** Deletes the entries no token can need any more; returns how many. */
  prune(now: number): Promise<number> {
    return this.db.run('DELETE FROM revocations WHERE expires_at <= $1', [now]);
  }
}
