import { ConfigValidationError, defineNamespace, redisUrl, setting } from '@app/config';
import { DEFAULT_REDIS_DPOP_KEY_PREFIX } from '@app/jwt-auth';

/** Where the verifier records the `jti` of every accepted DPoP proof (`dpopReplay` namespace; docs/dpop.md "Replay"). */
export interface DpopReplayConfig {
  /**
   * DPOP_REPLAY_REDIS_URL: one record shared by every instance, in this Redis. Undefined: in the
   * memory of each instance. May hold a password: never logged nor repeated in a message.
   */
  redisUrl: string | undefined;
  /** DPOP_REPLAY_REDIS_PREFIX: put before every record's key in Redis. */
  keyPrefix: string;
}

/** Printable ASCII without blanks: a prefix shows as typed in `redis-cli`, and a stray space is refused rather than kept. */
const KEY_PREFIX = /^[\x21-\x7e]{1,100}$/;

export const dpopReplayConfig = defineNamespace('dpopReplay', (env): DpopReplayConfig => {
  const url = redisUrl(env, 'DPOP_REPLAY_REDIS_URL');
  const prefix = setting(env, 'DPOP_REPLAY_REDIS_PREFIX');
  if (prefix !== undefined && !KEY_PREFIX.test(prefix)) {
    throw new ConfigValidationError('DPOP_REPLAY_REDIS_PREFIX', `must be 1 to 100 visible ASCII characters, no blanks (got "${prefix}")`);
  }
  if (prefix !== undefined && url === undefined) {
    throw new ConfigValidationError('DPOP_REPLAY_REDIS_PREFIX', 'is set but DPOP_REPLAY_REDIS_URL is not: records are kept in memory, under no prefix');
  }
  return { redisUrl: url, keyPrefix: prefix ?? DEFAULT_REDIS_DPOP_KEY_PREFIX };
});
