import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { DpopReplayStoreUnavailableError } from './dpop.errors.js';
import { RedisDpopReplayStore } from './redis-dpop-replay-store.js';

/** The shared Redis of the machine (127.0.0.1:6379); every key of this run under its own prefix, deleted after. */
const REDIS_URL = 'redis://127.0.0.1:6379';

describe('RedisDpopReplayStore against a real Redis', () => {
  const client = createClient({ url: REDIS_URL });
  const prefix = `test:dpop:${randomUUID()}:`;
  let store: RedisDpopReplayStore;

  beforeAll(async () => {
    await client.connect();
    store = new RedisDpopReplayStore(client, { keyPrefix: prefix });
  });
  afterAll(async () => {
    const keys = await client.keys(`${prefix}*`);
    if (keys.length > 0) await client.del(keys);
    client.destroy();
  });

  it('answers true for a new key, then false while the record lives; the record sits under the prefix with its expiry', async () => {
    const expiresAt = Date.now() + 60_000;
    expect(await store.claim('k1', expiresAt)).toBe(true);
    expect(await store.claim('k1', expiresAt)).toBe(false);
    expect(await store.claim('k2', expiresAt)).toBe(true);
    expect(await client.pExpireTime(`${prefix}k1`)).toBe(expiresAt);
  });

  it('lets Redis drop the record at expiresAt (PXAT): the key can be claimed again after', async () => {
    expect(await store.claim('short', Date.now() + 150)).toBe(true);
    expect(await store.claim('short', Date.now() + 150)).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await store.claim('short', Date.now() + 60_000)).toBe(true);
  });

  it('of concurrent claims of one key, from two clients, exactly one is true', async () => {
    const other = createClient({ url: REDIS_URL });
    await other.connect();
    try {
      const second = new RedisDpopReplayStore(other, { keyPrefix: prefix });
      const expiresAt = Date.now() + 60_000;
      for (let round = 0; round < 20; round++) {
        const key = `race-${round}`;
        const answers = await Promise.all([
          store.claim(key, expiresAt),
          second.claim(key, expiresAt),
          store.claim(key, expiresAt),
          second.claim(key, expiresAt),
        ]);
        expect(answers.filter(Boolean)).toHaveLength(1);
      }
    } finally {
      other.destroy();
    }
  });

  it('keeps stores with different prefixes apart', async () => {
    const expiresAt = Date.now() + 60_000;
    const elsewhere = new RedisDpopReplayStore(client, { keyPrefix: `${prefix}other:` });
    expect(await store.claim('shared-name', expiresAt)).toBe(true);
    expect(await elsewhere.claim('shared-name', expiresAt)).toBe(true);
  });
});

describe('RedisDpopReplayStore when Redis cannot answer: fails closed', () => {
  async function refusal(claim: Promise<boolean>): Promise<DpopReplayStoreUnavailableError> {
    const error: unknown = await claim.then(
      (answer) => new Error(`claimed: ${answer}`),
      (rejected: unknown) => rejected,
    );
    expect(error).toBeInstanceOf(DpopReplayStoreUnavailableError);
    return error as DpopReplayStoreUnavailableError;
  }

  it('rejects with a 503 when the client was closed', async () => {
    const client = createClient({ url: REDIS_URL });
    await client.connect();
    client.destroy();

    const error = await refusal(new RedisDpopReplayStore(client).claim('k', Date.now() + 60_000));
    expect(error.status).toBe(503);
    expect(error.clientMessage).toBe('DPoP proofs cannot be checked right now; try again later');
    expect(error.reason).toMatch(/^DPoP replay store: \w*Error: /);
  });

  it('rejects within timeoutMs when Redis does not answer (a client still trying to reach a closed port)', async () => {
    const client = createClient({ url: 'redis://127.0.0.1:1', socket: { reconnectStrategy: 50, connectTimeout: 200 } });
    client.on('error', () => undefined);
    // Never connects: commands wait in the client's offline queue.
    const connecting = client.connect().catch(() => undefined);
    try {
      const started = Date.now();
      const error = await refusal(new RedisDpopReplayStore(client, { timeoutMs: 200 }).claim('k', Date.now() + 60_000));
      expect(Date.now() - started).toBeLessThan(2000);
      expect(error.reason).toBe('DPoP replay store: no answer from Redis within 200 ms');
    } finally {
      client.destroy();
      await connecting;
    }
  });

  it('rejects an answer that is neither OK nor null, rather than guess', async () => {
    const odd = { set: () => Promise.resolve('QUEUED') };
    expect((await refusal(new RedisDpopReplayStore(odd).claim('k', Date.now() + 60_000))).reason).toContain('neither OK nor null');
  });

  it('refuses a client without set() and a timeout that is not a positive number', () => {
    expect(() => new RedisDpopReplayStore({} as never)).toThrow(TypeError);
    expect(() => new RedisDpopReplayStore({ set: () => Promise.resolve(null) }, { timeoutMs: 0 })).toThrow(RangeError);
  });
});
