import { createTestDatabase, type TestDatabase } from '../support/postgres.js';
import { BUILT, ServiceProcess, sleep } from '../support/service-process.js';
import { BOUND_MS, POLL_MS, RevocationClient, resourceEnvFor, spread } from './support/revocation.js';

const RUNS = 10;

/**
 * Two auth-service replicas on one PostgreSQL database sharing a managed key set, and a built
 * resource-service that reads its JWKS and the revocation feed from replica B only: a logout made at
 * replica A is enforced within REVOCATION_POLL_INTERVAL + 1 s (the database is the feed's truth,
 * docs/revocation.md), and a restarted resource-service reads the feed before it answers anything.
 */
describe('revocation across two auth replicas on PostgreSQL', () => {
  let database: TestDatabase;
  let a: ServiceProcess;
  let b: ServiceProcess;
  let resource: ServiceProcess;
  const delays: number[] = [];
  const client = new RevocationClient(
    () => a,
    () => resource,
  );

  beforeAll(async () => {
    database = await createTestDatabase();
    const env = {
      DATABASE_URL: database.url,
      KEYS_SOURCE: 'managed',
      KEYS_ENCRYPTION_SECRET: 'revocation-replicas-only-secret-0123456789abcdef',
      LOGIN_MAX_FAILURES: '1000',
      LOGIN_ADDRESS_MAX_FAILURES: '100000',
    };
    a = await ServiceProcess.start(BUILT.auth, env);
    b = await ServiceProcess.start(BUILT.auth, env);
    resource = await ServiceProcess.start(BUILT.resource, resourceEnvFor(b));
  }, 60_000);
  afterAll(async () => {
    await resource?.stop();
    await Promise.all([a?.stop(), b?.stop()]);
    await database?.drop();
    if (delays.length > 0) process.stderr.write(`revocation across replicas (logout at A, feed read at B, poll ${POLL_MS} ms): ${spread(delays)}\n`);
  });

  it(`a logout at replica A is refused by a resource-service polling replica B within the poll interval + 1 s (${RUNS} runs); another session is not`, async () => {
    for (let i = 0; i < RUNS; i++) {
      const [mine, other] = [await client.login(), await client.login()];
      expect(await client.status(mine.access)).toBe(200);
      await sleep(Math.random() * POLL_MS);
      await client.logout(mine);
      const delay = await client.refusedAfter(mine.access);
      delays.push(delay ?? Number.POSITIVE_INFINITY);
      expect(delay).toBeLessThanOrEqual(BOUND_MS);
      expect(await client.status(other.access)).toBe(200);
    }
  }, 90_000);

  it('a restarted resource-service reads the feed before it is ready: its very first answer to a revoked token is 401', async () => {
    const [revoked, kept] = [await client.login(), await client.login()];
    await client.logout(revoked);
    expect(await client.refusedAfter(revoked.access)).toBeLessThanOrEqual(BOUND_MS);

    await resource.stop();
    resource = await ServiceProcess.start(BUILT.resource, resourceEnvFor(b));
    expect(await client.status(revoked.access)).toBe(401);
    expect((await fetch(`${resource.url}/health/ready`)).status).toBe(200);
    expect(await client.status(kept.access)).toBe(200);
  }, 60_000);
});
