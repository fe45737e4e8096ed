import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The server the PostgreSQL suites use; CI and the dev machines run one on 127.0.0.1:5432. */
const ADMIN_URL = process.env.PG_TEST_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** Creates a fresh, uniquely named database for one suite; `drop` removes it (forcing out clients). */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `auth_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: ADMIN_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}
