import { defineNamespace, integer } from '@app/config';

/** How passwords are hashed (`passwords` namespace; docs/security-model.md, "Password storage"). */
export interface PasswordsConfig {
  /**
   * `PASSWORD_HASH_CONCURRENCY`: argon2id hashes (logins, registrations) run at once; the others
   * wait their turn. Each holds 7 MiB and a libuv pool thread for ~40 ms, so this bounds the memory
   * and CPU a login flood takes and leaves the pool's other threads to signing, files and DNS.
   */
  hashConcurrency: number;
}

export const passwordsConfig = defineNamespace('passwords', (env): PasswordsConfig => ({
  hashConcurrency: integer(env, 'PASSWORD_HASH_CONCURRENCY', { fallback: 2, min: 1, max: 64 }),
}));
