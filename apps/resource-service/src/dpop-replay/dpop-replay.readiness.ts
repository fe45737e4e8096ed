import type { ReadinessCheck } from '@app/observability';
import type { RedisClientType } from 'redis';

/** How long readiness waits for Redis's PONG. */
export const REDIS_READINESS_TIMEOUT_MS = 1_000;

/**
 * Readiness of a service that cannot answer anything without Redis: with DPOP_REQUIRED every request
 * carries a proof, and every proof needs a record. Otherwise none: bearer requests are served whatever
 * Redis does, and a dependency shared by every replica taking them all out of the load balancer at
 * once would turn the DPoP 503s into a full outage (docs/dpop.md "Replay").
 */
export function dpopReplayReadiness(client: RedisClientType | null, dpopRequired: boolean): ReadinessCheck[] {
  if (client === null || !dpopRequired) return [];
  return [{ name: 'dpop_replay_store', probe: async () => (await pong(client), {}), down: 'Redis of the DPoP replay records does not answer (DPOP_REQUIRED)' }];
}

async function pong(client: RedisClientType): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no PONG within ${REDIS_READINESS_TIMEOUT_MS} ms`)), REDIS_READINESS_TIMEOUT_MS);
  });
  try {
    await Promise.race([client.ping(), late]);
  } finally {
    clearTimeout(timer);
  }
}
