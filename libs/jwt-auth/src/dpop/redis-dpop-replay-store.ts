import type { DpopReplayStore } from './dpop-replay-store.js';
import { DpopReplayStoreUnavailableError } from './dpop.errors.js';

/**
 * The one command `RedisDpopReplayStore` sends, `SET key value PXAT ms NX`, in the options shape of
 * the `redis` package (node-redis) v5 and later: its client fits as it is. It answers `'OK'` when the
 * key was set and `null` when it existed. The package imports no Redis client; ioredis fits through
 * `{ set: (key, value, { expiration }) => ioredis.set(key, value, 'PXAT', expiration.value, 'NX') }`.
 */
export interface RedisSetCommand {
  set(key: string, value: string, options: { expiration: { type: 'PXAT'; value: number }; condition: 'NX' }): Promise<unknown>;
}

export interface RedisDpopReplayStoreOptions {
  /** Put before every record's key (a digest of the proof key's thumbprint and the `jti`); default `dpop:jti:`. */
  keyPrefix?: string;
  /** How long a claim may wait for Redis before the proof is refused, milliseconds; default 1000. */
  timeoutMs?: number;
}

export const DEFAULT_REDIS_DPOP_KEY_PREFIX = 'dpop:jti:';
const DEFAULT_TIMEOUT_MS = 1000;

/**
 * `jti` records shared by every instance through Redis (docs/dpop.md "Replay"): one `SET key 1 PXAT
 * expiresAt NX` per accepted proof, which Redis runs atomically, so of two claims of one key on any
 * instances exactly one is true; Redis drops the record at `expiresAt` (its own clock, Redis 6.2 or
 * later). Fails closed: an error of the client, an answer other than `'OK'` or `null`, or no answer
 * within `timeoutMs` rejects with DpopReplayStoreUnavailableError (503), never a fresh `true`.
 */
export class RedisDpopReplayStore implements DpopReplayStore {
  private readonly keyPrefix: string;
  private readonly timeoutMs: number;

  constructor(
    private readonly client: RedisSetCommand,
    options: RedisDpopReplayStoreOptions = {},
  ) {
    if (typeof client?.set !== 'function') throw new TypeError('RedisDpopReplayStore needs a client with a set(key, value, options) method');
    this.keyPrefix = options.keyPrefix ?? DEFAULT_REDIS_DPOP_KEY_PREFIX;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (typeof this.keyPrefix !== 'string') throw new TypeError('RedisDpopReplayStore keyPrefix must be a string');
    if (!(this.timeoutMs > 0 && Number.isFinite(this.timeoutMs)))
      throw new RangeError('RedisDpopReplayStore timeoutMs must be a positive number of milliseconds');
  }

  async claim(key: string, expiresAt: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new DpopReplayStoreUnavailableError(`no answer from Redis within ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    let reply: unknown;
    try {
      const options = { expiration: { type: 'PXAT', value: Math.ceil(expiresAt) }, condition: 'NX' } as const;
      reply = await Promise.race([this.client.set(this.keyPrefix + key, '1', options), late]);
    } catch (error: unknown) {
      throw error instanceof DpopReplayStoreUnavailableError ? error : new DpopReplayStoreUnavailableError(failureOf(error));
    } finally {
      clearTimeout(timer);
    }
    if (reply === 'OK') return true;
    if (reply === null) return false;
    throw new DpopReplayStoreUnavailableError('Redis answered SET … NX with neither OK nor null');
  }
}

/** The client's failure for the warn log (never the answer): its class and message, e.g. `Error: connect ECONNREFUSED 127.0.0.1:6379`. */
function failureOf(error: unknown): string {
  if (!(error instanceof Error)) return 'the Redis client failed';
  return `${error.name}: ${error.message}`.slice(0, 300);
}
