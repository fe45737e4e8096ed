import { type DpopReplayStore, RedisDpopReplayStore } from '@app/jwt-auth';
import { Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { RedisClientType } from 'redis';
import { dpopReplayConfig } from '../config/dpop-replay.config.js';
import { RedisConnectionLog, secretsOf } from './redis-connection-log.js';

/** The Redis client of the DPoP replay records, or null when they are kept in memory (DPOP_REPLAY_REDIS_URL unset). */
export const DPOP_REPLAY_REDIS = Symbol('DPOP_REPLAY_REDIS');
/** The `dpop.replayStore` handed to JwtAuthModule, or null for its default (each instance's memory). */
export const DPOP_REPLAY_STORE = Symbol('DPOP_REPLAY_STORE');

const logger = new Logger('DpopReplay');

/**
 * One client for the service's life. `redis` is imported only when a URL is set. The start does not
 * wait for Redis: while it is away DPoP requests are refused 503 at once (`disableOfflineQueue`, no
 * command waits for a connection) and bearer requests are served; the client reconnects on its own.
 */
async function openRedis(config: ConfigType<typeof dpopReplayConfig>): Promise<RedisClientType | null> {
  if (config.redisUrl === undefined) {
    logger.log("DPoP replay records: in this instance's memory (a proof replayed to another instance is accepted there once; see DPOP_REPLAY_REDIS_URL)");
    return null;
  }
  const { createClient } = await import('redis');
  const client: RedisClientType = createClient({ url: config.redisUrl, disableOfflineQueue: true });
  const connection = new RedisConnectionLog(logger, secretsOf(config.redisUrl));
  client.on('error', (error: unknown) => connection.failed(error));
  client.on('ready', () => connection.ready());
  client.on('terminated', () =>
    logger.error('Redis of the DPoP replay records: the client stopped reconnecting; DPoP requests are refused (503) until a restart'),
  );
  logger.log(`DPoP replay records: shared in Redis under the key prefix ${config.keyPrefix}`);
  // Every failure of the first connection, and of each retry, is an 'error' event (logged above); the
  // promise rejects only once the client stops for good ('terminated', or closed at shutdown).
  client.connect().catch(() => undefined);
  return client;
}

@Module({
  providers: [
    { provide: DPOP_REPLAY_REDIS, inject: [dpopReplayConfig.KEY], useFactory: openRedis },
    {
      provide: DPOP_REPLAY_STORE,
      inject: [DPOP_REPLAY_REDIS, dpopReplayConfig.KEY],
      useFactory: (client: RedisClientType | null, config: ConfigType<typeof dpopReplayConfig>): DpopReplayStore | null =>
        client === null ? null : new RedisDpopReplayStore(client, { keyPrefix: config.keyPrefix }),
    },
  ],
  exports: [DPOP_REPLAY_REDIS, DPOP_REPLAY_STORE],
})
export class DpopReplayModule implements OnApplicationShutdown {
  constructor(@Inject(DPOP_REPLAY_REDIS) private readonly client: RedisClientType | null) {}

  /** After the HTTP server has drained (Nest's last hook), so requests still running could claim their proofs. */
  onApplicationShutdown(): void {
    this.client?.destroy();
  }
}
