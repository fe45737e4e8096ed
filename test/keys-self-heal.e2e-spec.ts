import request from 'supertest';
import { startAuth, type RunningAuth } from './support/auth-app.js';
import { headerOf, login, managedStore, ManualClock, MINUTE } from './support/stack.js';
import { sleep } from './support/service-process.js';

/** The timed syncs are minutes of real time away on this clock: only a request can make the store read the table. */
const MANAGED = {
  KEYS_SOURCE: 'managed',
  KEY_ROTATION_INTERVAL: '1h',
  KEY_ACTIVATION_DELAY: '5m',
  KEY_RETENTION: '3h',
  ACCESS_TOKEN_TTL: '15m',
  KEY_SYNC_INTERVAL: '10m',
};

const loginStatus = async (auth: RunningAuth) => (await request(auth.url).post('/auth/login').send({ username: 'testuser', password: 'password' })).status;

describe('managed keys: a request that finds no key in its signing window makes the store read the table', () => {
  let clock: ManualClock;
  let auth: RunningAuth;

  beforeEach(async () => {
    clock = new ManualClock();
    auth = await startAuth(MANAGED, { clock });
  });
  afterEach(() => auth.close());

  it('keeps signing with the overdue key while its tokens still expire before it leaves the JWKS, and the read reschedules it', async () => {
    const first = headerOf(await login(auth)).kid;
    clock.advance(61 * MINUTE); // past the key's interval and no sync ran: the successor is late

    const token = await login(auth);
    expect(headerOf(token).kid).toBe(first);
    const store = managedStore(auth);
    // The read the request kicked wrote the late-rotation schedule: the key is in its window again, a successor pending.
    for (let tries = 0; tries < 40 && store.keys().length < 2; tries += 1) await sleep(50);
    const key = store.keys().find((k) => k.kid === first);
    expect(key?.deprecatesAt).toBeGreaterThan(clock.now());
    expect(store.keys().filter((k) => k.activatesAt > clock.now())).toHaveLength(1);
  });

  it('answers 503 once a token signed now would outlive the key in the JWKS, then signs again without waiting for the next timed sync', async () => {
    await login(auth);
    // 3h retention: at 2h50m a 15m token (+30s tolerance) would still be valid after the key leaves the JWKS.
    clock.advance(170 * MINUTE);

    const statuses: number[] = [];
    for (let tries = 0; tries < 40 && statuses.at(-1) !== 200; tries += 1) {
      statuses.push(await loginStatus(auth));
      await sleep(50);
    }
    expect(statuses[0]).toBe(503);
    expect(statuses.at(-1)).toBe(200);
    expect(statuses.filter((status) => status !== 200 && status !== 503)).toEqual([]);
    expect(managedStore(auth).signingKey()).toBeDefined();
  });
});

describe('managed keys with JWT_ALGORITHM=ES256: the ID-token key heals the same way', () => {
  it('an overdue ID-token key signs on while the read the request kicked reschedules both chains', async () => {
    const clock = new ManualClock();
    const auth = await startAuth({ ...MANAGED, JWT_ALGORITHM: 'ES256' }, { clock });
    try {
      const store = managedStore(auth);
      const [first, firstId] = [store.signingKey()!.kid, store.idTokenKey()!.kid];
      clock.advance(61 * MINUTE); // past both keys' intervals and no sync ran: both successors are late

      expect(store.idTokenKey()).toMatchObject({ kid: firstId, alg: 'RS256' });
      expect(headerOf(await login(auth)).kid).toBe(first);
      const pending = () => store.keys().filter((k) => k.activatesAt > clock.now());
      for (let tries = 0; tries < 40 && pending().length < 2; tries += 1) await sleep(50);
      expect(
        pending()
          .map((k) => [k.purpose, k.alg])
          .sort(),
      ).toEqual([
        ['access', 'ES256'],
        ['id_token', 'RS256'],
      ]);
      for (const kid of [first, firstId]) expect(store.keys().find((k) => k.kid === kid)?.deprecatesAt).toBeGreaterThan(clock.now());
    } finally {
      await auth.close();
    }
  });
});
