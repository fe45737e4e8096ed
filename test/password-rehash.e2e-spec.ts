import argon2 from 'argon2';
import { join } from 'node:path';
import request from 'supertest';
import { systemClock } from '../apps/auth-service/src/time/clock.js';
import { openDatabase } from '../apps/auth-service/src/database/database.module.js';
import type { Database } from '../apps/auth-service/src/database/database.js';
import { DummyHashes } from '../apps/auth-service/src/users/dummy-hashes.js';
import { startAuth, type RunningAuth } from './support/auth-app.js';
import { createTestDatabase, type TestDatabase } from './support/postgres.js';

/** The parameters of earlier versions (OWASP's 19 MiB row): users created then still log in, and get today's. */
const EARLIER = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;
const TODAY = /^\$argon2id\$v=19\$m=7168,p=1,t=5\$/;
const EARLIER_SET = '$argon2id$v=19$m=19456,p=1,t=2';
const TODAY_SET = '$argon2id$v=19$m=7168,p=1,t=5';

/** Waits until an unknown username would be verified against a dummy of `parameters` (the table is read in the background). */
async function expectUnknownUsersVerifiedWith(auth: RunningAuth, parameters: string): Promise<void> {
  const dummies = auth.app.get(DummyHashes);
  for (let i = 0; i < 200 && (await dummies.setFor('nobody')).parameters !== parameters; i += 1) await new Promise((r) => setTimeout(r, 10));
  expect((await dummies.setFor('nobody')).parameters).toBe(parameters);
}

async function storedHash(db: Database): Promise<string> {
  const [row] = await db.query<{ password_hash: string }>('SELECT password_hash FROM users WHERE username = $1', ['testuser']);
  return row!.password_hash;
}

async function expectUpgradeOnLogin(auth: RunningAuth, db: Database): Promise<void> {
  const earlier = await argon2.hash('password', EARLIER);
  await db.run('UPDATE users SET password_hash = $1 WHERE username = $2', [earlier, 'testuser']);
  const login = (password: string) => request(auth.url).post('/auth/login').send({ username: 'testuser', password });
  // The parameter sets are read from this driver's SQL: an unknown user now costs the earlier set's work.
  await auth.app.get(DummyHashes).refresh();
  await expectUnknownUsersVerifiedWith(auth, EARLIER_SET);

  await login('wrong-password').expect(401);
  expect(await storedHash(db)).toBe(earlier);

  await login('password').expect(200);
  const upgraded = await storedHash(db);
  expect(upgraded).toMatch(TODAY);
  expect(await argon2.verify(upgraded, 'password')).toBe(true);

  await login('password').expect(200);
  expect(await storedHash(db)).toBe(upgraded);
  // The rehash moved the only user to today's set, and the unknown-user path follows.
  await expectUnknownUsersVerifiedWith(auth, TODAY_SET);
}

describe('password hashes of earlier parameters (docs/security-model.md, "Password storage")', () => {
  it('verify and are replaced by one of today after a good login (SQLite)', async () => {
    const auth = await startAuth({ DEMO_USER: 'testuser:password' });
    const db = await openDatabase({ url: undefined, dataDir: join(auth.dir, 'data') }, systemClock);
    try {
      await expectUpgradeOnLogin(auth, db);
    } finally {
      await db.close();
      await auth.close();
    }
  });

  describe('on PostgreSQL', () => {
    let pg: TestDatabase;
    beforeAll(async () => {
      pg = await createTestDatabase();
    });
    afterAll(() => pg.drop());

    it('verify and are replaced by one of today after a good login', async () => {
      const auth = await startAuth({ DEMO_USER: 'testuser:password', DATABASE_URL: pg.url });
      const db = await openDatabase({ url: pg.url, dataDir: 'unused' }, systemClock);
      try {
        await expectUpgradeOnLogin(auth, db);
      } finally {
        await db.close();
        await auth.close();
      }
    });
  });
});
