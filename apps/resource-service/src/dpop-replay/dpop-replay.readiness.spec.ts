import { createClient, type RedisClientType } from 'redis';
import { dpopReplayReadiness } from './dpop-replay.readiness.js';

/** Clients as the service makes them (offline queue off), against the machine's Redis or a port nobody listens on. */
describe('dpopReplayReadiness', () => {
  const clients: RedisClientType[] = [];
  function client(url: string): RedisClientType {
    const made: RedisClientType = createClient({ url, disableOfflineQueue: true });
    made.on('error', () => undefined); // refused connections: the service's connection log handles them
    made.connect().catch(() => undefined);
    clients.push(made);
    return made;
  }
  afterAll(() => {
    for (const made of clients) made.destroy();
  });

  it('checks nothing without DPOP_REQUIRED (bearer requests need no Redis) or without a Redis', () => {
    expect(dpopReplayReadiness(client('redis://127.0.0.2:1'), false)).toEqual([]);
    expect(dpopReplayReadiness(null, true)).toEqual([]);
  });

  it('with DPOP_REQUIRED: up while Redis answers PING, down at once when it refuses connections', async () => {
    const up = client('redis://127.0.0.1:6379');
    await new Promise((resolve) => up.once('ready', resolve));
    const [check] = dpopReplayReadiness(up, true);
    expect(check.name).toBe('dpop_replay_store');
    await expect(check.probe()).resolves.toEqual({});

    const [down] = dpopReplayReadiness(client('redis://127.0.0.2:1'), true);
    const started = Date.now();
    await expect(down.probe()).rejects.toThrow('The client is offline');
    expect(Date.now() - started).toBeLessThan(500);
  });
});
