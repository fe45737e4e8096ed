import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '../support/postgres.js';
import { BUILT, ServiceProcess, sleep } from '../support/service-process.js';
import { RevocationClient, resourceEnvFor } from './support/revocation.js';

const REVOCATIONS = 10_000;
/** Requests in flight at once: a batch is sent together and awaited whole before the next. */
const BATCH = 100;

interface Feed {
  cursor: string;
  entries: Array<{ type: string; value: string }>;
}

/**
 * The feed flood of issue 21 on real processes: the built auth-service, one access token revoked
 * 10,000 times in concurrent batches at `/auth/revoke` and `/oauth/revoke` (RFC 7009 allows any
 * number of calls), on the embedded database and on PostgreSQL. The feed must hold exactly one
 * entry, its cursor and ETag unmoved since the first revocation, and a resource-service started on
 * it refuses the token. Prints the figures.
 */
describe.each(['sqlite', 'postgres'] as const)('revocation feed flood: one token revoked 10,000 times (%s)', (driver) => {
  let dir: string;
  let database: TestDatabase | undefined;
  let auth: ServiceProcess;
  let resource: ServiceProcess | undefined;
  const client = new RevocationClient(
    () => auth,
    () => resource!,
  );

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'revocation-flood-'));
    database = driver === 'postgres' ? await createTestDatabase() : undefined;
    auth = await ServiceProcess.start(BUILT.auth, {
      KEYS_DIR: join(dir, 'keys'),
      DATA_DIR: join(dir, 'data'),
      ...(database ? { DATABASE_URL: database.url } : {}),
    });
  }, 60_000);
  afterAll(async () => {
    await resource?.stop();
    await auth?.stop();
    await database?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  async function feed(): Promise<{ etag: string | null; bytes: number; body: Feed }> {
    await sleep(300); // past the 250 ms memo of the latest cursor
    const res = await fetch(`${auth.url}/oauth/revocations`);
    const text = await res.text();
    expect(res.status).toBe(200);
    return { etag: res.headers.get('etag'), bytes: Buffer.byteLength(text), body: JSON.parse(text) as Feed };
  }

  function revoke(i: number, token: string): Promise<Response> {
    return i % 2 === 0
      ? client.post('/auth/revoke', { token })
      : fetch(`${auth.url}/oauth/revoke`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ token, client_id: 'default' }),
        });
  }

  it('leaves exactly one entry, the cursor and ETag where the first revocation put them', async () => {
    const [target, bystander] = [await client.login(), await client.login()];
    const statuses = new Map<number, number>();
    const start = performance.now();
    let first: Awaited<ReturnType<typeof feed>> | undefined;
    for (let sent = 0; sent < REVOCATIONS; sent += BATCH) {
      const answers = await Promise.all(Array.from({ length: Math.min(BATCH, REVOCATIONS - sent) }, (_, i) => revoke(sent + i, target.access)));
      for (const res of answers) {
        await res.arrayBuffer();
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      }
      first ??= await feed();
    }
    const seconds = (performance.now() - start) / 1000;
    const after = await feed();

    expect(Object.fromEntries(statuses)).toEqual({ 200: REVOCATIONS });
    expect(after.body.entries).toHaveLength(1);
    expect(after.body.entries[0]).toMatchObject({ type: 'jti' });
    expect({ cursor: after.body.cursor, etag: after.etag }).toEqual({ cursor: first!.body.cursor, etag: first!.etag });

    // A verifier that starts now reads the feed whole and enforces it.
    resource = await ServiceProcess.start(BUILT.resource, resourceEnvFor(auth));
    expect(await client.status(target.access)).toBe(401);
    expect(await client.status(bystander.access)).toBe(200);

    process.stderr.write(
      `revocation flood (${driver}): ${REVOCATIONS} revocations of one token in ${seconds.toFixed(1)} s ` +
        `(${Math.round(REVOCATIONS / seconds)}/s, batches of ${BATCH}): the full feed holds ${after.body.entries.length} entry, ${after.bytes} bytes; cursor ${after.body.cursor} unchanged\n`,
    );
  }, 180_000);
});
