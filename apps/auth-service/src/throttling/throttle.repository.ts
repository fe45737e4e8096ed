import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, type Database } from '../database/database.js';
import type { CounterState } from './throttle-policy.js';

export interface CounterWrite {
  key: string;
  state: CounterState;
  forgetAt: number;
}

/** What a decision over some counters returns: its result and the counters to store. */
export interface CounterDecision<T> {
  result: T;
  save: CounterWrite[];
}

interface CounterRow {
  counter_key: string;
  failures: number;
  last_failure_at: number;
  locked_until: number;
}

/** Failure counters in the shared database, so every replica counts the same attempts. */
@Injectable()
export class ThrottleRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  /**
   * Reads the counters of `keys`, lets `decide` compute the new ones, and stores them, with those
   * counters locked against every other request until the transaction commits: the upsert creates a
   * missing row and, on PostgreSQL, takes its row lock (keys in sorted order, so two requests never
   * wait on each other); SQLite runs write transactions one at a time anyway.
   */
  async update<T>(keys: readonly string[], decide: (counters: ReadonlyMap<string, CounterState | undefined>) => CounterDecision<T>): Promise<T> {
    return this.db.transaction(async (tx) => {
      const sorted = [...new Set(keys)].sort();
      for (const key of sorted) {
        await tx.run(
          `INSERT INTO throttle_counters (counter_key, failures, last_failure_at, locked_until, forget_at) VALUES ($1, 0, 0, 0, 0)
           ON CONFLICT (counter_key) DO UPDATE SET failures = throttle_counters.failures`,
          [key],
        );
      }
      const counters = new Map<string, CounterState | undefined>(sorted.map((key) => [key, undefined]));
      const placeholders = sorted.map((_, i) => `$${i + 1}`).join(', ');
      const rows = await tx.query<CounterRow>(
        `SELECT counter_key, failures, last_failure_at, locked_until FROM throttle_counters WHERE counter_key IN (${placeholders})`,
        sorted,
      );
      for (const row of rows) {
        if (Number(row.failures) === 0) continue;
        counters.set(row.counter_key, {
          failures: Number(row.failures),
          lastFailureAt: Number(row.last_failure_at),
          lockedUntil: Number(row.locked_until),
        });
      }
      const { result, save } = decide(counters);
      for (const { key, state, forgetAt } of save) {
        await tx.run('UPDATE throttle_counters SET failures = $2, last_failure_at = $3, locked_until = $4, forget_at = $5 WHERE counter_key = $1', [
          key,
          state.failures,
          state.lastFailureAt,
          state.lockedUntil,
          forgetAt,
        ]);
      }
      return result;
    });
  }

  async clear(key: string): Promise<void> {
    await this.db.run('DELETE FROM throttle_counters WHERE counter_key = $1', [key]);
  }

  /** Deletes counters past their forget time (and the empty rows `update` left behind). */
  prune(now: number): Promise<number> {
    return this.db.run('DELETE FROM throttle_counters WHERE forget_at <= $1', [now]);
  }
}
