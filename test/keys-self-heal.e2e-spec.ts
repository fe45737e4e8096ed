import request from 'supertest';
import { startAuth, type RunningAuth } from './support/auth-app.js';
import { login, managedStore, ManualClock, MINUTE } from './support/stack.js';
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

describe('managed keys: a request that finds no signing key makes the store read the table', () => {
  let clock: ManualClock;
  let auth: RunningAuth;

  beforeEach(async () => {
    clock = new ManualClock();
    auth = await startAuth(MANAGED, { clock });
  });
  afterEach(() => auth.close());

  it('answers 503, then signs again without waiting for the next timed sync', async () => {
    await login(auth);
    clock.advance(61 * MINUTE); // past the key's interval and no sync ran: the store has no key that signs now

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
