import { Logger } from '@nestjs/common';
import type { JwsAlgorithm } from '@app/contracts';
import { generateManagedKey, type SigningKey } from '../key-material.js';
import type { KeyCipher } from './key-cipher.js';

/** A generated key ready to be inserted: its signer, and in shared mode its private key already sealed. */
export interface PreparedKey {
  signingKey: SigningKey;
  sealed?: string;
}

/** Associated data bound to a sealed private key: it opens only on the row it was written for. */
export function sealingContext(kid: string, alg: string): string {
  return `${kid}.${alg}`;
}

/**
 * The next key of a managed store, generated in the background ahead of its rotation (an RSA key takes
 * up to seconds), so the rotation itself is one short transaction. In shared mode the private key is
 * sealed at once and its PKCS#8 bytes wiped: only the non-extractable CryptoKey waits in memory.
 */
export class NextKey {
  private readonly logger = new Logger(NextKey.name);
  private ready?: Promise<PreparedKey>;

  constructor(
    private readonly algorithm: JwsAlgorithm,
    private readonly rsaBits: number,
    private readonly cipher?: KeyCipher,
  ) {}

  /** Starts generating the next key unless one is ready or under way. */
  prepare(): void {
    if (this.ready) return;
    const ready = this.generate();
    this.ready = ready;
    ready.catch((error: unknown) => {
      this.logger.warn(`could not generate the next key ahead (${(error as Error).message}); it is generated when due`);
      if (this.ready === ready) this.ready = undefined;
    });
  }

  /** The key prepared ahead, or a new one if none is (or it failed). */
  async take(): Promise<PreparedKey> {
    const ready = this.ready;
    this.ready = undefined;
    return (await ready?.catch(() => undefined)) ?? this.generate();
  }

  /** Keeps a key that was taken but not used (another replica rotated first) for the next rotation. */
  giveBack(key: PreparedKey): void {
    this.ready ??= Promise.resolve(key);
  }

  discard(): void {
    this.ready = undefined;
  }

  private async generate(): Promise<PreparedKey> {
    const { signingKey, pkcs8 } = await generateManagedKey(this.algorithm, this.rsaBits, this.cipher !== undefined);
    const sealed = this.cipher && pkcs8 ? this.cipher.seal(pkcs8, sealingContext(signingKey.kid, signingKey.alg)) : undefined;
    pkcs8?.fill(0);
    return { signingKey, sealed };
  }
}
