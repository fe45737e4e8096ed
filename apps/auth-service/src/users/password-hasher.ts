import { normalizePassword } from '@app/contracts';
import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import argon2 from 'argon2';
import pLimit from 'p-limit';
import { randomBytes } from 'node:crypto';
import { passwordsConfig } from '../config/passwords.config.js';

/**
 * argon2id at the OWASP Password Storage Cheat Sheet's 7 MiB row (m=7168 KiB, t=5, p=1), which it
 * lists as equivalent in defence to its 19 MiB, 2-pass row: memory-hard, so a GPU farm gains far less
 * than against scrypt/bcrypt at equal time, and the one Node binding ships prebuilt. Of the rows it is
 * the one that costs this service least memory: glibc keeps each libuv thread's last argon2 buffer,
 * so a process holds up to one buffer per pool thread (4 x 7 MiB instead of 4 x 19 MiB), at no more
 * CPU per hash (docs/security-model.md, "Password storage"; docs/performance.md, "Memory").
 * Hashes made with other parameters (the 19 MiB ones of earlier versions) still verify: argon2 reads
 * them from the hash itself; `needsRehash` tells the caller to store a new one.
 * Passwords are NFKC-normalised first, so the same visible password typed on two keyboards matches.
 */
export const PASSWORD_HASH_OPTIONS = { type: argon2.argon2id, memoryCost: 7_168, timeCost: 5, parallelism: 1 } as const;

export { normalizePassword };

@Injectable()
export class PasswordHasher {
  /** At most `PASSWORD_HASH_CONCURRENCY` argon2 computations at once; the others wait in order. */
  private readonly slots: pLimit.Limit;
  /** A hash of a random password, verified against when the user does not exist, to equalise timing. */
  private readonly dummyHash: Promise<string>;

  constructor(@Inject(passwordsConfig.KEY) config: ConfigType<typeof passwordsConfig>) {
    this.slots = pLimit(config.hashConcurrency);
    this.dummyHash = this.slots(() => argon2.hash(randomBytes(32), PASSWORD_HASH_OPTIONS));
  }

  hash(password: string): Promise<string> {
    return this.slots(() => argon2.hash(normalizePassword(password), PASSWORD_HASH_OPTIONS));
  }

  async verify(hash: string | undefined, password: string): Promise<boolean> {
    const target = hash ?? (await this.dummyHash);
    try {
      const ok = await this.slots(() => this.check(target, normalizePassword(password)));
      return ok && hash !== undefined;
    } catch {
      // A corrupt stored hash is a failed login, never a 500.
      return false;
    }
  }

  /** Whether `hash`, one that just verified, was made with other parameters than today's, so a new one should be stored. */
  needsRehash(hash: string): boolean {
    return argon2.needsRehash(hash, PASSWORD_HASH_OPTIONS);
  }

  /** The argon2 verification itself (a seam for the spec that proves every login pays for one). */
  protected check(hash: string, password: string): Promise<boolean> {
    return argon2.verify(hash, password);
  }
}
