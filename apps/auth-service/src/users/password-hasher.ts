import { normalizePassword } from '@app/contracts';
import { Injectable } from '@nestjs/common';
import argon2 from 'argon2';
import { randomBytes } from 'node:crypto';

/**
 * argon2id with the OWASP-recommended floor (19 MiB, 2 passes, 1 lane): memory-hard, so a GPU farm
 * gains far less than against scrypt/bcrypt at equal time, and the one Node binding ships prebuilt.
 * Passwords are NFKC-normalised first, so the same visible password typed on two keyboards matches.
 */
const OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export { normalizePassword };

@Injectable()
export class PasswordHasher {
  /** A hash of a random password, verified against when the user does not exist, to equalise timing. */
  private readonly dummyHash = argon2.hash(randomBytes(32), OPTIONS);

  hash(password: string): Promise<string> {
    return argon2.hash(normalizePassword(password), OPTIONS);
  }

  async verify(hash: string | undefined, password: string): Promise<boolean> {
    const target = hash ?? (await this.dummyHash);
    try {
      const ok = await this.check(target, normalizePassword(password));
      return ok && hash !== undefined;
    } catch {
      // A corrupt stored hash is a failed login, never a 500.
      return false;
    }
  }

  /** The argon2 verification itself (a seam for the spec that proves every login pays for one). */
  protected check(hash: string, password: string): Promise<boolean> {
    return argon2.verify(hash, password);
  }
}
