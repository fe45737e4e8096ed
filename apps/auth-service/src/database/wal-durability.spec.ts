import { mkdtemp, open, rm, stat, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseUnavailableError } from './database.js';
import { SqliteDatabase } from './sqlite.database.js';
import type { WalFile } from './wal-durability.js';

/**
 * The real `-wal` file, opened as WalDurability would, with its flushes counted, held back until
 * released, or failing on demand: the fault injection of these specs.
 */
class WalProbe {
  handle?: FileHandle;
  flushes = 0;
  failing = false;
  private gate?: Promise<void>;
  private release?: () => void;
  private flushStarted?: () => void;

  readonly open = async (path: string): Promise<WalFile> => {
    this.handle = await open(path, 'r');
    const handle = this.handle;
    return {
      datasync: async () => {
        this.flushes += 1;
        this.flushStarted?.();
        await this.gate;
        if (this.failing) throw Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' });
        await handle.datasync();
      },
      close: () => handle.close(),
    };
  };

  releaseAll(): void {
    this.gate = undefined;
    this.release?.();
  }

  /** Holds every flush until `open()`; resolves `started` when one begins. */
  hold(): { started: Promise<void>; open: () => void } {
    this.gate = new Promise((resolve) => (this.release = resolve));
    const started = new Promise<void>((resolve) => (this.flushStarted = resolve));
    return {
      started,
      open: () => this.releaseAll(),
    };
  }
}

/** Whether `promise` has settled, without waiting for it. */
function settledFlag(promise: Promise<unknown>): { settled: boolean } {
  const flag = { settled: false };
  promise.then(
    () => (flag.settled = true),
    () => (flag.settled = true),
  );
  return flag;
}

describe('SqliteDatabase commit durability (synchronous = NORMAL + WalDurability)', () => {
  let dir: string;
  let probe: WalProbe;
  let db: SqliteDatabase;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sqlite-wal-'));
    probe = new WalProbe();
    db = new SqliteDatabase(dir, { openWal: probe.open });
    await db.run('CREATE TABLE t (n INTEGER)');
  });
  afterEach(async () => {
    probe.releaseAll();
    await db.close().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  });

  it.each([
    ['run', (d: SqliteDatabase) => d.run('INSERT INTO t VALUES (1)')],
    ['query (a write with RETURNING)', (d: SqliteDatabase) => d.query('INSERT INTO t VALUES (1) RETURNING n')],
    ['transaction', (d: SqliteDatabase) => d.transaction((tx) => tx.run('INSERT INTO t VALUES (1)'))],
  ])('a write through %s is committed at once but answered only after the -wal file is flushed', async (_, write) => {
    const gate = probe.hold();
    const writing = write(db);
    const flag = settledFlag(writing);
    await gate.started; // never starts if the flush is skipped: the test times out
    const other = new SqliteDatabase(dir);
    expect(await other.query('SELECT n FROM t')).toEqual([{ n: 1 }]); // committed, visible to another connection
    await other.close();
    expect(flag.settled).toBe(false);
    gate.open();
    await writing;
  });

  it('a read that could see an unflushed commit is answered after that flush too', async () => {
    const gate = probe.hold();
    const writing = db.run('INSERT INTO t VALUES (1)');
    await gate.started;
    const reading = db.query('SELECT n FROM t');
    const flag = settledFlag(reading);
    const other = new SqliteDatabase(dir);
    await other.query('SELECT 1');
    await other.close();
    expect(flag.settled).toBe(false);
    gate.open();
    expect(await reading).toEqual([{ n: 1 }]);
    await writing;
  });

  it('commits made while a flush runs share the next flush (group commit); reads alone flush nothing', async () => {
    const before = probe.flushes;
    await db.query('SELECT n FROM t');
    expect(probe.flushes).toBe(before);

    const gate = probe.hold();
    const first = db.run('INSERT INTO t VALUES (0)');
    await gate.started;
    const more = Array.from({ length: 5 }, (_, i) => db.run('INSERT INTO t VALUES ($1)', [i + 1]));
    // Every write commits while the first flush is held (none of them answered yet).
    const other = new SqliteDatabase(dir);
    while ((await other.query<{ n: number }>('SELECT COUNT(*) AS n FROM t'))[0].n < 6) await new Promise(setImmediate);
    await other.close();
    expect(probe.flushes - before).toBe(1);
    gate.open();
    await Promise.all([first, ...more]);
    expect(probe.flushes - before).toBe(2);
  });

  it('a failed flush answers 503 (DatabaseUnavailableError) to the write and to every later call; a restarted connection works', async () => {
    probe.failing = true;
    const failed = db.run('INSERT INTO t VALUES (1)');
    await expect(failed).rejects.toBeInstanceOf(DatabaseUnavailableError);
    await expect(failed).rejects.toMatchObject({ status: 503 });
    await expect(db.query('SELECT n FROM t')).rejects.toBeInstanceOf(DatabaseUnavailableError);
    await expect(db.ping()).rejects.toBeInstanceOf(DatabaseUnavailableError);
    await expect(db.transaction((tx) => tx.run('INSERT INTO t VALUES (2)'))).rejects.toBeInstanceOf(DatabaseUnavailableError);
    await db.close();

    const restarted = new SqliteDatabase(dir);
    await restarted.run('INSERT INTO t VALUES (3)');
    expect((await restarted.query<{ n: number }>('SELECT n FROM t ORDER BY n')).map((row) => row.n)).toEqual([1, 3]);
    await restarted.close();
  });

  it('keeps flushing the file SQLite writes after a checkpoint truncates the -wal file and it restarts', async () => {
    await db.run('INSERT INTO t VALUES (1)');
    const walPath = join(dir, 'auth.sqlite-wal');
    await db.query('PRAGMA wal_checkpoint(TRUNCATE)');
    expect((await stat(walPath)).size).toBe(0);
    await db.run('INSERT INTO t VALUES (2)');
    const [ours, path] = await Promise.all([probe.handle!.stat(), stat(walPath)]);
    expect(ours.ino).toBe(path.ino);
    expect(ours.size).toBe(path.size);
    expect(ours.size).toBeGreaterThan(0);
  });
});
