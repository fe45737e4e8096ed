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

/** argon2's PHC string up to the salt: `$argon2id$v=19$m=7168,p=1,t=5`. */
const PARAMETERS = /^\$(argon2id|argon2i|argon2d)\$v=(\d+)\$((?:[mtp]=\d+,?){3})$/;
const TYPES = { argon2d: argon2.argon2d, argon2i: argon2.argon2i, argon2id: argon2.argon2id } as const;

/** The parameter set of a hash: its PHC prefix up to the salt (`$argon2id$v=19$m=7168,p=1,t=5`); what it costs to verify. */
export function hashParameters(hash: string): string {
  return hash.split('$').slice(0, 4).join('$');
}

/** argon2 options that make hashes of the parameter set `parameters`; undefined when it is not one argon2 made. */
export function optionsOfParameters(parameters: string): argon2.HashOptions | undefined {
  const match = PARAMETERS.exec(parameters);
  if (!match) return undefined;
  const values = Object.fromEntries(match[3].split(',').map((pair) => pair.split('=') as [string, string]));
  const [memoryCost, timeCost, parallelism] = [values.m, values.t, values.p].map(Number);
  // Bounds argon2 itself accepts; a set beyond them (a corrupt row) is not worth a dummy of its own.
  if (!(memoryCost >= 8 * parallelism && memoryCost <= 4_194_304 && timeCost >= 1 && timeCost <= 64 && parallelism >= 1 && parallelism <= 16)) return undefined;
  return { type: TYPES[match[1] as keyof typeof TYPES], version: Number(match[2]), memoryCost, timeCost, parallelism };
}

@Injectable()
export class PasswordHasher {
  /** At most `PASSWORD_HASH_CONCURRENCY` argon2 computations at once; the others wait in order. */
  private readonly slots: pLimit.Limit;

  constructor(@Inject(passwordsConfig.KEY) config: ConfigType<typeof passwordsConfig>) {
    this.slots = pLimit(config.hashConcurrency);
  }

  hash(password: string): Promise<string> {
    return this.slots(() => argon2.hash(normalizePassword(password), PASSWORD_HASH_OPTIONS));
  }

  /**
   * A hash of a random password made with `options` (today's by default): what an unknown user is
   * verified against (DummyHashes), so that the failure costs the argon2 work a real account's does.
   */
  dummyHash(options: argon2.HashOptions = PASSWORD_HASH_OPTIONS): Promise<string> {
    return this.slots(() => argon2.hash(randomBytes(32), options));
  }

  async verify(hash: string, password: string): Promise<boolean> {
    try {
      return await this.slots(() => this.check(hash, normalizePassword(password)));
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
