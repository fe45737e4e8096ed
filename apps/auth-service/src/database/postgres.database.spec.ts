import { describeError } from '@app/contracts';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/postgres.js';
import { DatabaseUnavailableError, UnstorableTextError } from './database.js';
import { mapError, PostgresDatabase } from './postgres.database.js';

describe('PostgreSQL error mapping', () => {
  it('maps text PostgreSQL cannot hold (22021, 22P05) to a 400 ERR_VALIDATION, invalid_request on /oauth/*', () => {
    for (const code of ['22021', '22P05']) {
      const mapped = mapError(Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code }));
      expect(mapped).toBeInstanceOf(UnstorableTextError);
      const answer = describeError(mapped);
      expect(answer).toMatchObject({ status: 400, code: 'ERR_VALIDATION', oauthError: 'invalid_request' });
      // The driver's message (which quotes the bytes) stays in the log line, never in the answer.
      expect(answer.message).not.toContain('0x00');
    }
  });

  it('still maps connection failures to 503 and leaves other errors as they came', () => {
    expect(mapError(Object.assign(new Error('terminating connection'), { code: '57P01' }))).toBeInstanceOf(DatabaseUnavailableError);
    const other = Object.assign(new Error('duplicate key'), { code: '23505' });
    expect(mapError(other)).toBe(other);
  });

  describe('on a real server', () => {
    let pg: TestDatabase;
    let db: PostgresDatabase;
    beforeAll(async () => {
      pg = await createTestDatabase();
      db = new PostgresDatabase(pg.url);
    });
    afterAll(async () => {
      await db.close();
      await pg.drop();
    });

    it('a NUL byte in a parameter is an UnstorableTextError, in and out of a transaction', async () => {
      await expect(db.query('SELECT $1::text AS t', ['a\u0000b'])).rejects.toBeInstanceOf(UnstorableTextError);
      await expect(db.run('SELECT $1::text', ['a\u0000b'])).rejects.toBeInstanceOf(UnstorableTextError);
      await expect(db.transaction((tx) => tx.query('SELECT $1::text', ['\u0000']))).rejects.toBeInstanceOf(UnstorableTextError);
      // The pool is still usable afterwards.
      expect(await db.query<{ t: string }>('SELECT $1::text AS t', ['ab'])).toEqual([{ t: 'ab' }]);
    });
  });
});
