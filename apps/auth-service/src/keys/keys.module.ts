import { type BeforeApplicationShutdown, Inject, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { CLOCK, type Clock } from '../common/clock.js';
import type { KeysConfig, TokensConfig } from '../config/auth.config.js';
import { DATABASE, type Database } from '../database/database.js';
import { KEY_STORE, type KeyStore } from './key-store.js';
import { ManagedKeyStore } from './managed/managed-key.store.js';
import { PemKeyStore } from './pem-key.store.js';

/** Opens the configured key source: PEM files (`pem`) or the managed, rotating key table (`managed`). */
export function openKeyStore(config: ConfigService, db: Database, clock: Clock): Promise<KeyStore> {
  const keys = config.getOrThrow<KeysConfig>('keys');
  if (keys.source === 'managed') return ManagedKeyStore.open(keys, config.getOrThrow<TokensConfig>('tokens'), db, clock);
  return PemKeyStore.open(keys);
}

@Module({
  providers: [{ provide: KEY_STORE, inject: [ConfigService, DATABASE, CLOCK], useFactory: openKeyStore }],
  exports: [KEY_STORE],
})
export class KeysModule implements BeforeApplicationShutdown {
  constructor(@Inject(KEY_STORE) private readonly store: KeyStore) {}

  /** Before the database closes: the managed store stops syncing and retires per-replica keys. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.store.close?.();
  }
}
