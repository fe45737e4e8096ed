import { defineNamespace, integer, isProduction, oneOf, setting } from '@app/config';
import type { JwsAlgorithm } from '@app/contracts';
import { type ManagedKeysConfig, readManagedKeys } from './managed-keys.config.js';
import { tokensConfig } from './tokens.config.js';

/** Where the signing keys come from and how the key set is published (`keys` namespace). */
export interface KeysConfig {
  source: 'pem' | 'managed';
  dir: string;
  algorithm: JwsAlgorithm;
  rsaBits: number;
  production: boolean;
  /** Max-age of the JWKS HTTP answer, seconds. */
  jwksMaxAgeSeconds: number;
  /** `managed` only: the rotation schedule (docs/key-rotation.md). */
  managed: ManagedKeysConfig;
}

const JWKS_MAX_AGE_SECONDS = 300;

export const keysConfig = defineNamespace('keys', (env): KeysConfig => {
  const tokens = tokensConfig(env);
  const source = oneOf(env, 'KEYS_SOURCE', ['pem', 'managed'] as const, 'pem');
  const rsaBits = integer(env, 'KEY_RSA_BITS', { fallback: 2048, min: 2048, max: 8192 });
  const managed = readManagedKeys(env, tokens, rsaBits);
  return {
    source,
    dir: setting(env, 'KEYS_DIR') ?? './keys',
    algorithm: tokens.algorithm,
    rsaBits,
    production: isProduction(env),
    // A JWKS answer is never cached longer than a new key waits before it signs (invariant 1).
    jwksMaxAgeSeconds: source === 'managed' ? Math.min(JWKS_MAX_AGE_SECONDS, Math.floor(managed.activationDelayMs / 1000)) : JWKS_MAX_AGE_SECONDS,
    managed,
  };
});
