import BetterSqlite3 from 'better-sqlite3';
import { bindValues, positionalText, StatementCache } from './sqlite-statements.js';

describe('SQLite statements prepared once per connection', () => {
  let db: BetterSqlite3.Database;

  beforeEach(() => {
    db = new BetterSqlite3(':memory:');
    db.exec('CREATE TABLE t (a INTEGER, b TEXT)');
  });
  afterEach(() => db.close());

  it('rewrites $n to ? once per text, keeping which parameter each ? takes', () => {
    expect(positionalText('SELECT $2, $1, $2 WHERE x = $10')).toEqual({ text: 'SELECT ?, ?, ? WHERE x = ?', order: [1, 0, 1, 9] });
    expect(bindValues([1, 0, 1], ['a', true, 3])).toEqual([1, 'a', 1]);
    const { statement, order } = new StatementCache(db).get('SELECT $2 AS second, $1 AS first, $2 AS again');
    expect(statement.get(...bindValues(order, [1, 'two']))).toEqual({ second: 'two', first: 1, again: 'two' });
  });

  it('hands back the same prepared statement for the same text', () => {
    const cache = new StatementCache(db);
    const first = cache.get('INSERT INTO t (a, b) VALUES ($1, $2)');
    expect(cache.get('INSERT INTO t (a, b) VALUES ($1, $2)')).toBe(first);
    expect(cache.size).toBe(1);
  });

  it('is bounded: the least recently used text goes first', () => {
    const cache = new StatementCache(db, 2);
    const one = cache.get('SELECT 1');
    const two = cache.get('SELECT 2');
    expect(cache.get('SELECT 1')).toBe(one); // now the most recently used
    cache.get('SELECT 3');
    expect(cache.size).toBe(2);
    expect(cache.get('SELECT 1')).toBe(one);
    expect(cache.get('SELECT 2')).not.toBe(two); // evicted, prepared again
  });
});
