import { ConfigValidationError, DAY_MS, duration, type Environment, MINUTE_MS, SECOND_MS, setting } from '@app/config';
import type { TokensConfig } from './tokens.config.js';

/** `KEYS_SOURCE=managed`: the rotation schedule (docs/key-rotation.md). */
export interface ManagedKeysConfig {
  rotationIntervalMs: number;
  activationDelayMs: number;
  retentionMs: number;
  /** How often each replica re-reads the shared key table and runs due rotations. */
  syncIntervalMs: number;
  /** Set: one encrypted key set for the cluster. Unset: each replica keeps its own keys in memory. */
  encryptionSecret?: string;
}

/** Shortest secret accepted for KEYS_ENCRYPTION_SECRET: 32 characters, e.g. `openssl rand -base64 32`. */
export const MIN_ENCRYPTION_SECRET_LENGTH = 32;

/** Shortest KEY_ACTIVATION_DELAY: time to write the next key and for every replica to read it. */
export const MIN_ACTIVATION_DELAY_MS = SECOND_MS;

/**
 * The rotation schedule, refused at start when it would break an invariant of docs/key-rotation.md:
 * a key must be published KEY_ACTIVATION_DELAY before it signs, so the delay is shorter than the
 * interval; and it must stay published ACCESS_TOKEN_TTL + CLOCK_TOLERANCE after its last signature,
 * so KEY_RETENTION (counted from activation) covers the signing interval plus that.
 */
export function readManagedKeys(env: Environment, tokens: TokensConfig, rsaBits: number): ManagedKeysConfig {
  const rotationIntervalMs = duration(env, 'KEY_ROTATION_INTERVAL', { fallback: '7d', min: SECOND_MS, max: 365 * DAY_MS });
  const activationDelayMs = duration(env, 'KEY_ACTIVATION_DELAY', { fallback: '10m', min: 0, max: 30 * DAY_MS });
  const retentionMs = duration(env, 'KEY_RETENTION', { fallback: '28d', min: SECOND_MS, max: 3 * 365 * DAY_MS });
  const syncIntervalMs = duration(env, 'KEY_SYNC_INTERVAL', { fallback: '10s', min: 100, max: 10 * MINUTE_MS });
  const written = (name: string, fallback: string) => setting(env, name) ?? fallback;
  if (activationDelayMs >= rotationIntervalMs) {
    throw new ConfigValidationError(
      'KEY_ACTIVATION_DELAY',
      `must be shorter than KEY_ROTATION_INTERVAL (${written('KEY_ACTIVATION_DELAY', '10m')} >= ${written('KEY_ROTATION_INTERVAL', '7d')}): the next key would be published before the current one starts signing`,
    );
  }
  // docs/key-rotation.md "The guarantee": the successor is written and read by every replica within the delay.
  if (activationDelayMs < MIN_ACTIVATION_DELAY_MS) {
    throw new ConfigValidationError(
      'KEY_ACTIVATION_DELAY',
      `must be at least ${MIN_ACTIVATION_DELAY_MS / 1000}s (got ${written('KEY_ACTIVATION_DELAY', '10m')}): the next key must be written and read by every replica before the current one stops signing`,
    );
  }
  // Every configuration rotates an RSA key: the signing key (RS*, PS*) or the RS256 ID-token key beside it.
  if (rsaBits > 4096 && rotationIntervalMs < MINUTE_MS) {
    throw new ConfigValidationError(
      'KEY_ROTATION_INTERVAL',
      `must be at least 1m with KEY_RSA_BITS=${rsaBits}: generating the next key can take longer than the interval`,
    );
  }
  const needed = rotationIntervalMs + tokens.accessTokenTtlMs + tokens.clockToleranceMs;
  if (retentionMs < needed) {
    throw new ConfigValidationError(
      'KEY_RETENTION',
      `must be at least KEY_ROTATION_INTERVAL + ACCESS_TOKEN_TTL + CLOCK_TOLERANCE (${needed / 1000}s), got ${retentionMs / 1000}s: ` +
        'a key would leave the JWKS while tokens it signed are still valid',
    );
  }
  return { rotationIntervalMs, activationDelayMs, retentionMs, syncIntervalMs, encryptionSecret: encryptionSecret(env) };
}

/** Read as given, blanks included (only empty means unset): trimming would change the sealing key. The refusal never repeats it. */
function encryptionSecret(env: Environment): string | undefined {
  const secret = env.KEYS_ENCRYPTION_SECRET;
  if (secret === undefined || secret === '') return undefined;
  if (secret.length < MIN_ENCRYPTION_SECRET_LENGTH) {
    throw new ConfigValidationError(
      'KEYS_ENCRYPTION_SECRET',
      `must be at least ${MIN_ENCRYPTION_SECRET_LENGTH} characters of random data (openssl rand -base64 32)`,
    );
  }
  return secret;
}
