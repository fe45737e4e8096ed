import { open, type FileHandle } from 'node:fs/promises';
import { DatabaseUnavailableError } from './database.js';

/** What a flush needs of the open `-wal` file; `node:fs/promises` FileHandle by default. */
export type WalFile = Pick<FileHandle, 'datasync' | 'close'>;
export type WalOpener = (path: string) => Promise<WalFile>;

const openForSync: WalOpener = (path) => open(path, 'r');

/**
 * Commit durability for SQLite in WAL mode with `synchronous = NORMAL` (docs/architecture.md
 * "Storage"). SQLite then writes each commit to the `-wal` file without syncing it; this makes the
 * commit durable off the event loop: `fdatasync` of the `-wal` file on the libuv pool, which is what
 * `synchronous = FULL` does on the calling thread at every commit. Group commit: one flush runs at a
 * time, and every commit made while it runs shares the next one.
 *
 * The file is opened by path once, at the first flush (a commit has created it by then), and kept:
 * SQLite never deletes or replaces the `-wal` file while a connection is open, it rewrites it from
 * the start after a checkpoint (the same inode; `wal-durability.spec.ts` checks this across
 * `wal_checkpoint(TRUNCATE)`). SQLite holds no POSIX lock on the `-wal` file (its WAL locks are on
 * `-shm` and the database file), so this descriptor cannot release one when it is closed.
 *
 * A failed flush leaves the commits since the last good one of unknown fate (after an fsync error
 * Linux may have dropped the dirty pages), so it is final: every later call fails with
 * `DatabaseUnavailableError` (503, readiness down) until the process restarts and SQLite recovers
 * what reached the disk, as PostgreSQL does after a failed fsync.
 */
export class WalDurability {
  /** Commits written to the `-wal` file so far, and how many of them a finished flush covers. */
  private written = 0;
  private synced = 0;
  private file?: Promise<WalFile>;
  /** The flush under way and the commit count it covers; the next one, shared by commits made meanwhile. */
  private running?: { done: Promise<void>; upTo: number };
  private next?: Promise<void>;
  private failure?: DatabaseUnavailableError;

  constructor(
    private readonly walPath: string,
    private readonly openFile: WalOpener = openForSync,
  ) {}

  /** Throws once a flush has failed: nothing this connection answers can be trusted to be on disk. */
  check(): void {
    if (this.failure) throw this.failure;
  }

  /** Call right after a commit returned: its frames are in the `-wal` file (the page cache), not yet on disk. */
  committed(): void {
    this.written += 1;
  }

  /**
   * Resolves once every commit made so far is on disk; undefined when it already is (no wait at all).
   * Rejects with DatabaseUnavailableError when the flush fails.
   */
  durable(): Promise<void> | undefined {
    if (this.failure) return Promise.reject(this.failure);
    if (this.synced === this.written) return undefined;
    // A flush queued to start when the one under way ends covers every commit made until it starts.
    if (this.next) return this.next;
    if (!this.running) return this.start();
    if (this.running.upTo === this.written) return this.running.done;
    // The flush under way started before the latest commit: wait for it, then flush again for all commits since.
    this.next = this.running.done.then(
      () => this.startNext(),
      () => this.startNext(),
    );
    return this.next;
  }

  private startNext(): Promise<void> {
    this.next = undefined;
    return this.start();
  }

  private start(): Promise<void> {
    const upTo = this.written;
    const done = this.flushUpTo(upTo);
    this.running = { done, upTo };
    return done;
  }

  private async flushUpTo(upTo: number): Promise<void> {
    try {
      await this.flush();
      this.synced = Math.max(this.synced, upTo);
    } catch (error) {
      this.failure ??= new DatabaseUnavailableError(error);
      throw this.failure;
    } finally {
      this.running = undefined;
    }
  }

  private async flush(): Promise<void> {
    this.check();
    this.file ??= this.openFile(this.walPath);
    await (await this.file).datasync();
  }

  /** Waits for the flush under way (its outcome is its callers' concern) and closes the file. */
  async close(): Promise<void> {
    await Promise.allSettled([this.running?.done, this.next]);
    const file = this.file;
    this.file = undefined;
    await (await file?.catch(() => undefined))?.close();
  }
}
