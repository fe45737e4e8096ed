import request from 'supertest';
import { createTestDpopKey, type TestDpopKey } from '@app/jwt-auth/testing';
import { DATABASE, type Database } from '../apps/auth-service/src/database/database.js';
import { DpopReplayPruner } from '../apps/auth-service/src/dpop/dpop-replay.pruner.js';
import { startAuth, tempDir, type RunningAuth } from './support/auth-app.js';
import { claimsOf, registerClient, TEST_ISSUER } from './support/oauth.js';
import { createTestDatabase, type TestDatabase } from './support/postgres.js';
import { ManualClock, MINUTE } from './support/stack.js';

const HTU = `${TEST_ISSUER}/oauth/token`;

/** DPoP nonces and replay records across two auth-service replicas on one PostgreSQL (docs/dpop.md). */
describe('DPoP: replicas on PostgreSQL', () => {
  let db: TestDatabase;
  let dir: { dir: string; remove: () => Promise<void> };
  let a: RunningAuth;
  let b: RunningAuth;
  let key: TestDpopKey;
  let secret: string;
  const clock = new ManualClock();

  beforeAll(async () => {
    db = await createTestDatabase();
    dir = await tempDir();
    // Both at once: whichever creates the nonce secret first, the other reads it.
    [a, b] = await Promise.all([1, 2].map(() => startAuth({ DATABASE_URL: db.url }, { clock, dir: dir.dir })));
    secret = await registerClient(a, { id: 'svc', scopes: ['resource:read'] });
    key = await createTestDpopKey('ES256');
  });
  afterAll(async () => {
    await a.close();
    await b.close();
    await db.drop();
    await dir.remove();
  });

  const token = (replica: RunningAuth, proof: string) =>
    request(replica.url).post('/oauth/token').auth('svc', secret).set('DPoP', proof).type('form').send({ grant_type: 'client_credentials' });
  const iat = () => Math.floor(clock.now() / 1000);

  it("each replica accepts the other's nonce, in its step and the next, not after", async () => {
    const fromA = (await token(a, await key.proof('POST', HTU, { claims: { iat: iat() } })).expect(400)).headers['dpop-nonce'] as string;
    const fromB = (await token(b, await key.proof('POST', HTU, { claims: { iat: iat() } })).expect(400)).headers['dpop-nonce'] as string;
    expect(fromB).toBe(fromA);
    const ok = await token(b, await key.proof('POST', HTU, { nonce: fromA, claims: { iat: iat() } })).expect(200);
    expect(claimsOf(ok.body.access_token as string).cnf).toEqual({ jkt: key.jkt });
    clock.advance(MINUTE);
    await token(a, await key.proof('POST', HTU, { nonce: fromA, claims: { iat: iat() } })).expect(200);
    clock.advance(MINUTE);
    const stale = await token(b, await key.proof('POST', HTU, { nonce: fromA, claims: { iat: iat() } })).expect(400);
    expect(stale.body.error).toBe('use_dpop_nonce');
    expect(stale.headers['dpop-nonce']).not.toBe(fromA);
  });

  it('a proof used at one replica is refused at the other (the jti record is in the database), and pruned once stale', async () => {
    const nonce = (await token(a, await key.proof('POST', HTU, { claims: { iat: iat() } })).expect(400)).headers['dpop-nonce'] as string;
    const proof = await key.proof('POST', HTU, { nonce, claims: { iat: iat() } });
    await token(a, proof).expect(200);
    const replayed = await token(b, proof).expect(400);
    expect(replayed.body).toEqual({ error: 'invalid_dpop_proof', error_description: 'Invalid DPoP proof: the proof was used before ("jti")' });
    const rows = async () => Number((await a.app.get<Database>(DATABASE).query<{ n: string }>('SELECT COUNT(*) AS n FROM dpop_replays'))[0].n);
    expect(await rows()).toBeGreaterThan(0);
    clock.advance(2 * MINUTE);
    expect(await a.app.get(DpopReplayPruner).run()).toBeGreaterThan(0);
    expect(await rows()).toBe(0);
  });
});
