import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseUnavailableError } from './database.js';
import { isBusy, SqliteDatabase } from './sqlite.database.js';

describe('SqliteDatabase under lock contention', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sqlite-busy-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('a writer that cannot get the lock within the busy wait fails as unavailable (a 503), then works once it is free', async () => {
    const holder = new SqliteDatabase(dir);
    const waiter = new SqliteDatabase(dir, { busyWaitMs: 150 });
    await holder.run('CREATE TABLE t (n INTEGER)');
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const holding = holder.transaction(async (tx) => {
      await tx.run('INSERT INTO t VALUES (1)');
      locked();
      await held;
    });
    await isLocked;

    await expect(waiter.run('INSERT INTO t VALUES (2)')).rejects.toBeInstanceOf(DatabaseUnavailableError);
    await expect(waiter.transaction((tx) => tx.run('INSERT INTO t VALUES (3)'))).rejects.toBeInstanceOf(DatabaseUnavailableError);

    release();
    await holding;
    await waiter.run('INSERT INTO t VALUES (4)');
    expect(await waiter.query('SELECT n FROM t ORDER BY n')).toEqual([{ n: 1 }, { n: 4 }]);
    await Promise.all([holder.close(), waiter.close()]);
  });

  it('treats the extended busy and locked codes like the primary ones', () => {
    for (const code of ['SQLITE_BUSY', 'SQLITE_BUSY_RECOVERY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_BUSY_TIMEOUT', 'SQLITE_LOCKED', 'SQLITE_LOCKED_SHAREDCACHE']) {
      expect(isBusy(Object.assign(new Error('busy'), { code }))).toBe(true);
    }
    expect(isBusy(Object.assign(new Error('constraint'), { code: 'SQLITE_CONSTRAINT_UNIQUE' }))).toBe(false);
    expect(isBusy(Object.assign(new Error('other'), { code: 'SQLITE_BUSYNESS' }))).toBe(false);
  });

  it("a failing transaction rolls back and reports the statement's error, not a failed ROLLBACK", async () => {
    const db = new SqliteDatabase(dir);
    await db.run('CREATE TABLE u (n INTEGER PRIMARY KEY)');
    const failing = db.transaction(async (tx) => {
      await tx.run('INSERT INTO u VALUES (1)');
      await tx.run('INSERT INTO u VALUES (1)');
    });
    await expect(failing).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_PRIMARYKEY' });
    expect(await db.query('SELECT n FROM u')).toEqual([]);
    await db.close();
  });
});
