import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../support/postgres.js';
import { BUILT, ServiceProcess, sleep } from '../support/service-process.js';
import { BOUND_MS, RevocationClient, resourceEnvFor } from './support/revocation.js';

const ENTRIES = 100_000;
/** A generous bound on the verifier's growth for 100,000 entries (measured: see the figures printed). */
const MAX_RSS_GROWTH_MB = 200;

async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)![1]) / 1024;
}

/** Time and body size of one GET of the feed. */
async function poll(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ ms: number; bytes: number; status: number; body?: { cursor: string; entries: unknown[] } }> {
  const start = performance.now();
  const res = await fetch(url, { headers });
  const text = await res.text();
  const ms = performance.now() - start;
  return { ms, bytes: Buffer.byteLength(text), status: res.status, body: text ? (JSON.parse(text) as { cursor: string; entries: unknown[] }) : undefined };
}

const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)];

/**
 * 100,000 live revocations (one token lifetime at about 110 logouts/s, docs/revocation.md "Sizing"),
 * written straight into the feed's table behind a built auth-service on PostgreSQL, read by a built
 * resource-service: the full poll's size and time, an incremental poll's cost, the verifier's
 * resident memory before and after, and enforcement still right. Prints the figures; asserts only
 * bounds that cannot flake.
 */
describe('revocation feed at 100,000 live entries', () => {
  let dir: string;
  let database: TestDatabase;
  let auth: ServiceProcess;
  let resource: ServiceProcess;
  const client = new RevocationClient(
    () => auth,
    () => resource,
  );

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'revocation-scale-'));
    database = await createTestDatabase();
    auth = await ServiceProcess.start(BUILT.auth, { DATABASE_URL: database.url, KEYS_DIR: join(dir, 'keys'), DATA_DIR: join(dir, 'data') });
    resource = await ServiceProcess.start(BUILT.resource, resourceEnvFor(auth));
  }, 60_000);
  afterAll(async () => {
    await resource?.stop();
    await auth?.stop();
    await database?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it(`${ENTRIES.toLocaleString('en-US')} entries: bounded verifier memory, cheap incremental polls, enforcement intact`, async () => {
    const [revoked, kept] = [await client.login(), await client.login()];
    for (let i = 0; i < 50; i++) expect(await client.status(kept.access)).toBe(200);
    const rssBefore = await rssMb(resource.child.pid!);

    // Both time columns as the migration defines them: epoch milliseconds (BIGINT); live for 15 minutes.
    const db = new pg.Client({ connectionString: database.url });
    await db.connect();
    const insertStart = performance.now();
    await db.query(
      `INSERT INTO revocations (type, value, revoked_at, expires_at)
       SELECT 'sid', gen_random_uuid()::text, $1::bigint, $1::bigint + 900000 FROM generate_series(1, $2::int)`,
      [Date.now(), ENTRIES],
    );
    const insertMs = performance.now() - insertStart;
    await db.end();
    await sleep(300); // past the auth-service's 250 ms memo of the latest cursor

    const feedUrl = `${auth.url}/oauth/revocations`;
    const full = await poll(feedUrl);
    expect(full.status).toBe(200);
    expect(full.body!.entries.length).toBe(ENTRIES);

    // The logout comes after the bulk entries: once it is enforced, the verifier has read all of them.
    await client.logout(revoked);
    const propagation = await client.refusedAfter(revoked.access);
    expect(propagation).toBeLessThanOrEqual(BOUND_MS);
    expect(await client.status(kept.access)).toBe(200);
    const rssAfter = await rssMb(resource.child.pid!);

    // Incremental polls: one new entry each, and the 304 of a poll with nothing new.
    const incremental: Array<{ ms: number; bytes: number }> = [];
    let cursor = (await poll(`${feedUrl}?since=${full.body!.cursor}`)).body!.cursor; // past the logout above
    for (let i = 0; i < 10; i++) {
      await client.logout(await client.login());
      await sleep(300);
      const next = await poll(`${feedUrl}?since=${cursor}`);
      expect(next.status).toBe(200);
      expect(next.body!.entries).toHaveLength(1);
      incremental.push(next);
      cursor = next.body!.cursor;
    }
    const unchanged: Array<{ ms: number; status: number }> = [];
    for (let i = 0; i < 10; i++) unchanged.push(await poll(`${feedUrl}?since=${cursor}`, { 'if-none-match': `W/"${cursor}"` }));
    expect(unchanged.map((u) => u.status)).toEqual(Array(10).fill(304));

    // A resource-service started now reads the 100,000 entries before it listens.
    const restartStart = performance.now();
    const second = await ServiceProcess.start(BUILT.resource, resourceEnvFor(auth));
    const secondStartMs = performance.now() - restartStart;
    const secondStatus = (await fetch(`${second.url}/resource/protected`, { headers: { authorization: `Bearer ${revoked.access}` } })).status;
    const secondRss = await rssMb(second.child.pid!);
    await second.stop();
    expect(secondStatus).toBe(401);

    process.stderr.write(
      [
        `revocation feed at ${ENTRIES} live entries (PostgreSQL):`,
        `  bulk insert ${Math.round(insertMs)} ms`,
        `  full poll: ${(full.bytes / 2 ** 20).toFixed(1)} MB (${Math.round(full.bytes / ENTRIES)} B/entry) in ${Math.round(full.ms)} ms`,
        `  incremental poll (1 new entry): median ${median(incremental.map((p) => p.ms)).toFixed(1)} ms, ${incremental[0].bytes} B; 304 (nothing new): median ${median(unchanged.map((p) => p.ms)).toFixed(1)} ms`,
        `  logout after the bulk enforced in ${propagation} ms`,
        `  resource-service RSS ${rssBefore.toFixed(0)} MB -> ${rssAfter.toFixed(0)} MB (+${(rssAfter - rssBefore).toFixed(0)} MB)`,
        `  a resource-service started on the full feed: listening after ${Math.round(secondStartMs)} ms, RSS ${secondRss.toFixed(0)} MB, first answer to the revoked token ${secondStatus}`,
      ].join('\n') + '\n',
    );
    expect(rssAfter - rssBefore).toBeLessThan(MAX_RSS_GROWTH_MB);
  }, 120_000);
});
