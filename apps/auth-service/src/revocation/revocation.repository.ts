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
  /** A `jti` entry's token: its session (user tokens) and its client, for the budgets; never served. */
  sid?: string;
  clientId?: string;
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

  /**
   * Writes entries inside the caller's transaction `tx` (so they commit with the change they record);
   * returns how many rows were inserted. One row per `(type, value)` (migration 6): a `sid` or `jti`
   * already listed is left as it is, written again it changes nothing, not even the cursor. A
   * `client_id` entry replaces the client's earlier one (a later `revoked_at` covers more tokens, and
   * a new id makes incremental readers see it). An entry that covers others replaces them: a `sid`
   * entry the `jti` entries of its session, a `client_id` entry every `jti` entry of its client (all
   * issued before it). Verifiers holding those keep them until they expire; a full read no longer
   * carries them.
   */
  async record(tx: Queryable, entries: readonly NewRevocation[]): Promise<number> {
    if (entries.length === 0) return 0;
    if (this.db.dialect === 'postgres') await tx.query('SELECT pg_advisory_xact_lock($1)', [FEED_LOCK_ID]);
    let inserted = 0;
    for (const entry of entries) {
      if (entry.type === 'client_id') await tx.run("DELETE FROM revocations WHERE (type = 'client_id' AND value = $1) OR client_id = $1", [entry.value]);
      const added = await tx.run(
        'INSERT INTO revocations (type, value, revoked_at, expires_at, sid, client_id) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (type, value) DO NOTHING',
        [entry.type, entry.value, entry.revokedAt, entry.expiresAt, entry.sid ?? null, entry.clientId ?? null],
      );
      if (added === 1 && entry.type === 'sid') await tx.run("DELETE FROM revocations WHERE type = 'jti' AND sid = $1", [entry.value]);
      inserted += added;
    }
    if (inserted > 0) this.memo = undefined;
    return inserted;
  }

  /** Writes entries in a transaction of their own; returns how many rows were inserted. */
  add(entries: readonly NewRevocation[]): Promise<number> {
    return this.db.transaction((tx) => this.record(tx, entries));
  }

  /**
   * Runs `work` in a transaction that holds the feed's writer lock (PostgreSQL; SQLite writes one
   * transaction at a time anyway), so that what it reads stays true until what it writes commits:
   * the budgets count entries and then add one, and concurrent revocations must not both pass.
   */
  locked<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.db.transaction(async (tx) => {
      if (this.db.dialect === 'postgres') await tx.query('SELECT pg_advisory_xact_lock($1)', [FEED_LOCK_ID]);
      return work(tx);
    });
  }

  /** The live entries that name any of these ids (at most one per type). */
  async listing(
    ids: { jti: string; sid?: string; clientId?: string },
    now: number,
    tx: Queryable = this.db,
  ): Promise<Array<Pick<Revocation, 'type' | 'revokedAt'>>> {
    const rows = await tx.query<Pick<Row, 'type' | 'revoked_at'>>(
      `SELECT type, revoked_at FROM revocations WHERE expires_at > $4
       AND ((type = 'jti' AND value = $1) OR (type = 'sid' AND value = $2) OR (type = 'client_id' AND value = $3))`,
      [ids.jti, ids.sid ?? null, ids.clientId ?? null, now],
    );
    return rows.map((r) => ({ type: r.type, revokedAt: Number(r.revoked_at) }));
  }

  /** How many live `jti` entries a session has, or a client has for tokens of no session (client credentials). */
  async countTokens(tx: Queryable, owner: { sid: string } | { clientId: string }, now: number): Promise<number> {
    const [row] =
      'sid' in owner
        ? await tx.query<{ n: number }>("SELECT COUNT(*) AS n FROM revocations WHERE type = 'jti' AND sid = $1 AND expires_at > $2", [owner.sid, now])
        : await tx.query<{ n: number }>("SELECT COUNT(*) AS n FROM revocations WHERE type = 'jti' AND client_id = $1 AND sid IS NULL AND expires_at > $2", [
            owner.clientId,
            now,
          ]);
    return Number(row?.n ?? 0);
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

  /** Deletes the entries no token can need any more; returns how many. */
  prune(now: number): Promise<number> {
    return this.db.run('DELETE FROM revocations WHERE expires_at <= $1', [now]);
  }
}
